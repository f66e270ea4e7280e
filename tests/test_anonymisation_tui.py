"""The Anonymisation screen, driven with Pilot: it lists the findings and resolves them, and
the decisions land in the project (asserted on the database, not only on the screen)."""
from __future__ import annotations

import pytest

from themecoder import store
from themecoder.core import anonymise as an
from themecoder.core.documents import add_transcript
from themecoder.core.project import Project
from themecoder.io.readers import read_transcript
from themecoder.tui.app import ThemecoderApp
from themecoder.tui.screens.anonymisation import AnonymisationScreen, ReplaceDialog
from tui_fixtures import wait_for

TEXT = (
    "I: Kan du fortelle litt om deg selv?\n\n"
    "IP: Jeg heter Kari Nordmann, og du kan ringe meg på 922 33 444. Jeg bor i Trondheim.\n\n"
    "I: Takk.\n\n"
    "IP: Kari Nordmann var fornøyd.\n"
)


@pytest.fixture
def tui_anon_project(tmp_path):
    src = tmp_path / "intervju.txt"
    src.write_text(TEXT, encoding="utf-8")
    path = tmp_path / "anon.themecoder"
    with Project.create(path, coder="student") as p:
        add_transcript(p, read_transcript(src))
    return path


async def _open(pilot) -> AnonymisationScreen:
    app = pilot.app
    screen = AnonymisationScreen(app)
    app.push_screen(screen)
    await wait_for(pilot, lambda: app.screen is screen and not screen.checking and screen.found)
    return screen


def _highlight(screen, text: str) -> None:
    options = screen.query_one("#anon-findings")
    options.highlighted = next(i for i, f in enumerate(screen.found) if f.text == text)


async def test_resolve_a_finding_with_a_category_and_undo(tui_anon_project):
    app = ThemecoderApp(tui_anon_project, coder="student", nlp=False, poll=None)
    async with app.run_test(size=(110, 32)) as pilot:
        screen = await _open(pilot)
        texts = {f.text for f in screen.found}
        assert {"Kari Nordmann", "922 33 444", "Trondheim"} <= texts
        _highlight(screen, "922 33 444")
        await pilot.pause()
        assert "8 sifre" in str(screen.query_one("#anon-detail").render())
        await pilot.press("k")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplaceDialog))
        assert app.screen.query_one("#anon-replacement").value == "[telefon]"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen and "922 33 444" not in {f.text for f in screen.found})
        doc = store.documents.documents(app.project.db)[0]
        text = store.documents.document_text(app.project.db, doc.id)
        assert "ringe meg på [telefon]. Jeg bor" in text
        row = app.project.db.query_one("SELECT mode, replacement, occurrences FROM anon_replacements")
        assert tuple(row) == ("category", "[telefon]", 1)
        # not identifying: remembered
        _highlight(screen, "Trondheim")
        await pilot.press("n")
        await wait_for(pilot, lambda: "Trondheim" not in {f.text for f in screen.found})
        assert app.project.db.scalar("SELECT text FROM anon_ignored") == "Trondheim"
        # undo twice: the text is as imported
        await pilot.press("ctrl+z")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert store.documents.document_text(app.project.db, doc.id) == TEXT
        await wait_for(pilot, lambda: "922 33 444" in {f.text for f in screen.found})


async def test_pseudonym_with_a_new_key_file(tui_anon_project, tmp_path):
    keydir = tmp_path / "safe"
    keydir.mkdir()
    app = ThemecoderApp(tui_anon_project, coder="student", nlp=False, poll=None)
    async with app.run_test(size=(110, 32)) as pilot:
        screen = await _open(pilot)
        _highlight(screen, "Kari Nordmann")
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplaceDialog))
        dialog = app.screen
        suggestion = dialog.query_one("#anon-replacement").value
        assert suggestion and suggestion.split()[0] in an.FEMALE_NAMES
        dialog.query_one("#anon-key").value = str(keydir / "nokkel.json")
        dialog.query_one("#anon-replacement").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen and "Kari Nordmann" not in {f.text for f in screen.found})
        doc = store.documents.documents(app.project.db)[0]
        assert store.documents.document_text(app.project.db, doc.id).count(suggestion) == 2
        assert (keydir / "nokkel.json").exists()
        assert an.anonymisation_label(app.project) == "avidentifisert"
        assert "avidentifisert" in str(screen.query_one("#anon-status").render())


async def test_opens_through_the_screen_registry(tui_anon_project, monkeypatch):
    """The integrator adds one registry line; the factory contract (factory(app)) holds."""
    from themecoder.tui import registry

    entry = registry.ScreenEntry("A", "Anonymisation", "themecoder.tui.screens.anonymisation:AnonymisationScreen",
                                 "Find identifiers; pseudonymise or replace with [categories]")
    monkeypatch.setattr(registry, "SCREENS", [*registry.SCREENS, entry])
    app = ThemecoderApp(tui_anon_project, coder="student", nlp=False, poll=None)
    async with app.run_test(size=(110, 32)) as pilot:
        app.action_open_screen(entry.id)
        await wait_for(pilot, lambda: isinstance(app.screen, AnonymisationScreen) and app.screen.found)
        await pilot.press("a")  # the highlighted finding goes on the known-names list
        await wait_for(pilot, lambda: app.project.db.scalar("SELECT count(*) FROM anon_known_names") == 1)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AnonymisationScreen)


AMBIGUOUS = (
    "I: Hvem hjalp deg?\n\n"
    "IP: Det var Per Kristian Olsen og hans kone. Vi betalte 100 kroner per time.\n\n"
    "I: Og så?\n\n"
    "IP: Så ringte jeg Per igjen. Per dag fikk vi to timer.\n"
)


async def test_ambiguous_hits_are_confirmed_in_a_list(tmp_path):
    """Issue 16: a name that is also a word (Per/per) lists its ambiguous places; only the
    ticked ones are replaced."""
    from themecoder.tui.dialogs.confirm_hits import ConfirmHitsDialog

    src = tmp_path / "intervju.txt"
    src.write_text(AMBIGUOUS, encoding="utf-8")
    path = tmp_path / "amb.themecoder"
    with Project.create(path, coder="student") as p:
        add_transcript(p, read_transcript(src))
    app = ThemecoderApp(path, coder="student", nlp=False, poll=None)
    async with app.run_test(size=(110, 32)) as pilot:
        screen = await _open(pilot)
        _highlight(screen, "Per")
        await pilot.press("k")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplaceDialog))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmHitsDialog))
        dialog = app.screen
        assert [h.text for h in dialog.hits] == ["per", "Per"]  # «per time», «Per dag»
        await pilot.press("enter")  # nothing ticked: only the name itself
        await wait_for(pilot, lambda: app.screen is screen)
        doc = store.documents.documents(app.project.db)[0]
        await wait_for(pilot, lambda: "ringte jeg [navn]" in store.documents.document_text(app.project.db, doc.id))
        text = store.documents.document_text(app.project.db, doc.id)
        assert "100 kroner per time" in text and "Per dag fikk" in text


async def test_title_findings_are_listed_and_replaced(tmp_path):
    """Issue 18: the screen lists what exports guard beside the transcripts (here a title) and
    a replacement covers it."""
    src = tmp_path / "Solveig Haugland.txt"
    src.write_text("I: Ja?\n\nIP: Det gikk bra.\n", encoding="utf-8")
    path = tmp_path / "title.themecoder"
    with Project.create(path, coder="student") as p:
        add_transcript(p, read_transcript(src))
    app = ThemecoderApp(path, coder="student", nlp=False, poll=None)
    async with app.run_test(size=(110, 32)) as pilot:
        screen = await _open(pilot)
        assert any(f.text == "Solveig Haugland" and not f.document_id for f in screen.found)
        _highlight(screen, "Solveig Haugland")
        await pilot.press("k")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplaceDialog))
        await pilot.press("enter")
        doc = store.documents.documents(app.project.db)[0]
        await wait_for(pilot, lambda: store.documents.document(app.project.db, doc.id).title == "[navn]")
        await wait_for(pilot, lambda: not any(f.text == "Solveig Haugland" for f in screen.found))
