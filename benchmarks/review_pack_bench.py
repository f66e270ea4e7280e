"""The review pack of a large project: file size, time to write, time to first paint in Chromium,
time to filter. Prints numbers; asserts nothing.

    python benchmarks/review_pack_bench.py                 # 40 themes, 500 codes, 3,000 quotes
    python benchmarks/review_pack_bench.py --codings 6000  # more

The project is benchmarks/synthetic.py's (direct SQL, one transaction). The pack goes through
the export service like any export (guard, stamp; unreviewed findings allowed, since synthetic
text is random words). The browser is the system's Chromium (/usr/bin/chromium) through
Playwright, offline, from a file URL; first paint and first contentful paint come from the
page's Paint Timing entries, the render time from the page's own script. Targets (issue 11):
under 5 MB, opens and filters without visible delay (well under 100 ms per filter).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import build_synthetic  # noqa: E402
from themecoder.core.project import Project  # noqa: E402
from themecoder.io.export import ExportOptions, run_export  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

FILTER_JS = """async () => {
  const times = {};
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const run = async (name, fn) => { const t0 = performance.now(); fn(); await frame(); times[name] = performance.now() - t0; };
  const open = document.getElementById('open-only'), theme = document.getElementById('theme-filter');
  await run('open only on', () => { open.checked = true; open.dispatchEvent(new Event('change')); });
  await run('open only off', () => { open.checked = false; open.dispatchEvent(new Event('change')); });
  await run('one theme', () => { theme.selectedIndex = 2; theme.dispatchEvent(new Event('change')); });
  await run('all themes', () => { theme.selectedIndex = 0; theme.dispatchEvent(new Event('change')); });
  return times;
}"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--themes", type=int, default=40)
    ap.add_argument("--codes", type=int, default=500)
    ap.add_argument("--codings", type=int, default=3000)
    ap.add_argument("--docs", type=int, default=60)
    ap.add_argument("--runs", type=int, default=3, help="page loads to time")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stor.themecoder"
        t0 = time.perf_counter()
        build_synthetic(path, documents=args.docs, words=args.docs * 1000, codings=args.codings,
                        codes=args.codes, themes=args.themes)
        print(f"synthetic project: {args.themes} themes, {args.codes} codes, {args.codings} codings, "
              f"{args.docs} documents ({time.perf_counter() - t0:.1f} s to build)")
        out = Path(tmp) / "veiledning.html"
        with Project.open(path) as project:
            t0 = time.perf_counter()
            result = run_export(project, "review-pack", out, ExportOptions(allow_unreviewed=True, reviewer="Kari"))
            write_s = time.perf_counter() - t0
        size = out.stat().st_size
        print(result.headline)
        print(f"{'pack written (guard, render, stamp)':<40} {write_s:8.2f} s")
        print(f"{'file size':<40} {size / 1e6:8.2f} MB  (target: under 5 MB)")
        browser_times(out, args.runs)
    return 0


def browser_times(out: Path, runs: int) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("playwright is not installed: no browser timings")
        return
    if not Path(CHROMIUM).exists():
        print(f"no Chromium at {CHROMIUM}: no browser timings")
        return
    fp, fcp, render, load, filters = [], [], [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(runs):
            ctx = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
            ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "blob:", "data:"))
                      else r.abort())
            page = ctx.new_page()
            t0 = time.perf_counter()
            page.goto(out.as_uri(), wait_until="load")
            page.wait_for_selector("html[data-ready='1']")
            load.append((time.perf_counter() - t0) * 1000)
            page.wait_for_function("performance.getEntriesByType('paint').length >= 2", timeout=10_000)
            paints = {e["name"]: e["startTime"] for e in page.evaluate(
                "performance.getEntriesByType('paint').map(e => ({name: e.name, startTime: e.startTime}))")}
            fp.append(paints.get("first-paint", float("nan")))
            fcp.append(paints.get("first-contentful-paint", float("nan")))
            render.append(page.evaluate("window.themecoderPack.renderMs"))
            filters.append(page.evaluate(FILTER_JS))
            ctx.close()
        version = browser.version
        browser.close()
    med = statistics.median
    print(f"Chromium {version}, median of {runs} loads from a file URL, offline:")
    print(f"{'  first paint':<40} {med(fp):8.0f} ms")
    print(f"{'  first contentful paint':<40} {med(fcp):8.0f} ms")
    print(f"{'  page script (parse data, build page)':<40} {med(render):8.0f} ms")
    print(f"{'  load until ready (seen from Python)':<40} {med(load):8.0f} ms")
    for name in filters[0]:
        print(f"{'  filter: ' + name:<40} {med(f[name] for f in filters):8.0f} ms")


if __name__ == "__main__":
    raise SystemExit(main())
