"""Invariants of the theme tree under any sequence of operations (hypothesis)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from themecoder import store
from themecoder.core import coding, themes
from themecoder.core.project import Project
from themecoder.errors import UserError

OPS = st.lists(
    st.tuples(st.sampled_from(["create", "move", "top", "reorder", "shift", "delete", "keep", "map", "movecodes",
                               "undo"]),
              st.integers(0, 20), st.integers(0, 20), st.integers(-3, 6)),
    min_size=1, max_size=30,
)


def check_tree(project: Project) -> None:
    rows = project.db.query("SELECT id, parent_id, position FROM themes")
    parent = {r[0]: r[1] for r in rows}
    for tid in parent:  # no cycles, no dangling parents
        seen, cur = set(), tid
        while cur is not None:
            assert cur not in seen, "cycle in the theme tree"
            seen.add(cur)
            cur = parent[cur]
            assert cur is None or cur in parent
    levels: dict = {}
    for tid, pid, pos in rows:
        levels.setdefault(pid, []).append(pos)
    # Each level in order: after any structural operation positions are 1..n (creation may
    # leave gaps after an undo, which is harmless: order is what counts).
    for positions in levels.values():
        assert len(set(positions)) == len(positions), "two siblings share a position"
    assert len(store.themes.themes(project.db)) == len(rows)  # every theme reachable from the top
    for code_id, theme_id in store.themes.code_theme_pairs(project.db):
        assert theme_id in parent


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_theme_tree_stays_a_tree(tmp_path_factory, ops):
    path = tmp_path_factory.mktemp("props") / "p.themecoder"
    project = Project.create(path, coder="prop")
    try:
        codes = [coding.create_code(project, f"kode {i}").id for i in range(5)]
        for op, a, b, n in ops:
            ts = [t.id for t in store.themes.themes(project.db)]
            pick = (lambda k: ts[k % len(ts)]) if ts else (lambda k: None)
            try:
                if op == "create" or not ts:
                    themes.create_theme(project, f"tema {a}-{b}-{n}", parent_id=pick(b) if ts and n > 0 else None)
                elif op == "move":
                    themes.move_theme(project, pick(a), pick(b), position=n if n > 0 else None)
                elif op == "top":
                    themes.move_theme(project, pick(a), None)
                elif op == "reorder":
                    themes.reorder_theme(project, pick(a), n)
                elif op == "shift":
                    themes.shift_theme(project, pick(a), n)
                elif op in ("delete", "keep"):
                    themes.delete_theme(project, pick(a), keep_subthemes=op == "keep")
                elif op == "map":
                    themes.map_codes(project, [codes[a % 5], codes[b % 5]], pick(n))
                elif op == "movecodes":
                    themes.move_codes(project, [codes[a % 5]], pick(b), from_theme_id=pick(n))
                elif op == "undo":
                    project.undo()
            except UserError:
                pass
            check_tree(project)
    finally:
        project.close()
