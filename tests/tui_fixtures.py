"""Fixtures for the TUI tests: a small, deterministic project of three interviews.

Built once per test session (the NLP fallback loads once) and copied for each test, so
tests may change their copy freely. No ids, paths or times are shown on the screens the
snapshot tests take.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from themecoder.core import resolve
from themecoder.tui.app import ThemecoderApp

ANNA = """I: Takk for at du ville stille opp. Kan du fortelle litt om jobben din?

Anna: Ja. Jeg jobber i et ambulant team i kommunen. Vi følger opp folk hjemme, eller der de er. Relasjonen til brukerne er det viktigste vi har.

I: Hva mener du med det?

Anna: Uten en god relasjon kommer vi ingen vei. Jeg bruker mye tid på å bygge tillit. Noen ganger tar det måneder før de slipper meg inn. Og da må jeg tåle å bli avvist uten å gi opp.

I: Hvordan opplever du tiden du har til det?

Anna: Det er for lite tid. Vi har mange på listen, og lederen vil se tall. Tidspresset gjør at vi må prioritere hardt, og da blir det de som roper høyest som får hjelp.

I: Får brukerne være med og bestemme?

Anna: Vi prøver. Brukermedvirkning står i alle planene, men i praksis er det vi som bestemmer tempoet. Jeg synes det er vanskelig, altså.
"""

BRITT = """I: Kan du begynne med å fortelle hvordan en vanlig dag ser ut?

Britt: En vanlig dag starter med et morgenmøte. Der fordeler vi besøkene. Så er jeg ute nesten hele dagen.

I: Hva er viktig for deg i møte med brukerne?

Britt: Relasjonene. Hvis de ikke stoler på meg, så kan jeg ikke hjelpe. Det tar tid å bygge relasjoner, og tid har vi ikke nok av.

I: Kan du si mer om det?

Britt: Vi skriver mye. Dokumentasjonen tar over. Jeg sitter ofte med journalen til sent på kvelden fordi jeg ikke rakk det i arbeidstiden.
"""

CARL = """I: Hvor lenge har du jobbet i teamet?

Carl: Snart ti år. Jeg har sett mange reformer komme og gå.

I: Hva har endret seg?

Carl: Mer dokumentasjon, mindre tid med folk. Men relasjonen er fortsatt kjernen i arbeidet. Uten den er vi bare saksbehandlere.

I: Hvordan tar dere brukerne med i beslutningene?

Carl: Vi lager planen sammen med dem. Brukeren bestemmer målene, og vi hjelper med veien dit. Det høres enkelt ut, men det krever at vi tåler at ting tar tid.
"""

TRANSCRIPTS = {"anna.txt": ANNA, "britt.txt": BRITT, "carl.txt": CARL}

CODES = [
    # (label, colour, [(document title, quote)])
    ("Relasjon som grunnlag", "#4E79A7", [
        ("anna", "Relasjonen til brukerne er det viktigste vi har."),
        ("britt", "Hvis de ikke stoler på meg, så kan jeg ikke hjelpe."),
        ("carl", "Men relasjonen er fortsatt kjernen i arbeidet."),
    ]),
    ("Tidspress", "#F28E2B", [
        ("anna", "Det er for lite tid."),
        ("britt", "Det tar tid å bygge relasjoner, og tid har vi ikke nok av."),
    ]),
    ("Dokumentasjon tar tid fra brukerne", "#59A14F", [
        ("britt", "Dokumentasjonen tar over."),
        ("carl", "Mer dokumentasjon, mindre tid med folk."),
    ]),
    ("Brukermedvirkning i praksis", "#B07AA1", []),
]

CODER = "testkoder"


def build_project(folder: Path) -> Path:
    from themecoder import store
    from themecoder.core.coding import apply_code, create_code
    from themecoder.core.project import Project
    from themecoder.core.text import find_quote
    from themecoder.io.batch import import_files

    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for name, text in TRANSCRIPTS.items():
        p = folder / name
        p.write_text(text, encoding="utf-8")
        files.append(p)
    path = folder / "studie.themecoder"
    with Project.create(path, name="Masterstudie", coder=CODER) as project:
        results = import_files(project, files)
        assert all(r.ok for r in results), [r.message for r in results]
        for label, colour, quotes in CODES:
            code = create_code(project, label, colour=colour)
            for doc_ref, quote in quotes:
                doc = resolve.document(project, doc_ref)
                text = store.documents.document_text(project.db, doc.id)
                (start, end), = find_quote(text, quote)
                apply_code(project, doc.id, start, end, code.id)
    return path


@pytest.fixture(scope="session")
def _tui_project_template(tmp_path_factory) -> Path:
    return build_project(tmp_path_factory.mktemp("tui-template"))


@pytest.fixture
def tui_project(_tui_project_template, tmp_path) -> Path:
    """A fresh copy of the three-interview project for one test."""
    target = tmp_path / "studie.themecoder"
    shutil.copy(_tui_project_template, target)
    return target


# -- Pilot helpers shared by the TUI tests ------------------------------------------------
def make_app(path, coder="student", **kw) -> ThemecoderApp:
    kw.setdefault("nlp", False)
    kw.setdefault("poll", None)
    app = ThemecoderApp(path, coder=coder, **kw)
    # every notification, kept (toasts expire, which makes asserting on them racy)
    app.notified = []
    original = app.notify

    def notify(message, *args, **kwargs):
        app.notified.append(str(message))
        return original(message, *args, **kwargs)

    app.notify = notify
    return app

async def type_text(pilot, text: str) -> None:
    """Type into the focused Input or TextArea: the first key is a real key press (so the
    focus and key routing are tested), the rest is inserted at once (Pilot spends ~0.1 s
    per key press waiting for idle)."""
    from textual.widgets import Input, TextArea

    await pilot.press(text[0])
    focused = pilot.app.focused
    rest = text[1:]
    if isinstance(focused, Input):
        focused.insert_text_at_cursor(rest)
    elif isinstance(focused, TextArea):
        focused.insert(rest)
    else:
        await pilot.press(*rest)
    await pilot.pause()

async def wait_for(pilot, predicate, timeout: float = 15.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if predicate():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not reached in time")


OLA_QUOTE = "Brukermedvirkning står i alle planene"


def add_ola(path) -> None:
    """A second coder, "ola", on the three-interview project: one passage of Anna coded with a
    code of ola's own ("Egen kode"), one with the shared "Tidspress" (which testkoder also used
    there). For the blind-coding and agreement tests."""
    from themecoder import store
    from themecoder.core import resolve
    from themecoder.core.coding import create_code, place_coding
    from themecoder.core.project import Project
    from themecoder.core.text import find_quote

    with Project.open(path, coder="ola") as p:
        anna = resolve.document(p, "anna")
        text = store.documents.document_text(p.db, anna.id)
        own = create_code(p, "Egen kode")
        shared = store.codes.code_by_label(p.db, "Tidspress")
        (s, e), = find_quote(text, OLA_QUOTE)
        (s2, e2), = find_quote(text, "Det er for lite tid.")   # testkoder coded this with Tidspress too
        with p.action("test", "ola codes") as conn:
            place_coding(conn, p, anna.id, own.id, s, e)
            place_coding(conn, p, anna.id, shared.id, s2, e2)
