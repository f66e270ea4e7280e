"""Foundation benchmarks. Prints numbers; targets in brackets.

- import of the three demo interviews with the fallback pipeline        [< 2 s]
- opening the synthetic big project (1,000 docs, 1 M words, 50,000 codings) [< 1 s]
- fetching every coding of one theme                                     [< 50 ms]
- peak memory of opening + fetching                                      [< 500 MB]

Run: python benchmarks/foundation_bench.py [--keep DIR]
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

OPEN_AND_FETCH = r"""
import resource, sys, time
t0 = time.perf_counter()
from themecoder.core.project import Project
from themecoder import store
p = Project.open(sys.argv[1])
docs = store.documents.documents(p.db)
stats = store.codes.code_stats(p.db)
themes = store.themes.themes(p.db)
t1 = time.perf_counter()
def worst(ts):
    best, n = 0.0, 0
    for theme in ts:
        s = time.perf_counter()
        rows = store.codings.codings_for_theme(p.db, theme.id)
        e = time.perf_counter() - s
        if e > best:
            best, n = e, len(rows)
    return best, n
sub = worst([t for t in themes if t.parent_id][:10])
top = worst([t for t in themes if not t.parent_id])
print(f"{t1 - t0:.3f} {sub[0]:.4f} {sub[1]} {len(docs)} {len(stats)} {top[0]:.4f} {top[1]}")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", help="folder to keep the synthetic project in")
    args = ap.parse_args()
    from themecoder.core.project import Project
    from themecoder.io.batch import import_files
    from themecoder.nlp import get_pipeline

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(args.keep) if args.keep else Path(tmp)
        tmp.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        pipeline = get_pipeline()
        load = time.perf_counter() - t
        (tmp / "demo-import.themecoder").unlink(missing_ok=True)
        project = Project.create(tmp / "demo-import.themecoder", coder="bench")
        files = sorted((ROOT / "corpora").glob("*.txt"))
        t = time.perf_counter()
        results = import_files(project, files, pipeline=pipeline)
        elapsed = time.perf_counter() - t
        assert all(r.ok for r in results), results
        print(f"pipeline load ({pipeline.kind}): {load:.2f} s (once per process, in a worker in the TUI)")
        print(f"import of {len(files)} demo interviews: {elapsed:.2f} s  [target < 2 s]")
        project.close()

        from synthetic import build_synthetic

        big = tmp / "big.themecoder"
        if not big.exists():
            t = time.perf_counter()
            build_synthetic(big)
            print(f"(built synthetic project in {time.perf_counter() - t:.1f} s, "
                  f"{big.stat().st_size / 1e6:.0f} MB)")
        out = subprocess.run([sys.executable, "-c", OPEN_AND_FETCH, str(big)], capture_output=True, text=True,
                             env={"PYTHONPATH": str(ROOT / "src")}, check=True).stdout.split("\n")
        open_s, fetch_s, n_rows, n_docs, n_codes, top_s, top_rows = out[0].split()
        print(f"open big project ({n_docs} documents, {n_codes} codes, incl. listing both): {float(open_s):.3f} s  [target < 1 s]")
        print(f"fetch every coding of one subtheme (slowest of 10; it has {n_rows} codings): "
              f"{float(fetch_s) * 1000:.1f} ms  [target < 50 ms]")
        print(f"fetch every coding of one top-level theme with its subthemes (slowest; {top_rows} codings): "
              f"{float(top_s) * 1000:.1f} ms")
        print(f"peak memory (open + fetch, separate process): {out[1]} MB  [target < 500 MB]")
        print(f"peak memory (this process, import + build): "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


if __name__ == "__main__":
    main()
