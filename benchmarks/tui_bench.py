"""Timings of the coding workbench (TUI). Prints numbers; asserts nothing; never run by tests.

    python benchmarks/tui_bench.py                       # 50,000 words, 2,000 codings, 120x40
    python benchmarks/tui_bench.py --words 20000 --codings 500 --size 80x24

1. Start-up to first screen, in a fresh process (Python start, imports, opening the project,
   the overview painted), measured from the parent (wall clock) and inside the child. Then how
   long the NLP pipeline takes to load in its worker thread after the first screen. Target:
   first screen under 1 s.
2. Opening the synthetic transcript (``--words`` words, ``--codings`` codings on ``--codes``
   codes, overlapping): from Enter on the overview to the reader painted; and the word wrap
   and highlight precomputation on their own.
3. Keystroke to repaint in that transcript, with Pilot in a headless app: for each key the
   time from the key event being sent to the end of the screen update that shows it
   (the compositor refresh after the selection changed). Keys: sentence down/up, extend the
   selection, next speaker turn, page down. Target: under 50 ms.

The document is generated here (turns of an interviewer and an informant, sentences of
Norwegian-looking words), written with direct SQL (the benchmark measures the UI, not
import or NLP).
"""
from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from themecoder import store  # noqa: E402
from themecoder.core.project import Project  # noqa: E402
from themecoder.core.text import word_count  # noqa: E402
from themecoder.store.db import now  # noqa: E402

VOCAB = (
    "jeg det er og som på at i en for ikke med han hun vi de har var skal kan vil bare liksom "
    "altså egentlig brukeren relasjonen tillit hjelp kommunen bolig arbeid hverdag mestring "
    "håp tid samarbeid møte oppfølging rus psykisk helse recovery medvirkning ærlig søster "
    "økonomi forståelse fortelle tenke prøve snakke lytte viktig vanskelig godt"
).split()


def build(path: Path, *, words: int, codings: int, codes: int, seed: int = 11) -> str:
    """A project with one long transcript (plus two short ones). Returns the long one's id."""
    rng = random.Random(seed)
    project = Project.create(path, name="Benchmark", coder="bench")
    stamp = now()
    palette = ["#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7"]
    code_ids = [str(uuid.uuid4()) for _ in range(codes)]
    big_id = ""
    with project.db.transaction() as conn:
        for i, cid in enumerate(code_ids):
            label = " ".join(rng.choice(VOCAB) for _ in range(rng.randint(2, 7))) + f" {i}"
            conn.execute("INSERT INTO codes(id, label, colour, created) VALUES (?, ?, ?, ?)",
                         (cid, label, palette[i % len(palette)], stamp))
        for d, n_words in enumerate((words, 3000, 3000)):
            doc_id = str(uuid.uuid4())
            big_id = big_id or doc_id
            pid = str(uuid.uuid4())
            conn.execute("INSERT INTO participants(id, pseudonym, created) VALUES (?, ?, ?)", (pid, f"Informant {d + 1}", stamp))
            parts: list[str] = []
            turns, sentences = [], []
            pos = w = t = 0
            while w < n_words:
                speaker = "I" if t % 2 == 0 else f"Informant {d + 1}"
                label = f"{speaker}: "
                start = pos + len(label)
                body = []
                cur = start
                for _ in range(rng.randint(1, 3) if speaker == "I" else rng.randint(2, 12)):
                    sent_words = [rng.choice(VOCAB) for _ in range(rng.randint(5, 22))]
                    sentence = " ".join(sent_words).capitalize() + rng.choice(".?.!.")
                    if body:
                        cur += 1
                    sentences.append((doc_id, cur, cur + len(sentence)))
                    cur += len(sentence)
                    body.append(sentence)
                    w += len(sent_words)
                text = " ".join(body)
                turns.append((str(uuid.uuid4()), doc_id, speaker, pos, start, start + len(text), None))
                parts.append(label + text)
                pos += len(label) + len(text) + 2
                t += 1
            full = "\n\n".join(parts) + "\n"
            conn.execute(
                "INSERT INTO documents(id, title, source_name, text, sha256, participant_id, imported, position) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (doc_id, f"intervju {d + 1}", f"intervju{d + 1}.txt", full, uuid.uuid4().hex, pid, stamp, d + 1))
            conn.executemany("INSERT INTO turns(id, document_id, speaker, label_start, start, end, timestamp) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)", turns)
            store.index.replace(conn, doc_id, [(s, e) for _, s, e in sentences], [], word_count(full))
            n_codings = codings if d == 0 else 40
            seen = set()
            for _ in range(n_codings):
                k = rng.randrange(len(sentences))
                span = rng.choice((1, 1, 1, 2, 3))
                s = sentences[k][1]
                e = sentences[min(len(sentences) - 1, k + span - 1)][2]
                if rng.random() < 0.3:  # a part of a sentence
                    e = s + max(3, (e - s) // 2)
                    while e < len(full) and full[e - 1] == " ":
                        e += 1
                cid = rng.choice(code_ids)
                if (cid, s, e) in seen:
                    continue
                seen.add((cid, s, e))
                conn.execute(
                    "INSERT INTO codings(id, document_id, code_id, start, end, quote, coder, created) "
                    "VALUES (?, ?, ?, ?, ?, ?, 'bench', ?)",
                    (str(uuid.uuid4()), doc_id, cid, s, e, full[s:e], stamp))
    project.close()
    return big_id


CHILD = textwrap.dedent("""
    import time
    t0 = time.perf_counter()
    wall0 = time.time()
    import asyncio, sys
    from themecoder.tui.app import ThemecoderApp

    async def main():
        app = ThemecoderApp(sys.argv[1], coder="bench", poll=None)
        async with app.run_test(size=(int(sys.argv[2]), int(sys.argv[3]))):
            while app.first_screen_at is None:
                await asyncio.sleep(0.001)
            first = app.first_screen_at
            print(f"FIRST {first - t0:.4f} {wall0 + (first - t0):.4f}", flush=True)
            while app.pipeline is None:
                await asyncio.sleep(0.01)
            print(f"PIPELINE {time.perf_counter() - first:.4f} {app.pipeline.status.kind}", flush=True)

    asyncio.run(main())
""")


def first_screen(path: Path, size: tuple[int, int], runs: int) -> None:
    print(f"\n1. Start-up to first screen (fresh process, {size[0]}x{size[1]}, {runs} runs)")
    child_times, wall_times, pipeline = [], [], []
    for _ in range(runs):
        wall0 = time.time()
        out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(size[0]), str(size[1])],
                             capture_output=True, text=True, cwd=ROOT, env=_env(), timeout=300)
        for line in out.stdout.splitlines():
            bits = line.split()
            if bits[0] == "FIRST":
                child_times.append(float(bits[1]))
                wall_times.append(float(bits[2]) - wall0)
            elif bits[0] == "PIPELINE":
                pipeline.append((float(bits[1]), bits[2]))
        if out.returncode != 0:
            print(out.stderr[-2000:])
    if wall_times:
        print(f"   process start → first screen (wall):   median {statistics.median(wall_times) * 1000:7.0f} ms"
              f"   (max {max(wall_times) * 1000:.0f})")
        print(f"   imports + app start → first screen:    median {statistics.median(child_times) * 1000:7.0f} ms")
    if pipeline:
        print(f"   NLP pipeline loaded in a worker after:  median {statistics.median(p for p, _ in pipeline) * 1000:7.0f} ms"
              f"   ({pipeline[0][1]})")


def _env():
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


async def reader(path: Path, size: tuple[int, int], keys: int) -> None:
    from textual import events

    from themecoder.tui.app import ThemecoderApp
    from themecoder.tui.screens.transcript import TranscriptScreen
    from themecoder.tui.widgets.transcript_view import TranscriptView, wrap

    app = ThemecoderApp(path, coder="bench", nlp=False, poll=None)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        t0 = time.perf_counter()
        enter = events.Key("enter", None)
        enter.set_sender(app)
        app._driver.send_message(enter)
        def ready() -> bool:
            screen = app.screen
            if not isinstance(screen, TranscriptScreen):
                return False
            views = screen.query(TranscriptView)
            return bool(views) and views.first().line_count > 0

        while not ready():
            await asyncio.sleep(0.001)
        screen = app.screen
        stamps: list[float] = []
        original = screen._compositor_refresh

        def spy() -> None:
            original()
            stamps.append(time.perf_counter())

        screen._compositor_refresh = spy
        while not stamps:
            await asyncio.sleep(0.001)
        opened = stamps[-1] - t0
        view = screen.view
        n_words = len(view.text.split())
        print(f"\n2. Opening a transcript of {n_words:,} words and {len(view.codings):,} codings "
              f"({view.line_count:,} lines at {size[0]}x{size[1]})")
        print(f"   Enter on the overview → reader painted:   {opened * 1000:7.0f} ms")
        t = time.perf_counter()
        wrap(view._display, view._text_width)
        print(f"   word wrap of the whole text:              {(time.perf_counter() - t) * 1000:7.0f} ms")
        t = time.perf_counter()
        view._compute_marks()
        print(f"   highlight runs, gutter stripes, labels:   {(time.perf_counter() - t) * 1000:7.0f} ms")
        await pilot.pause()

        sequence = (["down"] * (keys // 2) + ["shift+down"] * (keys // 8) + ["up"] * (keys // 8)
                    + ["right_square_bracket"] * (keys // 8) + ["pagedown"] * (keys // 8))
        latencies: dict[str, list[float]] = {}
        renders: list[int] = []
        driver = app._driver
        for key in sequence:
            before_sel = view.selection
            before_lines = view.render_count
            n = len(stamps)
            sent = time.perf_counter()
            event = events.Key(key, None)
            event.set_sender(app)
            driver.send_message(event)
            deadline = sent + 2
            while time.perf_counter() < deadline:
                await asyncio.sleep(0)
                if view.selection != before_sel and len(stamps) > n and stamps[-1] > sent:
                    break
            latencies.setdefault(key, []).append(stamps[-1] - sent)
            renders.append(view.render_count - before_lines)
            await asyncio.sleep(0.02)  # let the terminal settle, as between real key presses
        print(f"\n3. Keystroke → repaint ({len(sequence)} keys, median / p95 / max, ms; "
              f"lines re-rendered per key: median {statistics.median(renders):.0f})")
        everything = []
        for key, values in latencies.items():
            everything += values
            print(f"   {key:<22} {statistics.median(values) * 1000:6.1f} {_p95(values) * 1000:6.1f} "
                  f"{max(values) * 1000:6.1f}")
        print(f"   {'all keys':<22} {statistics.median(everything) * 1000:6.1f} {_p95(everything) * 1000:6.1f} "
              f"{max(everything) * 1000:6.1f}")
        # coding one passage: the action plus the repaint of the new highlight
        from themecoder import store
        from themecoder.core.coding import apply_code

        code = store.codes.codes(app.project.db)[0]
        n = len(stamps)
        t = time.perf_counter()
        s, e = view.selection
        app.act(apply_code, screen.doc_id, s, e, code.id)
        while len(stamps) == n:
            await asyncio.sleep(0.001)
        print(f"   code the selection (save + reload + repaint): {(stamps[-1] - t) * 1000:6.1f}")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--codings", type=int, default=2_000)
    parser.add_argument("--codes", type=int, default=150)
    parser.add_argument("--size", default="120x40", help="terminal size WxH")
    parser.add_argument("--keys", type=int, default=80)
    parser.add_argument("--runs", type=int, default=5, help="fresh processes for the start-up time")
    args = parser.parse_args()
    size = tuple(int(x) for x in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.themecoder"
        t = time.perf_counter()
        build(path, words=args.words, codings=args.codings, codes=args.codes)
        print(f"built the synthetic project in {time.perf_counter() - t:.1f} s "
              f"({args.words:,} words, {args.codings:,} codings, {args.codes} codes)")
        first_screen(path, size, args.runs)
        asyncio.run(reader(path, size, args.keys))


if __name__ == "__main__":
    main()
