"""Timings of `themecoder merge` with memos and themes (issue 12 follow-up). Prints numbers;
asserts nothing.

    python benchmarks/merge_bench.py

Two copies of the demo project are built, one by A and one by B. In B's copy every coding gets
a memo and every theme a second subtheme with the theme's codes; then B's copy is merged into
A's (everything new except what both demos share), merged again (nothing new), and undone.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from agreement_bench import timed  # noqa: E402 (beside this file; after the path is set)


def main() -> None:
    from themecoder import store
    from themecoder.core import themes
    from themecoder.core.memos import new_memo
    from themecoder.core.merge import merge
    from themecoder.core.project import Project
    from themecoder.io.demo import build_demo

    tmp = Path(tempfile.mkdtemp())
    a_path = timed("build the demo project (A)", build_demo, tmp / "a", coder="A")
    b_path = timed("build the demo project (B)", build_demo, tmp / "b", coder="B")
    with Project.open(b_path, coder="B") as b:
        codings = store.codings.all_codings(b.db)
        originals = store.themes.themes(b.db)
        with b.action("bench", "B writes memos and subthemes") as conn:
            for c in codings:
                new_memo(conn, b, "coding", c.id, f"B om {c.quote[:40]}")
            for t in originals:
                sub = themes.new_theme(conn, b, f"{t.name} (B)", themes.deepest_allowed_parent(b, t.id),
                                       description="B sin lesning")
                for code in store.themes.theme_codes(b.db, t.id):
                    themes.map_code(conn, code.id, sub)
        print(f"B: {len(codings)} codings, {len(store.memos.memos(b.db))} memos, "
              f"{store.themes.count(b.db)} themes, {len(store.themes.code_theme_pairs(b.db))} mappings")
    with Project.open(a_path, coder="A") as a:
        res = timed("merge B's copy into A's", merge, a, b_path)
        print(f"    {res.summary()[:300]}")
        res = timed("merge it again (nothing new)", merge, a, b_path)
        print(f"    {res.summary()[:300]}")
        timed("undo the merge", a.undo)


if __name__ == "__main__":
    main()
