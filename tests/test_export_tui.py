"""The Export screen, driven with Pilot on the demo project: every export the CLI has can be
made from it (the file exists and opens), the options reach the file, and the identifier
guard refuses exactly as on the command line: no file, the refusal shown on the screen, and
with the box ticked the file is written and says so."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Select, SelectionList, Static

from themecoder import store
from themecoder.core.coding import apply_new_code
from themecoder.core.documents import add_transcript
from themecoder.core.project import Project
from themecoder.io.export import KINDS
from themecoder.io.readers import read_transcript
from themecoder.tui.screens.export import ExportScreen
from tui_fixtures import make_app, type_text, wait_for

SIZE = (110, 44)
SECRET = "Ring Kari Nordmann på 922 33 444"


async def open_export(pilot) -> ExportScreen:
    app = pilot.app
    await pilot.press("E")
    await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
    await pilot.pause()
    return app.screen


async def choose(pilot, screen: ExportScreen, kind: str, fmt: str | None = None) -> None:
    screen.query_one("#export-kind", Select).value = kind
    await pilot.pause()
    if fmt is not None:
        screen.query_one("#export-format", Select).value = fmt
        await pilot.pause()


async def export(pilot, screen: ExportScreen, path: Path | None = None) -> str:
    """Set the output (if given), press Enter in the path field, wait for the worker."""
    field = screen.query_one("#export-path", Input)
    if path is not None:
        field.value = str(path)
    field.focus()
    await pilot.pause()
    await pilot.press("enter")
    await wait_for(pilot, lambda: not screen.exporting)
    await pilot.pause()
    return str(screen.query_one("#export-result", Static).render())


def opens(path: Path, fmt: str) -> None:
    assert path.is_file() and path.stat().st_size > 0
    if fmt == "docx":
        import docx

        assert docx.Document(str(path)).paragraphs
    elif fmt == "qdpx":
        with zipfile.ZipFile(path) as zf:
            assert "project.qde" in zf.namelist()
    elif fmt == "json":
        json.loads(path.read_text(encoding="utf-8"))
    elif fmt in ("md", "html", "csv"):
        assert "anonymisation" in path.read_text(encoding="utf-8-sig") or fmt == "csv"


async def test_opens_by_key_and_from_the_palette_with_the_default_path(demo_project):
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        assert any(t == "Open: Export" for t, _, _ in app.palette_commands())
        screen = await open_export(pilot)
        assert screen.query_one("#export-kind", Select).value == "quotes"
        assert screen.query_one("#export-lang", Select).value == "nb"
        path = Path(screen.query_one("#export-path", Input).value)
        assert path == demo_project.parent / "exports" / "demo-sitater.docx"
        # the path follows the kind, format and language while the user has not edited it
        await choose(pilot, screen, "codebook", "csv")
        screen.query_one("#export-lang", Select).value = "en"
        await pilot.pause()
        assert Path(screen.query_one("#export-path", Input).value).name == "demo-codebook.csv"
        assert screen.query_one("#export-delimiter-group").display
        assert not screen.query_one("#export-quotes").display
        # an edited path keeps its name; only the suffix follows the format
        screen.query_one("#export-path", Input).value = str(demo_project.parent / "mine.csv")
        await choose(pilot, screen, "codebook", "md")
        assert screen.query_one("#export-path", Input).value == str(demo_project.parent / "mine.md")
        # ... and a typed suffix chooses the format
        screen.query_one("#export-path", Input).value = str(demo_project.parent / "mine.qdc")
        await pilot.pause()
        assert screen.query_one("#export-format", Select).value == "qdc"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        # from another workbench screen too
        await pilot.press("X")
        await pilot.pause()
        assert app.screen._registry_entry == "MatrixScreen"
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))


async def test_the_command_palette_opens_it(demo_project):
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "Open: Export")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        # and the help screen lists its key
        from themecoder.tui.screens.help import HelpScreen

        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "Export: Quote tables, codebook" in app.screen.text


@pytest.mark.parametrize("kind", list(KINDS))
async def test_every_format_of_every_kind_from_the_screen(demo_project, tmp_path, kind):
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        for fmt in KINDS[kind].formats:
            await choose(pilot, screen, kind, fmt)
            out = tmp_path / "out" / f"{kind}.{fmt}"
            shown = await export(pilot, screen, out)
            assert screen.last_error is None, screen.last_error
            assert f"wrote {out}" in shown and "stamped" in shown
            opens(out, fmt)
        assert any(m.startswith("Exported: ") for m in app.notified)


async def test_keyboard_only_export_to_the_default_place(demo_project):
    """Tab to the format, choose Markdown with the keys, Enter exports."""
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        assert app.focused is screen.query_one("#export-kind", Select)
        await pilot.press("tab")
        assert app.focused is screen.query_one("#export-format", Select)
        await pilot.press("enter")           # opens the list ...
        await pilot.press("down", "enter")   # ... and chooses Markdown in it
        await pilot.pause()
        assert screen.query_one("#export-format", Select).value == "md"
        await pilot.press("tab", "tab")      # language, then the path
        assert app.focused is screen.query_one("#export-path", Input)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not screen.exporting and screen.last_result is not None)
        out = demo_project.parent / "exports" / "demo-sitater.md"
        assert screen.last_result.path == out and out.is_file()
        # every control is reachable with tab, and each has a label
        seen = set()
        for _ in range(12):
            await pilot.press("tab")
            seen.add(app.focused.id)
            assert screen.query_one(f"#{app.focused.id}").parent.query(".export-label") or \
                isinstance(app.focused, Checkbox) or app.focused.id == "export-go"
        assert {"export-kind", "export-format", "export-lang", "export-path", "export-themes",
                "export-max-per-code", "export-ellipsis", "export-appendix", "export-allow", "export-go"} <= seen


async def test_options_reach_the_file(demo_project, tmp_path):
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        await choose(pilot, screen, "quotes", "md")
        top = [t for t in store.themes.themes(app.project.db) if t.parent_id is None]
        screen.query_one("#export-themes", SelectionList).select(top[0].id)
        screen.query_one("#export-appendix", Checkbox).value = True
        shown = await export(pilot, screen, tmp_path / "one.md")
        assert "1 table," in shown and "with appendix" in shown
        await choose(pilot, screen, "qdpx")
        screen.query_one("#export-themes-as", Select).value = "sets"
        shown = await export(pilot, screen, tmp_path / "sets.qdpx")
        assert "as sets" in shown
        await choose(pilot, screen, "quotes", "csv")
        screen.query_one("#export-delimiter", Input).value = "tab"
        await export(pilot, screen, tmp_path / "q.csv")
        assert "\t" in (tmp_path / "q.csv").read_text(encoding="utf-8-sig").splitlines()[0]
        # a bad number is one line on the screen, and nothing is written
        await choose(pilot, screen, "report", "md")
        screen.query_one("#export-max-quotes", Input).value = "0"
        shown = await export(pilot, screen, tmp_path / "r.md")
        assert "Quotes per theme must be a whole number" in shown and not (tmp_path / "r.md").exists()


async def test_the_path_check_refuses_the_project_file(demo_project):
    before = demo_project.stat().st_size
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        await choose(pilot, screen, "quotes", "csv")
        shown = await export(pilot, screen, demo_project)
        assert "refusing to write" in shown and "project file" in shown
        assert screen.last_result is None
    with Project.open(demo_project) as project:
        assert project.db.scalar("SELECT count(*) FROM documents") == 3
    assert demo_project.stat().st_size >= before


@pytest.fixture
def blocked_project(demo_project, tmp_path) -> Path:
    """The demo project plus an interview whose coded passage holds a real-looking name and
    phone number: an unresolved identifier that blocks every export of transcript text."""
    src = tmp_path / "intervju-x.txt"
    src.write_text("I: Hvem hjalp deg?\n\nIP: " + SECRET + ", hun hjalp meg mest.\n", encoding="utf-8")
    with Project.open(demo_project) as project:
        doc = add_transcript(project, read_transcript(src))
        text = store.documents.document_text(project.db, doc.id)
        start = text.index(SECRET)
        apply_new_code(project, doc.id, start, start + len(SECRET), "Hjelp fra andre")
    return demo_project


async def test_the_guard_refuses_and_the_box_allows(blocked_project, tmp_path):
    app = make_app(blocked_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        out = tmp_path / "q.docx"
        shown = await export(pilot, screen, out)
        assert not out.exists() and not list(tmp_path.glob(".q.docx*"))
        assert "export refused" in shown and "Kari Nordmann" in shown
        assert "Press A for the Anonymisation screen" in shown  # what to do about it
        assert screen.last_error.startswith("export refused") and "\n" not in screen.last_error
        # the REFI project (whole documents) is refused too
        await choose(pilot, screen, "qdpx")
        shown = await export(pilot, screen, tmp_path / "p.qdpx")
        assert "export refused" in shown and not (tmp_path / "p.qdpx").exists()
        # tick the box with the keyboard, export again: written, and the file says so
        await choose(pilot, screen, "quotes", "docx")
        screen.query_one("#export-path", Input).value = str(out)
        assert app.focused is screen.query_one("#export-allow", Checkbox)  # after a refusal
        await pilot.press("space")
        assert screen.query_one("#export-allow", Checkbox).value
        await pilot.press("enter")  # Enter on the box exports (space ticks it)
        await wait_for(pilot, lambda: not screen.exporting and screen.last_result is not None)
        assert screen.last_result.path == out and out.is_file()
        shown = str(screen.query_one("#export-result", Static).render())
        assert "unreviewed findings allowed by user" in shown
        # the hint's key: A opens the Anonymisation screen from here
        from themecoder.tui.screens.anonymisation import AnonymisationScreen

        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, AnonymisationScreen))
        await wait_for(pilot, lambda: not app.screen.checking)
    import docx

    props = docx.Document(str(out)).core_properties
    assert "unreviewed findings allowed by user" in props.comments


async def test_typing_a_path_and_exporting(demo_project, tmp_path):
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        await choose(pilot, screen, "review-summary")
        field = screen.query_one("#export-path", Input)
        field.value = ""
        field.focus()
        await pilot.press("C", "E", "X")  # capitals are text here, not screen keys
        assert app.screen is screen and field.value == "CEX"
        field.value = ""
        out = tmp_path / "veiledning.md"
        await type_text(pilot, str(out))
        assert screen.query_one("#export-format", Select).value == "md"
        await pilot.press("enter")
        await wait_for(pilot, lambda: not screen.exporting and screen.last_result is not None)
        assert out.read_text(encoding="utf-8").startswith("<!-- themecoder anonymisation")
