"""A synthetic large project: 1,000 documents, ~1 million words, 50,000 codings, 2,000 codes.

Written with direct SQL in one transaction (the benchmark measures reading, not building).
Usable from other benchmarks: `build_synthetic(path)`.
"""
from __future__ import annotations

import random
import re
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from themecoder import store  # noqa: E402
from themecoder.core.project import Project  # noqa: E402
from themecoder.core.text import context, word_count  # noqa: E402
from themecoder.store.db import now  # noqa: E402


def _vocabulary() -> list[str]:
    words: list[str] = []
    for path in sorted((ROOT / "corpora").glob("*.txt")):
        words += re.findall(r"[a-zæøå]+", path.read_text(encoding="utf-8").lower())
    return words or ["relasjon", "prosess", "bruker", "tjeneste", "hverdag", "samarbeid"]


def build_synthetic(path: Path, *, documents: int = 1000, words: int = 1_000_000, codings: int = 50_000,
                    codes: int = 2000, themes: int = 40, seed: int = 7) -> Path:
    rng = random.Random(seed)
    vocab = _vocabulary()
    project = Project.create(path, coder="bench")
    words_per_doc = words // documents
    code_ids = [str(uuid.uuid4()) for _ in range(codes)]
    stamp = now()
    with project.db.transaction() as conn:
        for i, cid in enumerate(code_ids):
            label = " ".join(rng.choice(vocab) for _ in range(rng.randint(3, 8))) + f" {i}"
            conn.execute("INSERT INTO codes(id, label, description, colour, created) VALUES (?, ?, '', '#4E79A7', ?)",
                         (cid, label, stamp))
        # A thesis-like tree: themes / 5 top-level themes, each with subthemes; codes in subthemes.
        top_level = max(1, themes // 5)
        theme_ids, sub_ids = [], []
        for t in range(themes):
            tid = str(uuid.uuid4())
            parent = theme_ids[t % top_level] if t >= top_level else None
            conn.execute("INSERT INTO themes(id, parent_id, name, position, created) VALUES (?, ?, ?, ?, ?)",
                         (tid, parent, f"tema {t}", t, stamp))
            theme_ids.append(tid)
            if parent:
                sub_ids.append(tid)
        for i, cid in enumerate(code_ids):
            conn.execute("INSERT INTO code_themes(code_id, theme_id, position, created) VALUES (?, ?, ?, ?)",
                         (cid, sub_ids[i % len(sub_ids)], i, stamp))
        per_doc = codings // documents
        for d in range(documents):
            doc_id = str(uuid.uuid4())
            pid = str(uuid.uuid4())
            conn.execute("INSERT INTO participants(id, pseudonym, created) VALUES (?, ?, ?)", (pid, f"P{d:04d}", stamp))
            paragraphs, turns, sentences, tokens = [], [], [], []
            pos, w = 0, 0
            t = 0
            while w < words_per_doc:
                speaker = "I" if t % 2 == 0 else f"P{d:04d}"
                label = f"{speaker}: "
                n = rng.randint(8, 60) if speaker != "I" else rng.randint(5, 15)
                body_words = [rng.choice(vocab) for _ in range(n)]
                body = " ".join(body_words).capitalize() + "."
                start = pos + len(label)
                turns.append((str(uuid.uuid4()), doc_id, speaker, pos, start, start + len(body), None))
                sentences.append((doc_id, start, start + len(body)))
                off = start
                for bw in body_words:
                    tokens.append((doc_id, off, off + len(bw), bw, bw))
                    off += len(bw) + 1
                paragraphs.append(label + body)
                pos += len(label) + len(body) + 2
                w += n
                t += 1
            text = "\n\n".join(paragraphs)
            conn.execute(
                "INSERT INTO documents(id, title, source_name, text, sha256, participant_id, encoding, imported, position) "
                "VALUES (?, ?, ?, ?, ?, ?, 'utf-8', ?, ?)",
                (doc_id, f"intervju {d:04d}", f"intervju{d:04d}.txt", text, uuid.uuid4().hex, pid, stamp, d),
            )
            conn.executemany("INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?, ?)", turns)
            store.index.replace(conn, doc_id, [(s, e) for _, s, e in sentences], [t[1:] for t in tokens],
                                word_count(text))
            rows = []
            for _ in range(per_doc):
                s = rng.randrange(0, len(text) - 200)
                e = s + rng.randint(20, 200)
                while text[s].isspace():
                    s += 1
                while text[e - 1].isspace():
                    e -= 1
                before, after = context(text, s, e)
                rows.append((str(uuid.uuid4()), doc_id, rng.choice(code_ids), s, e, text[s:e], before, after, "bench", stamp))
            conn.executemany("INSERT OR IGNORE INTO codings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    project.close()
    return path
