"""Speed at the limit: every target of the speed issue, measured in one run, as measured/target.

    python benchmarks/speed_bench.py                 # this checkout
    python benchmarks/speed_bench.py --compare HEAD~1  # and that commit, side by side (ratios)
    python benchmarks/speed_bench.py --huge          # also the 10-million-word project (slow to build)

Rows (targets from the issue):
- indexing: sentences, tokens and lemmas of ~200,000 words with the fallback pipeline, written
  to the project (words/s)                                                       [>= 200,000]
- REFI import: a synthetic 30-document, 1.1-million-character .qdpx with 750 codings, in a fresh
  process (`themecoder import`, process start to exit; the documents are readable and the
  codings stored, the search index is built afterwards)                                [<= 1.5 s]
- the same import with its search index built too (for comparison; no target)
- `themecoder import` of that file as a user runs it, process start to exit (the command
  leaves the search index to a detached indexer)                                       [<= 1.5 s]
- the three demo interviews, imported with the pipeline loaded                         [< 0.3 s]
- the demo project built (`build_demo`, cold process)                                  [< 1.0 s]
- first screen from process start (fresh process, median of 9), with the package's bytecode
  compiled as an install leaves it                                                    [< 300 ms]
- the same, compiling our modules at every start (an editable install where
  PYTHONDONTWRITEBYTECODE is set, as on this machine; for comparison, no target)
- every key in a 50,000-word transcript, p99, including the first key after opening   [16.7 ms]
- coding the selection: key to repaint (median of 7 passages)                          [16.7 ms]
- every coding of a 6,000-coding theme                                                 [< 20 ms]
- with --huge: a 10-million-word project (10,000 documents) opens in < 2 s within 1 GB

With --compare REV the same measurements run on that commit (checked out in a temporary
worktree, its own benchmarks/ helpers) and each row shows the ratio old/new: the machine is
noisy, so compare ratios measured in one run, not absolute times across runs. Nothing here is
run by the tests.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]

# name, label, target, unit, higher is better
ROWS = [
    ("index_wps", "indexing (fallback pipeline, written)", 200_000, "words/s", True),
    ("refi_import_s", "REFI import, 1.1 M chars, 30 docs, 750 codings (process)", 1.5, "s", False),
    ("refi_import_indexed_s", "  the same, search index built too", None, "s", False),
    ("cli_import_s", "  `themecoder import` of that file, start to exit", 1.5, "s", False),
    ("demo_import_s", "three demo interviews (pipeline loaded)", 0.3, "s", False),
    ("demo_build_s", "demo built as `themecoder demo` does (cold process)", 1.0, "s", False),
    ("first_screen_ms", "first screen from process start (median)", 300, "ms", False),
    ("first_screen_source_ms", "  the same, every module of ours compiled at start", None, "ms", False),
    ("first_key_ms", "first key after opening a 50k-word transcript", 16.7, "ms", False),
    ("key_p99_ms", "every key in that transcript, p99", 16.7, "ms", False),
    ("code_selection_ms", "code the selection: key to repaint", 16.7, "ms", False),
    ("theme_fetch_ms", "every coding of a 6,000-coding theme", 20, "ms", False),
    ("huge_open_s", "10 M words, 10,000 documents: open", 2.0, "s", False),
    ("huge_rss_mb", "  peak memory of that open", 1024, "MB", False),
]


def _env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root / "src")
    env.pop("THEMECODER_MODEL", None)
    return env


def _bytecode(root: Path, *, compiled: bool) -> None:
    """The tree's own bytecode compiled (as `pip install` leaves it), or removed (so every start
    compiles its modules again). Textual's and the other packages' bytecode is left as it is."""
    src = root / "src"
    if compiled:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=True, capture_output=True)
    else:
        for cache in src.rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)


def _command(root: Path, *args: str, check: bool = True) -> None:
    """`themecoder ARGS` from the tree under test."""
    env = _env(root)
    env.pop("THEMECODER_INDEX", None)
    out = subprocess.run([sys.executable, "-m", "themecoder", *args], capture_output=True, text=True,
                         cwd=root, env=env, timeout=900)
    if check and out.returncode != 0:
        lines = (out.stderr or out.stdout).strip().splitlines()
        raise RuntimeError(lines[-1] if lines else "failed")


def _python(root: Path, code: str, *args: str, timeout: int = 900) -> str:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         cwd=root, env=_env(root), timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed")
    return out.stdout


# Each measurement runs in a child process on the tree under test (`root`), so two trees can be
# measured side by side; the child prints one JSON object.

INDEXING = r"""
import json, sys, tempfile, time
from pathlib import Path
root = Path.cwd()
from themecoder.core.project import Project
from themecoder.io.batch import import_files
from themecoder.nlp import load_pipeline
p = load_pipeline("fallback"); p.analyse("Hei. Dette er en prøve.")
text = "\n\n".join(q.read_text(encoding="utf-8") for q in sorted((root / "corpora").glob("*.txt")))
while len(text.split()) < 200_000:
    text += "\n\n" + text
with tempfile.TemporaryDirectory() as d:
    f = Path(d) / "lang.txt"; f.write_text(text, encoding="utf-8")
    pr = Project.create(Path(d) / "p.themecoder", coder="b")
    t = time.perf_counter(); res = import_files(pr, [f], pipeline=p); el = time.perf_counter() - t
    assert res[0].ok, res[0].message
    pr2 = Project.create(Path(d) / "q.themecoder", coder="b")
    files = sorted((root / "corpora").glob("*.txt"))
    t = time.perf_counter(); res = import_files(pr2, files, pipeline=p); demo = time.perf_counter() - t
    assert all(r.ok for r in res)
print(json.dumps({"index_wps": len(text.split()) / el, "demo_import_s": demo}))
"""

MAKE_REFI = r"""
import sys
from pathlib import Path
sys.path.insert(0, str(Path.cwd() / "benchmarks"))
from synthetic import build_synthetic
from themecoder.core.project import Project
from themecoder.io.export import ExportOptions, run_export
out = Path(sys.argv[1])
build_synthetic(out / "src.themecoder", documents=30, words=185_000, codings=750, codes=60, themes=10)
p = Project.open(out / "src.themecoder", coder="bench")
run_export(p, "qdpx", out / "synth.qdpx", ExportOptions(allow_unreviewed=True))
p.close()
print("{}")
"""

IMPORT_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from themecoder.core.project import Project
from themecoder.io.refi_project import import_refi_file
p = Project.create(sys.argv[1], coder="bench")
index = sys.argv[3] == "1"
import_refi_file(p, sys.argv[2], index=index)
p.close()
print(json.dumps({"t": time.perf_counter() - t0}))
"""

DEMO_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from themecoder.io.demo import build_demo
try:  # as `themecoder demo` builds it: indexed and checked once opened (older commits: while building)
    build_demo(Path(sys.argv[1]), index=False, check=False)
except TypeError:
    build_demo(Path(sys.argv[1]))
print(json.dumps({"demo_build_s": time.perf_counter() - t0}))
"""

THEME_FETCH = r"""
import json, sys, time, uuid, random
from pathlib import Path
sys.path.insert(0, str(Path.cwd() / "benchmarks"))
from synthetic import build_synthetic
from themecoder import store
from themecoder.core.project import Project
path = Path(sys.argv[1]) / "theme.themecoder"
build_synthetic(path, documents=200, words=400_000, codings=6_000, codes=1, themes=2)
p = Project.open(path, coder="bench")
theme = max(store.themes.themes(p.db), key=lambda t: len(store.codings.codings_for_theme(p.db, t.id)))
times = []
for _ in range(7):
    t = time.perf_counter(); rows = store.codings.codings_for_theme(p.db, theme.id); times.append(time.perf_counter() - t)
print(json.dumps({"theme_fetch_ms": sorted(times)[3] * 1000, "rows": len(rows)}))
"""

HUGE = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from themecoder import store
from themecoder.core.project import Project
p = Project.open(sys.argv[1])
docs = store.documents.documents(p.db)
stats = store.codes.code_stats(p.db)
themes = store.themes.themes(p.db)
el = time.perf_counter() - t0
print(json.dumps({"huge_open_s": el, "huge_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

TUI_CHILD = r"""
import asyncio, json, statistics, sys, time
from pathlib import Path
sys.path.insert(0, str(Path.cwd() / "benchmarks"))
from textual import events
from themecoder.tui.app import ThemecoderApp
from themecoder.tui.screens.transcript import TranscriptScreen
from themecoder.tui.widgets.transcript_view import TranscriptView

async def main():
    try:  # write behind the paint, as in a real terminal (older commits lack the option)
        app = ThemecoderApp(sys.argv[1], coder="bench", nlp=False, poll=None, write_behind=True)
    except TypeError:
        app = ThemecoderApp(sys.argv[1], coder="bench", nlp=False, poll=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        enter = events.Key("enter", None); enter.set_sender(app)
        app._driver.send_message(enter)
        def ready():
            s = app.screen
            return isinstance(s, TranscriptScreen) and bool(s.query(TranscriptView)) and s.query(TranscriptView).first().line_count > 0
        while not ready():
            await asyncio.sleep(0.001)
        screen = app.screen
        stamps = []
        original = screen._compositor_refresh
        def spy():
            original(); stamps.append(time.perf_counter())
        screen._compositor_refresh = spy
        while not stamps:
            await asyncio.sleep(0.001)
        view = screen.view
        keys = ["down"] * 60 + ["shift+down"] * 15 + ["up"] * 15 + ["right_square_bracket"] * 15 + ["pagedown"] * 15
        lat = []
        for key in keys:
            before = view.selection
            n = len(stamps)
            sent = time.perf_counter()
            ev = events.Key(key, None); ev.set_sender(app)
            app._driver.send_message(ev)
            deadline = sent + 2
            while time.perf_counter() < deadline:
                await asyncio.sleep(0)
                if view.selection != before and len(stamps) > n and stamps[-1] > sent:
                    break
            lat.append(stamps[-1] - sent)
            await asyncio.sleep(0.02)
        from themecoder import store
        from themecoder.core.coding import apply_code
        codes = store.codes.codes(app.project.db)
        times = []
        for k in range(7):  # seven passages, each with another code: the median
            ev = events.Key("down", None); ev.set_sender(app)
            app._driver.send_message(ev)
            await asyncio.sleep(0.05)
            n = len(stamps)
            t = time.perf_counter()
            s, e = view.selection
            if hasattr(screen, "code_behind"):
                screen.code_behind(s, e, codes[k].id)
            else:
                app.act(apply_code, screen.doc_id, s, e, codes[k].id)
            while len(stamps) == n:
                await asyncio.sleep(0.001)
            times.append(stamps[-1] - t)
            if hasattr(app, "flush_writes"):
                app.flush_writes()
            await asyncio.sleep(0.05)
        coded = sorted(times)[3]
        ordered = sorted(lat)
        p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
        print(json.dumps({"first_key_ms": lat[0] * 1000, "key_p99_ms": p99 * 1000,
                          "code_selection_ms": coded * 1000}))

asyncio.run(main())
"""

FIRST_CHILD = r"""
import time
t0 = time.perf_counter(); wall0 = time.time()
import asyncio, json, sys
from themecoder.tui.app import ThemecoderApp
async def main():
    app = ThemecoderApp(sys.argv[1], coder="bench", poll=None)
    async with app.run_test(size=(120, 40)):
        while app.first_screen_at is None:
            await asyncio.sleep(0.001)
        print(json.dumps({"wall_end": wall0 + (app.first_screen_at - t0)}), flush=True)
asyncio.run(main())
"""

TUI_PROJECT = r"""
import sys
from pathlib import Path
sys.path.insert(0, str(Path.cwd() / "benchmarks"))
from tui_bench import build
build(Path(sys.argv[1]), words=50_000, codings=2_000, codes=150)
"""


def measure(root: Path, *, huge: bool, log) -> dict[str, float]:
    results: dict[str, float] = {}

    def step(label: str, fn) -> None:
        log(f"  {label} ...")
        try:
            results.update(fn())
        except Exception as exc:  # noqa: BLE001 -- an old commit may lack a part: say n/a
            log(f"    n/a: {exc}")

    _bytecode(root, compiled=True)  # every start measured as an installed package starts
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        step("indexing and demo interviews", lambda: json.loads(_python(root, INDEXING)))

        def refi() -> dict[str, float]:
            _python(root, MAKE_REFI, str(tmp))
            out: dict[str, float] = {}
            for index, key in ((False, "refi_import_s"), (True, "refi_import_indexed_s")):
                times = []
                for i in range(3):
                    target = tmp / f"imp-{index}-{i}.themecoder"
                    wall = time.perf_counter()
                    _python(root, IMPORT_CHILD, str(target), str(tmp / "synth.qdpx"), "1" if index else "0")
                    times.append(time.perf_counter() - wall)
                out[key] = statistics.median(times)
            # The command a user types, process start to exit (it leaves the search index to a
            # detached indexer; older commits build it before returning). `themecoder index`
            # afterwards waits for that indexer, so it never runs beside the next measurement.
            times = []
            for i in range(3):
                target = tmp / f"cli-{i}.themecoder"
                _command(root, "new", str(target))
                wall = time.perf_counter()
                _command(root, "import", str(target), str(tmp / "synth.qdpx"))
                times.append(time.perf_counter() - wall)
                _command(root, "index", str(target), check=False)
            out["cli_import_s"] = statistics.median(times)
            return out

        step("REFI import", refi)

        def demo() -> dict[str, float]:
            times = []
            for i in range(3):
                wall = time.perf_counter()
                _python(root, DEMO_CHILD, str(tmp / f"demo{i}"))
                times.append(time.perf_counter() - wall)
            return {"demo_build_s": statistics.median(times)}

        step("demo build", demo)

        tui_project = tmp / "tui.themecoder"

        def first_screen() -> dict[str, float]:
            _python(root, TUI_PROJECT, str(tui_project))
            out = {}
            # Twice: as installed (pip compiles the package's bytecode, and Python writes it at
            # the first start), and compiling every module of ours at each start, which is what
            # an editable install does where PYTHONDONTWRITEBYTECODE is set (as on this machine).
            for compiled, key in ((False, "first_screen_source_ms"), (True, "first_screen_ms")):
                _bytecode(root, compiled=compiled)
                times = []
                for _ in range(9):
                    wall0 = time.time()
                    end = json.loads(_python(root, FIRST_CHILD, str(tui_project)).splitlines()[-1])["wall_end"]
                    times.append(end - wall0)
                out[key] = statistics.median(times) * 1000
            return out

        step("first screen", first_screen)
        step("keys in the transcript", lambda: json.loads(_python(root, TUI_CHILD, str(tui_project)).splitlines()[-1]))
        step("theme fetch", lambda: {k: v for k, v in json.loads(_python(root, THEME_FETCH, str(tmp))).items()
                                     if k != "rows"})
        if huge:
            def huge_open() -> dict[str, float]:
                code = ("import sys; from pathlib import Path; sys.path.insert(0, str(Path.cwd() / 'benchmarks'));"
                        "from synthetic import build_synthetic;"
                        "build_synthetic(Path(sys.argv[1]), documents=10_000, words=10_000_000, codings=100_000)")
                _python(root, code, str(tmp / "huge.themecoder"), timeout=3600)
                return json.loads(_python(root, HUGE, str(tmp / "huge.themecoder")))

            step("10 M words (building takes minutes)", huge_open)
    return results


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "words/s":
        return f"{value:,.0f}"
    if unit == "ms" or unit == "MB":
        return f"{value:.1f}"
    return f"{value:.2f}"


def _met(value: float | None, target: float | None, higher: bool) -> str:
    if value is None or target is None:
        return ""
    return "met" if (value >= target if higher else value <= target) else "NOT MET"


def print_table(new: dict[str, float], old: dict[str, float] | None, old_label: str) -> None:
    head = f"{'measure':<58} {'measured':>11} {'target':>9} {'unit':<8} {'':<8}"
    if old is not None:
        head += f" {old_label:>11} {'old/new':>8}"
    print(head)
    print("-" * len(head))
    for key, label, target, unit, higher in ROWS:
        value = new.get(key)
        if value is None and (old is None or key not in old):
            continue
        line = f"{label:<58} {_fmt(value, unit):>11} {_fmt(target, unit) if target else '':>9} {unit:<8} " \
               f"{_met(value, target, higher):<8}"
        if old is not None:
            before = old.get(key)
            ratio = ""
            if before is not None and value:
                ratio = f"{(value / before if higher else before / value):.2f}x"
            line += f" {_fmt(before, unit):>11} {ratio:>8}"
        print(line)
    if old is not None:
        print("\nold/new > 1 means this checkout is faster (or, for words/s, higher).")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--compare", metavar="REV", help="also measure this commit (e.g. HEAD~1) and print ratios")
    ap.add_argument("--huge", action="store_true", help="also the 10-million-word project (builds for minutes)")
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON only")
    args = ap.parse_args()
    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    old = None
    if args.compare:
        with tempfile.TemporaryDirectory() as wt_name:
            wt = Path(wt_name) / "tree"
            subprocess.run(["git", "worktree", "add", "--detach", "-q", str(wt), args.compare], cwd=HERE, check=True)
            try:
                log(f"measuring {args.compare}:")
                old = measure(wt, huge=args.huge, log=log)
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(wt)], cwd=HERE, check=False)
    log("measuring this checkout:")
    new = measure(HERE, huge=args.huge, log=log)
    if args.json:
        print(json.dumps({"new": new, "old": old}, indent=2))
    else:
        print_table(new, old, args.compare or "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
