"""Recall, precision and speed of the anonymisation guard's detector.

    python benchmarks/anonymisation_eval.py            # labelled + held-out sets, timing
    python benchmarks/anonymisation_eval.py -v         # also list misses and false positives

A detection counts as a hit when it overlaps a gold span of a compatible kind (see
COMPATIBLE in tests/data/anonymisation/evaluate.py). Results are printed for the rules
and gazetteers alone and, when spaCy's nb_core_news_sm is installed, with the model's
named entities added (sentences from the model too). Never run by the test suite.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "anonymisation"
sys.path.insert(0, str(ROOT / "src"))

from themecoder.core.identifiers import KINDS, detect_identifiers, gazetteer  # noqa: E402


def load_evaluate():
    spec = importlib.util.spec_from_file_location("anonymisation_evaluate", DATA / "evaluate.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def load_model():
    try:
        import spacy  # noqa: PLC0415
        return spacy.load("nb_core_news_sm")
    except Exception as exc:  # noqa: BLE001 - any failure means "no model"
        return exc


def print_score(title: str, sc, verbose: bool, min_conf: float | None = None) -> None:
    head = f"{title}" + (f" (confidence >= {min_conf})" if min_conf else "")
    print(f"\n{head}")
    print(f"  overall  recall {sc.recall():.3f}  blocking recall {sc.blocking_recall():.3f}  "
          f"precision {sc.precision():.3f}  "
          f"({sum(sc.found.values())}/{sum(sc.gold.values())} gold found, "
          f"{sum(sc.correct.values())}/{sum(sc.detected.values())} detections correct; "
          f"{sc.negative_fp} detections in non-identifier sentences)")
    print(f"  {'kind':13} {'gold':>5} {'recall':>7}   {'detected':>8} {'precision':>9}")
    for k in KINDS:
        if sc.gold[k] or sc.detected[k]:
            rec = f"{sc.recall(k):.2f}" if sc.gold[k] else "  -"
            prec = f"{sc.precision(k):.2f}" if sc.detected[k] else "  -"
            print(f"  {k:13} {sc.gold[k]:5} {rec:>7}   {sc.detected[k]:8} {prec:>9}")
    if verbose:
        print("  misses:")
        for kind, frag, text in sc.misses:
            print(f"    {kind:12} {frag!r:30} | {text[:90]!r}")
        print("  blocking misses (found but not blocking, or not found):")
        for kind, frag, text in sc.blocking_misses:
            print(f"    {kind:12} {frag!r:30} | {text[:90]!r}")
        print("  false positives:")
        for kind, frag, conf, reason, text in sc.false_positives:
            print(f"    {kind:12} {frag!r:25} {conf:.2f} {reason[:45]} | {text[:70]!r}")


def timing(paragraphs: list[str], repeat: int = 7) -> None:
    """Time detection on one ~4,500-word transcript built from the given paragraphs."""
    parts: list[str] = []
    words = 0
    i = 0
    while words < 4500:
        p = paragraphs[i % len(paragraphs)]
        parts.append(p)
        words += len(p.split())
        i += 1
    long_text = "\n\n".join(parts)
    words = len(long_text.split())
    # cold: a fresh interpreter, so gazetteer loading and regex compilation are included
    code = ("import time,sys; t0=time.perf_counter(); from themecoder.core.identifiers import detect_identifiers;"
            "t1=time.perf_counter(); detect_identifiers(sys.stdin.read()); t2=time.perf_counter();"
            "print(f'{(t1-t0)*1000:.0f} {(t2-t1)*1000:.0f}')")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", code], input=long_text, capture_output=True, text=True,
                         env=env, check=True).stdout.split()
    found = detect_identifiers(long_text)
    runs, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        detect_identifiers(long_text)
        runs.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    print(f"\nSpeed on a {words:,}-word transcript ({len(long_text):,} characters, {len(found)} suspects):")
    print(f"  fresh process: import {out[0]} ms, first call {out[1]} ms (loads gazetteers, compiles patterns)")
    print(f"  warm: median {statistics.median(runs) * 1000:.0f} ms, max {max(runs) * 1000:.0f} ms over {repeat} runs "
          f"(CPU time median {statistics.median(cpu) * 1000:.0f} ms: wall time on a shared machine includes waiting)")


def per_mb(paragraphs: list[str]) -> None:
    """Issue 18: detection must be linear. Time per MB at 1, 4 and 16 MB of transcript, with the
    sentence spans and speaker-label spans `check` passes (the spans are cut per block)."""
    import re  # noqa: PLC0415

    print("\nLinear time (issue 18): detection on large transcripts, with sentence and label spans")
    base = "\n\n".join(f"IP: {p}" for p in paragraphs)
    for mb in (1, 4, 16):
        size = mb * 1_000_000
        text = (base + "\n\n") * (size // (len(base) + 2) + 1)
        text = text[:size]
        sentences = [(m.start(), m.end()) for m in re.finditer(r"[^.!?\n]+[.!?]?", text)]
        labels = [(m.start(), m.end()) for m in re.finditer(r"^IP:", text, re.MULTILINE)]
        t0 = time.process_time()
        n = len(detect_identifiers(text, sentences=sentences, skip_spans=labels))
        dt = time.process_time() - t0
        print(f"  {mb:2} MB: {dt:6.1f} s CPU  ({dt / mb:5.2f} s per MB, {len(sentences):,} sentences, {n:,} suspects)")


def replace_per_mb(sizes=(1, 4, 16)) -> None:
    """Issue 18: `anonymise replace` on one large transcript (a name thousands of times), with
    the check after it: CPU time per MB (import, replace, check)."""
    import tempfile  # noqa: PLC0415

    from themecoder.core import anonymise as an  # noqa: PLC0415
    from themecoder.core.documents import add_transcript  # noqa: PLC0415
    from themecoder.core.project import Project  # noqa: PLC0415
    from themecoder.io.readers import read_transcript  # noqa: PLC0415

    print("\nLinear time (issue 18): replace a name everywhere in one large transcript, then check")
    para = ("IP: Jeg snakket med Gunnhild Tveitereid i går, og hun sa at det gikk bra på jobben. "
            "Vi møttes på kafeen.\n\nI: Og så?\n\n")
    for mb in sizes:
        text = para * int(mb * 1_000_000 / len(para.encode()))
        with tempfile.TemporaryDirectory() as d:
            (Path(d) / "t.txt").write_text(text, encoding="utf-8")
            t0 = time.process_time()
            with Project.create(Path(d) / "p.themecoder", coder="bench") as p:
                add_transcript(p, read_transcript(Path(d) / "t.txt"))
                t1 = time.process_time()
                r = an.replace_identifier(p, "Gunnhild Tveitereid", "[navn]", mode="category", recheck=False)
                t2 = time.process_time()
                an.check(p)
                t3 = time.process_time()
        print(f"  {mb:2} MB: import {t1 - t0:5.1f} s, replace {r.occurrences:,} places {t2 - t1:5.1f} s "
              f"({(t2 - t1) / mb:.2f} s per MB), check {t3 - t2:5.1f} s ({(t3 - t2) / mb:.2f} s per MB) CPU")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses and false positives")
    ap.add_argument("--file", help="with -v: list misses only for this file (e.g. passages.yaml)")
    ap.add_argument("--mb", action="store_true", help="also time detection on 1, 4 and 16 MB (issue 18)")
    ap.add_argument("--replace-mb", action="store_true",
                    help="also time import, replace and check of one 1, 4 and 16 MB transcript (issue 18)")
    args = ap.parse_args()

    ev = load_evaluate()
    labelled = ev.load_all()
    heldout = ev.load(DATA / "heldout.yaml")
    n_pos = sum(1 for e in labelled if not e.negative)
    n_gold = sum(len(e.gold) for e in labelled)
    print(f"the team's set ({', '.join(ev.FILES)}): {n_pos} sentences with {n_gold} identifiers, "
          f"{len(labelled) - n_pos} sentences without")
    print("gazetteers: " + ", ".join(f"{n} {len(gazetteer(n))}" for n in
                                     ("first_names", "surnames", "municipalities", "places", "workplaces",
                                      "stopwords", "common_words")))

    for name in ev.FILES:
        print_score(f"Rules + gazetteers, {name}", ev.score(ev.load(DATA / name), detect_identifiers),
                    args.verbose and (args.file is None or args.file == name))
    print_score("Rules + gazetteers, the team's whole set", ev.score(labelled, detect_identifiers), False)
    print_score("Rules + gazetteers, the team's whole set", ev.score(labelled, detect_identifiers, 0.5), False, 0.5)
    print_score("Rules + gazetteers, heldout.yaml", ev.score(heldout, detect_identifiers), args.verbose)

    nlp = load_model()
    if isinstance(nlp, Exception):
        print(f"\nWith model entities: SKIPPED - spaCy model nb_core_news_sm is not installed "
              f"({type(nlp).__name__}: {str(nlp)[:80]}).")
    else:
        def with_model(text: str):
            doc = nlp(text)
            ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
            sents = [(s.start_char, s.end_char) for s in doc.sents]
            return detect_identifiers(text, entities=ents, sentences=sents)

        print_score("Rules + gazetteers + nb_core_news_sm entities, labelled.yaml",
                    ev.score(labelled, with_model), args.verbose)
        print_score("Rules + gazetteers + nb_core_news_sm entities, heldout.yaml",
                    ev.score(heldout, with_model), args.verbose)

    # demo interviews (if present) interleaved with the labelled sentences, so that the
    # timed text has both ordinary talk and plenty of identifiers
    paragraphs = [p for f in sorted((ROOT / "corpora").glob("*.txt"))
                  for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    labelled_texts = [e.text for e in labelled]
    mixed = []
    for i in range(max(len(paragraphs), len(labelled_texts))):
        if paragraphs:
            mixed.append(paragraphs[i % len(paragraphs)])
        mixed.append(labelled_texts[i % len(labelled_texts)])
    timing(mixed)

    if args.mb:
        per_mb(mixed)
    if args.replace_mb:
        replace_per_mb()

    print("\nAdversarial inputs (long runs that could make regular expressions backtrack):")
    for name, text in [("'Aa-' x 10,000", "Aa-" * 10000), ("'Aa.' x 15,000", "Aa." * 15000),
                       ("'A ' x 20,000", "A " * 20000), ("'Kari ' x 10,000", "Kari " * 10000),
                       ("'[x] ' x 10,000", "[x] " * 10000)]:
        t0 = time.perf_counter()
        n = len(detect_identifiers(text))
        print(f"  {name:18} {len(text):7,} chars  {(time.perf_counter() - t0) * 1000:6.0f} ms  ({n:,} suspects)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
