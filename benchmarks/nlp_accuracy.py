"""Accuracy and speed of themecoder's Norwegian NLP layer.

Prints sentence-boundary precision/recall/F1 and lemma accuracy on the gold sample in
tests/data/nlp (for the fallback, for spaCy's plain sentencizer as a baseline, and for the
installed model if there is one), and the time to analyse a ~4,500-word transcript.

    python benchmarks/nlp_accuracy.py [--errors] [--model NAME_OR_PATH] [--transcript FILE]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from themecoder.nlp import load_pipeline, pipeline_status  # noqa: E402
from themecoder.nlp.evaluation import (  # noqa: E402
    load_lemmas,
    load_sentences,
    score_lemmas,
    score_sentences,
)

DATA = ROOT / "tests" / "data" / "nlp"


def transcript(words: int = 4500, path: Path | None = None) -> str:
    """A transcript of about `words` words: the given file, else the demo corpora, else the
    gold texts, repeated as turns separated by blank lines."""
    sources = [path] if path else sorted((ROOT / "corpora").glob("*.txt"))
    paras = []
    for p in sources:
        paras += [x for x in p.read_text(encoding="utf-8").split("\n\n") if x.strip()]
    if not paras:
        paras = [g.text for g in load_sentences(DATA / "sentences.yaml")]
    out, n, i = [], 0, 0
    while n < words:
        para = paras[i % len(paras)]
        out.append(para)
        n += len(para.split())
        i += 1
    return "\n\n".join(out)


def timing(pipeline, text: str, runs: int = 7) -> tuple[float, float]:
    pipeline.analyse(text)  # warm caches
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        pipeline.analyse(text)
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times)


def report(label: str, pipeline, show_errors: bool, text: str) -> None:
    sg = load_sentences(DATA / "sentences.yaml")
    lg = load_lemmas(DATA / "lemmas.tsv")
    s = score_sentences(pipeline, sg)
    print(f"\n== {label}")
    print(f"   {pipeline.status.message}")
    print(
        f"   sentences: {s.texts} texts, {s.gold_boundaries} gold boundaries, "
        f"{s.predicted_boundaries} predicted; P {s.precision:.3f}  R {s.recall:.3f}  "
        f"F1 {s.f1:.3f}; texts fully right {s.texts_exact}/{s.texts}"
    )
    if show_errors:
        for text_, gold, got in s.errors:
            print(f"     GOLD {gold}\n     GOT  {got}")
    if lg:
        l_ = score_lemmas(pipeline, lg)
        print(
            f"   lemmas: {l_.correct}/{l_.total} = {l_.accuracy:.3f}; "
            f"inflected forms only ({l_.inflected_total}): {l_.inflected_accuracy:.3f}"
        )
        if show_errors:
            for form, gold, got, ctx in l_.errors:
                print(f"     {form!r}: gold {gold!r}, got {got!r}" + (f"  [{ctx}]" if ctx else ""))
    med, best = timing(pipeline, text)
    print(f"   analyse {len(text.split())} words: median {med * 1000:.1f} ms (best {best * 1000:.1f} ms)")


def sentencizer_baseline():
    """spacy.blank('nb') + spaCy's sentencizer, without themecoder's rules (for comparison)."""
    import spacy

    from themecoder.nlp.pipeline import Pipeline
    from themecoder.nlp.results import PipelineStatus

    nlp = spacy.blank("nb")
    nlp.add_pipe("sentencizer")
    status = PipelineStatus(
        "model", "spacy.blank('nb') + sentencizer", "", True,
        "Baseline: spaCy's blank Norwegian tokenizer and sentencizer, lemmas from simplemma.", "",
    )
    return Pipeline(nlp, status)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", action="store_true", help="list every wrong sentence split and lemma")
    ap.add_argument("--model", help="model name or pipeline folder (default: $THEMECODER_MODEL or nb_core_news_sm)")
    ap.add_argument("--transcript", type=Path, help="time this text file instead of the demo corpora")
    args = ap.parse_args()
    text = transcript(path=args.transcript)

    t = time.perf_counter()
    fallback = load_pipeline("fallback")
    print(f"fallback loaded in {time.perf_counter() - t:.2f} s (spaCy import, tokenizer, simplemma dictionary)")
    report("fallback: spacy.blank('nb') + rules + simplemma", fallback, args.errors, text)
    report("baseline: spacy.blank('nb') + sentencizer (lemmas from simplemma)", sentencizer_baseline(), args.errors, text)

    status = pipeline_status(args.model)
    if status.model_found:
        t = time.perf_counter()
        model = load_pipeline(args.model)
        print(f"\nmodel loaded in {time.perf_counter() - t:.2f} s")
        report(f"model: {model.name}", model, args.errors, text)
    else:
        print(f"\n== model {status.model_requested}: absent. {status.message}")
        print(f"   {status.install_hint}")


if __name__ == "__main__":
    main()
