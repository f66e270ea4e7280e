"""Timings of intercoder agreement (issue 12). Prints numbers; asserts nothing.

    python benchmarks/agreement_bench.py

The demo project is copied; a second coder ("B") gets a perturbed copy of every coding of the
first (some dropped, some shifted by a sentence, some new), then agreement is computed per unit
(sentence, turn, character) with the 1,000-sample bootstrap, the disagreements are listed, and the
report is written (.docx). A second copy is coded by B alone and merged.
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def timed(label: str, fn, *args, **kwargs):
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    print(f"{label:<58} {time.perf_counter() - t0:8.2f} s")
    return result


def main() -> None:
    from themecoder import store
    from themecoder.core import agreement, consensus
    from themecoder.core.coding import place_coding
    from themecoder.core.indexing import ensure_index
    from themecoder.core.merge import merge
    from themecoder.core.project import Project
    from themecoder.io.demo import build_demo
    from themecoder.io.export import ExportOptions, run_export

    tmp = Path(tempfile.mkdtemp())
    path = timed("build the demo project", build_demo, tmp / "demo", coder="A")
    rng = random.Random(12)
    with Project.open(path, coder="B") as p:
        ensure_index(p)
        codings = store.codings.all_codings(p.db)
        sentences = {d.id: store.index.sentences(p.db, d.id) for d in store.documents.documents(p.db)}
        with p.action("bench", "B codes") as conn:
            for c in codings:
                r = rng.random()
                if r < 0.15:
                    continue
                sents = sentences[c.document_id]
                s, e = c.start, c.end
                if r < 0.35:  # one sentence further
                    later = [x for x in sents if x[0] >= e]
                    if later:
                        e = later[0][1]
                place_coding(conn, p, c.document_id, c.code_id, s, e, coder="B", reuse=True)
        print(f"codings: {len(codings)} by A, {len(store.codings.all_codings(p.db)) - len(codings)} by B")
        for unit in agreement.UNITS:
            res = timed(f"agreement, unit {unit} (1,000 bootstrap samples)", agreement.compute, p, ["A", "B"],
                        unit=unit)
            o = res.overall.coefficients
            print(f"    {len(res.codes)} codes, {o.units} units: percent {o.percent:.3f}, kappa {o.kappa:.3f}, "
                  f"alpha {o.alpha:.3f} {o.alpha_ci}")
        res = agreement.compute(p, ["A", "B"], bootstrap=0)
        items = timed("list the disagreements", consensus.disagreements, p, res)
        print(f"    {len(items)} disagreements")
        timed("report (.docx) through the export service", run_export, p, "agreement", tmp / "samsvar.docx",
              ExportOptions(agreement={"coders": ["A", "B"]}, allow_unreviewed=True))
    other = build_demo(tmp / "other", coder="B")
    with Project.open(path, coder="A") as p:
        result = timed("merge another copy of the demo", merge, p, other)
        print(f"    {result.summary()}")


if __name__ == "__main__":
    main()
