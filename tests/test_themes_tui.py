"""The theme screens in the workbench, driven with Pilot; assertions are on the database."""
from __future__ import annotations

from textual.widgets import DataTable, Input, OptionList

from themecoder import store
from themecoder.core import coding, resolve, themes
from themecoder.core.project import Project
from tui_fixtures import make_app, wait_for
from tui_fixtures import type_text as type_into

SIZE = (120, 40)


def option_ids(app, selector: str) -> list[str]:
    options = app.screen.query_one(selector, OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def highlight(pilot, selector: str, option_id: str) -> None:
    options = pilot.app.screen.query_one(selector, OptionList)
    options.focus()
    options.highlighted = option_ids(pilot.app, selector).index(option_id)
    await pilot.pause()


async def test_move_codes_into_a_new_subtheme_from_the_grouping_view(demo_project):
    with Project.open(demo_project) as p:
        parent = store.themes.themes(p.db)[0]
        loose = themes.unthemed_codes(p)[:2]
        node = next(n for n in themes.flatten(themes.theme_tree(p)) if n.codes and n.theme.parent_id)
        mapped = node.codes[0]
        source = node.theme
        n_codings = len(store.codings.all_codings(p.db))
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("T")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ThemesScreen")
        # Mark two codes in "codes in no theme" and one in a theme.
        for code in loose:
            await highlight(pilot, "#tg-unthemed", f"u|{code.id}")
            await pilot.press("space")
        await highlight(pilot, "#tg-tree", f"c|{source.id}|{mapped.id}")
        await pilot.press("space")
        assert len(app.screen.marked) == 3
        # m: the fuzzy picker; "Parent/Name" offers a new subtheme of Parent.
        await pilot.press("m")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ThemePicker")
        await type_into(pilot, f"{parent.name}/Nytt undertema")
        first = app.screen.query_one(OptionList).get_option_at_index(0)
        assert first.id == "new-sub"
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ThemesScreen")
        await pilot.pause()
        assert app.screen.marked == {}
    with Project.open(demo_project) as p:
        sub = resolve.theme(p, f"{parent.name}/Nytt undertema")
        assert sub.parent_id == parent.id
        assert {c.id for c in store.themes.theme_codes(p.db, sub.id)} == {loose[0].id, loose[1].id, mapped.id}
        # Moved out of its old theme, not copied; the loose codes left "no theme".
        assert mapped.id not in {c.id for c in store.themes.theme_codes(p.db, source.id)}
        assert not {loose[0].id, loose[1].id} & {c.id for c in themes.unthemed_codes(p)}
        assert len(store.codings.all_codings(p.db)) == n_codings
        kinds = [a.kind for a in p.history()[-2:]]
        assert kinds == ["create-theme", "move-codes"]


async def test_grouping_view_create_rename_reorder_remove_and_undo(demo_project):
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("T")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ThemesScreen")
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AskText")
        await type_into(pilot, "Tema fra TUI")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ThemesScreen")
        new = resolve.theme(app.project, "Tema fra TUI")
        top = [t.id for t in store.themes.themes(app.project.db) if t.parent_id is None]
        assert top[-1] == new.id
        # it is highlighted: move it up with [
        await pilot.press("left_square_bracket")
        top = [t.id for t in store.themes.themes(app.project.db) if t.parent_id is None]
        assert top[-2] == new.id
        # rename
        await pilot.press("r")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AskText")
        app.screen.query_one(Input).value = ""
        await type_into(pilot, "Omdøpt tema")
        await pilot.press("enter")
        await wait_for(pilot, lambda: store.themes.theme(app.project.db, new.id).name == "Omdøpt tema")
        # a subtheme, then map a code by moving it there, then take it out again
        await pilot.press("s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AskText")
        await type_into(pilot, "Under")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ThemesScreen")
        sub = next(t for t in store.themes.themes(app.project.db) if t.parent_id == new.id)
        loose = themes.unthemed_codes(app.project)[0]
        await highlight(pilot, "#tg-unthemed", f"u|{loose.id}")
        await pilot.press("m")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ThemePicker")
        await type_into(pilot, "Under")
        options = app.screen.query_one(OptionList)
        assert options.get_option_at_index(options.highlighted).id == f"theme:{sub.id}"
        await pilot.press("enter")
        await wait_for(pilot, lambda: [c.id for c in store.themes.theme_codes(app.project.db, sub.id)] == [loose.id])
        await highlight(pilot, "#tg-tree", f"c|{sub.id}|{loose.id}")
        await pilot.press("x")
        await wait_for(pilot, lambda: store.themes.theme_codes(app.project.db, sub.id) == [])
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: [c.id for c in store.themes.theme_codes(app.project.db, sub.id)] == [loose.id])
        # delete the theme (asks first); the code stays
        await highlight(pilot, "#tg-tree", f"t|{new.id}")
        await pilot.press("delete")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "Confirm")
        await pilot.press("y")
        await wait_for(pilot, lambda: app.project.db.scalar("SELECT 1 FROM themes WHERE id = ?", (new.id,)) is None)
        assert store.codes.code(app.project.db, loose.id).id == loose.id


async def test_theme_texts_and_key_quote(demo_project):
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("T")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ThemesScreen")
        node = next(n for n in themes.flatten(themes.theme_tree(app.project)) if n.codes)
        await highlight(pilot, "#tg-tree", f"t|{node.theme.id}")
        await pilot.press("e")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ThemeTextsEditor")
        from textual.widgets import TextArea

        app.screen.query_one("#text-analytic", TextArea).text = "Analytisk tekst fra TUI."
        app.screen.query_one("#text-condensate", TextArea).text = "Kondensat fra TUI."
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: store.themes.theme(app.project.db, node.theme.id).condensate == "Kondensat fra TUI.")
        assert store.themes.theme(app.project.db, node.theme.id).analytic_text == "Analytisk tekst fra TUI."
        await highlight(pilot, "#tg-tree", f"t|{node.theme.id}")
        await pilot.press("k")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "KeyQuotePicker")
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: store.themes.theme(app.project.db, node.theme.id).key_coding_id is not None)
        key = store.codings.coding(app.project.db, store.themes.theme(app.project.db, node.theme.id).key_coding_id)
        assert key.id in {c.id for c in store.codings.codings_for_theme(app.project.db, node.theme.id)}


async def test_near_duplicates_one_key_merge(project, tmp_path):
    for label in ("å være et medmenneske", "Være medmenneske", "tillit tar tid", "bolig først"):
        coding.create_code(project, label)
    path = project.path
    project.close()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("D")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DuplicatesScreen")
        assert len(app.screen.clusters) == 1
        await pilot.press("v")  # the other code survives
        survivor = app.screen.clusters[0].codes[1]
        await pilot.press("m")
        await wait_for(pilot, lambda: len(store.codes.codes(app.project.db)) == 3)
        assert survivor.label in {c.label for c in store.codes.codes(app.project.db)}
        assert app.screen.clusters == []
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: len(store.codes.codes(app.project.db)) == 4)


async def test_matrix_drill_down_opens_the_quote(demo_project):
    from themecoder.tui.screens.transcript import TranscriptScreen

    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("X")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MatrixScreen")
        screen = app.screen
        m = screen.matrix
        assert [c.label for c in m.columns] == ["Anna", "Britt", "Carl"]
        table = screen.query_one(DataTable)
        assert table.row_count == len(m.rows) + 1  # the totals row
        table.move_cursor(row=0, column=1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.query_one("#mx-quotes", OptionList).option_count == m.counts[0][0])
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TranscriptScreen))
        # (show_document keeps the stack overview → transcript; the matrix opens again with X)
        await pilot.press("X")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MatrixScreen")
        await pilot.press("t")
        assert app.screen.matrix.rows[0].kind == "code"
