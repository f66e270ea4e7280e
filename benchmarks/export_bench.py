"""Timings of the thesis exports and the REFI-QDA exchange. Prints numbers; asserts nothing.

    python benchmarks/export_bench.py            # demo quote tables + synthetic 1,000-document qdpx
    python benchmarks/export_bench.py --docs 100 --codings 5000 --codes 200   # smaller

1. The demo project's quote tables (.docx, nb), in process (python-docx already imported and
   not) and as a fresh `themecoder export quotes` process. Target: under 2 s.
2. A synthetic project of ``--docs`` documents (about 1,000 words each, so 1 million words by
   default), ``--codes`` codes in themes and subthemes, ``--codings`` codings, participants with
   attributes and some memos, written with direct SQL inserts in one transaction (the text index
   tables are left empty), exported to .qdpx. Target: under 60 s. The import of that file into a
   new project (without building the text index) is timed too.
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

WORDS = (
    "jeg det er og som på at i en for ikke med han hun vi de har var skal kan vil bare liksom "
    "altså egentlig brukeren relasjonen tillit hjelp kommunen NAV bolig arbeid hverdag mestring "
    "håp tid samarbeid møte oppfølging rus psykisk helse recovery medvirkning ærlig søster "
    "bærekraft økonomi forståelse fortelle tenke prøve snakke lytte viktig vanskelig godt"
).split()


def timed(label: str, fn, *args, **kwargs):
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    dt = time.perf_counter() - t0
    print(f"{label:<58} {dt:8.2f} s")
    return result, dt


# -- 1. the demo quote tables ------------------------------------------------------------------
def bench_demo(tmp: Path) -> None:
    from themecoder.core.project import Project
    from themecoder.io.demo import build_demo

    path, _ = timed("build the demo project (not part of the export)", build_demo, tmp / "demo", coder="bench")

    def export(out: Path) -> int:
        from themecoder.core.quotes import QuoteSource
        from themecoder.io.docx_quotes import write_quotes_docx

        with Project.open(path) as p:
            src = QuoteSource(p)
            qs = src.quote_set()
            write_quotes_docx(out, qs, src, lang="nb")
            return qs.quote_count

    n, _ = timed("demo quote tables .docx, in process, first (imports docx)", export, tmp / "a.docx")
    timed(f"demo quote tables .docx, in process, again ({n} quotes)", export, tmp / "b.docx")

    def with_appendix() -> None:
        from themecoder.core.quotes import QuoteSource
        from themecoder.io.docx_quotes import write_quotes_docx

        with Project.open(path) as p:
            src = QuoteSource(p)
            write_quotes_docx(tmp / "c.docx", src.quote_set(), src, lang="nb", appendix=True)

    timed("demo quote tables .docx with appendix, in process", with_appendix)
    cmd = [sys.executable, "-m", "themecoder", "export", "quotes", str(path), "-o", str(tmp / "d.docx")]
    timed("`themecoder export quotes` as a new process (all imports)", subprocess.run, cmd,
          check=True, capture_output=True, cwd=ROOT)


# -- 2. a synthetic big project ----------------------------------------------------------------
def make_text(rng: random.Random, words: int, informant: str) -> str:
    turns, n = [], 0
    while n < words:
        k = rng.randint(15, 80)
        speaker = "I" if len(turns) % 2 == 0 else informant
        sentence = " ".join(rng.choice(WORDS) for _ in range(k))
        turns.append(f"{speaker}: {sentence[0].upper()}{sentence[1:]}.")
        n += k
    return "\n\n".join(turns)


def synthetic_project(path: Path, *, docs: int, codes: int, codings: int, words_per_doc: int, seed: int = 7):
    from themecoder.core.project import Project
    from themecoder.core.text import context

    rng = random.Random(seed)
    project = Project.create(path, coder="bench")
    stamp = "2025-01-01T12:00:00.000+00:00"
    uid = lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4))  # noqa: E731
    with project.db.transaction() as conn:
        themes, subthemes = [], []
        for t in range(max(1, codes // 50)):
            tid = uid()
            themes.append(tid)
            conn.execute("INSERT INTO themes(id, parent_id, name, description, position, created) VALUES (?, NULL, ?, ?, ?, ?)",
                         (tid, f"Tema {t + 1}", "Beskrivelse av temaet.", t + 1, stamp))
            for s in range(4):
                sid = uid()
                subthemes.append(sid)
                conn.execute("INSERT INTO themes(id, parent_id, name, description, position, created) VALUES (?, ?, ?, ?, ?, ?)",
                             (sid, tid, f"Subtema {t + 1}.{s + 1}", "", s + 1, stamp))
        code_ids = []
        for c in range(codes):
            cid = uid()
            code_ids.append(cid)
            conn.execute("INSERT INTO codes(id, label, description, colour, in_vivo, author, created) VALUES (?, ?, ?, ?, 0, ?, ?)",
                         (cid, f"kode {c + 1} om hverdagen", "En kode.", "#4E79A7", "bench", stamp))
            conn.execute("INSERT INTO code_themes(code_id, theme_id, position, created) VALUES (?, ?, ?, ?)",
                         (cid, subthemes[c % len(subthemes)], c // len(subthemes) + 1, stamp))
            if c % 10 == 0:  # some codes in two themes
                conn.execute("INSERT OR IGNORE INTO code_themes(code_id, theme_id, position, created) VALUES (?, ?, ?, ?)",
                             (cid, themes[(c // 10) % len(themes)], c + 1, stamp))
        attr = [(uid(), "alder", "integer"), (uid(), "utdanning", "text"), (uid(), "intervjudato", "date")]
        conn.executemany("INSERT INTO attributes(id, name, type) VALUES (?, ?, ?)", attr)
        per_doc = max(1, codings // docs)
        total_words = 0
        n_codings = 0
        for d in range(docs):
            pid, did = uid(), uid()
            name = f"Informant {d + 1}"
            conn.execute("INSERT INTO participants(id, pseudonym, created) VALUES (?, ?, ?)", (pid, name, stamp))
            conn.executemany("INSERT INTO participant_attributes(participant_id, attribute_id, value) VALUES (?, ?, ?)",
                             [(pid, attr[0][0], str(20 + d % 50)), (pid, attr[1][0], "sosionom"),
                              (pid, attr[2][0], "2024-03-14")])
            text = make_text(rng, words_per_doc, name)
            total_words += len(text.split())
            conn.execute("INSERT INTO documents(id, title, source_name, text, sha256, participant_id, encoding, imported, position) "
                         "VALUES (?, ?, ?, ?, ?, ?, 'utf-8', ?, ?)",
                         (did, f"intervju-{d + 1:04d}", f"intervju-{d + 1:04d}.txt", text, uuid.uuid4().hex, pid, stamp, d + 1))
            spaces = [i for i, ch in enumerate(text) if ch == " "]
            rows, seen = [], set()
            while len(rows) < per_doc:
                a = rng.randrange(0, len(spaces) - 30)
                start, end = spaces[a] + 1, spaces[a + rng.randint(3, 25)]
                code = code_ids[rng.randrange(codes)]
                if (code, start, end) in seen or not text[start:end].strip() or text[start:end] != text[start:end].strip():
                    continue
                seen.add((code, start, end))
                before, after = context(text, start, end)
                rows.append((uid(), did, code, start, end, text[start:end], before, after, "bench", stamp))
            conn.executemany("INSERT INTO codings(id, document_id, code_id, start, end, quote, context_before, "
                             "context_after, coder, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            n_codings += len(rows)
            if d % 2 == 0:
                conn.execute("INSERT INTO memos(id, target_type, target_id, title, text, author, created, modified) "
                             "VALUES (?, 'document', ?, '', 'Intervjuet gikk greit.', 'bench', ?, ?)", (uid(), did, stamp, stamp))
    return project, total_words, n_codings


def bench_big(tmp: Path, *, docs: int, codes: int, codings: int, words: int) -> None:
    from themecoder.core.project import Project
    from themecoder.io.refi_project import export_qdpx, import_refi_file

    (project, total_words, n_codings), _ = timed(
        "build a synthetic project (SQL inserts, not part of the export)", synthetic_project,
        tmp / "big", docs=docs, codes=codes, codings=codings, words_per_doc=words)
    print(f"  {docs:,} documents, {total_words:,} words, {codes:,} codes, {n_codings:,} codings")
    out = tmp / "big.qdpx"
    summary, _ = timed("export the synthetic project to .qdpx (themes as codes)", export_qdpx, project, out)
    print(f"  {summary}; {out.stat().st_size / 1e6:.1f} MB")
    timed("export the synthetic project to .qdpx (themes as sets)", export_qdpx, project, tmp / "big-sets.qdpx",
          themes_as="sets")
    project.close()
    target = Project.create(tmp / "big-import", coder="bench")
    (summary, stats), _ = timed("import that .qdpx into a new project (no text index)", import_refi_file,
                                target, out, index=False)
    print(f"  {summary[:160]}")
    target.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--codes", type=int, default=2000)
    ap.add_argument("--codings", type=int, default=50000)
    ap.add_argument("--words", type=int, default=1000, help="words per document")
    ap.add_argument("--skip-demo", action="store_true")
    ap.add_argument("--skip-big", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="themecoder-bench-") as d:
        tmp = Path(d)
        if not args.skip_demo:
            bench_demo(tmp)
        if not args.skip_big:
            bench_big(tmp, docs=args.docs, codes=args.codes, codings=args.codings, words=args.words)


if __name__ == "__main__":
    main()
