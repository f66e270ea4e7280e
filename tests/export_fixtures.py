"""A small Norwegian project for the export tests, built with core functions only."""
from __future__ import annotations

from pathlib import Path

from themecoder import store
from themecoder.core import resolve
from themecoder.core.coding import code_quote, create_code
from themecoder.core.documents import add_transcript, set_attribute
from themecoder.core.memos import add_memo
from themecoder.core.project import Project
from themecoder.core.themes import add_code_to_theme, create_theme
from themecoder.io.readers import read_transcript

ASTRID = """I: Takk for at du ville være med. Kan du fortelle litt om jobben din?

Astrid: Ja, jeg er sosionom og har jobbet i kommunen i fem år. Det er en jobb jeg er glad i, selv om den er krevende.

I: Hva betyr relasjonen til brukerne for deg?

Astrid: For meg er relasjonen alt, egentlig. Hvis ikke brukeren stoler på meg, så får vi ikke til noe som helst sammen. Jeg bruker mye tid på å bli kjent, på å høre hva som er viktig for dem, og på å være ærlig om hva jeg kan og ikke kan hjelpe med. Det tar tid, men det er den tiden som gjør at de tør å fortelle meg når det går dårlig, og det er jo da jeg trenger å vite det.

I: Kan du gi et eksempel?

Astrid: Det var en ung gutt som ikke ville snakke med noen fra hjelpeapparatet. Vi gikk tur med hunden hans i tre uker før han sa noe om seg selv. Så en dag fortalte han at han ikke hadde sovet på flere døgn.

I: Hva med tidspress?

Astrid: Tidspresset er det verste. Vi har for mange brukere hver, og når det blir for travelt, så blir det bare brannslukking. Da føler jeg at jeg svikter både brukerne og meg selv.
"""

BJORN = """I: Hvordan opplever du samarbeidet med NAV?

Bjørn: Samarbeidet med NAV er blitt mye bedre de siste årene. Vi har faste møter, og vi kjenner hverandre. Før var det mye «ping-pong» mellom etatene, nå ringer vi heller hverandre.

I: Og brukermedvirkning?

Bjørn: Brukermedvirkning er et fint ord, men i praksis er det vanskelig. Vi spør brukerne hva de vil, men så er det budsjettet som bestemmer til slutt. Det skaper frustrasjon, både hos dem og hos oss.

I: Hva gir deg motivasjon?

Bjørn: Når noen får til noe de ikke trodde de kunne. Det er øyeblikkene man lever på i denne jobben, ærlig talt.
"""

LONG_QUOTE = (
    "For meg er relasjonen alt, egentlig. Hvis ikke brukeren stoler på meg, så får vi ikke til noe som "
    "helst sammen. Jeg bruker mye tid på å bli kjent, på å høre hva som er viktig for dem, og på å være "
    "ærlig om hva jeg kan og ikke kan hjelpe med. Det tar tid, men det er den tiden som gjør at de tør "
    "å fortelle meg når det går dårlig, og det er jo da jeg trenger å vite det."
)


def build_project(folder: Path, name: str = "studie") -> Project:
    """Two interviews, two themes (one with a subtheme), six codes, eight codings, memos."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "astrid.txt").write_text(ASTRID, encoding="utf-8")
    (folder / "bjørn.txt").write_text(BJORN, encoding="utf-8")
    project = Project.create(folder / name, coder="tester")
    from themecoder.nlp import load_pipeline

    pipeline = load_pipeline("fallback")
    add_transcript(project, read_transcript(folder / "astrid.txt"), pipeline=pipeline)
    add_transcript(project, read_transcript(folder / "bjørn.txt"), pipeline=pipeline)
    set_attribute(project, "Astrid", "utdanning", "sosionom")
    set_attribute(project, "Astrid", "erfaring_år", "5", "integer")
    set_attribute(project, "Bjørn", "utdanning", "vernepleier")
    set_attribute(project, "Bjørn", "intervjudato", "2024-03-14", "date")

    rel = create_theme(project, "Relasjonen som verktøy", description="Tillit og tid.")
    tid = create_theme(project, "Tid og tillit", parent_id=rel.id, description="Å bli kjent tar tid.")
    sys_ = create_theme(project, "Systemet rundt", description="Rammer og samarbeid.")

    codes = {
        "relasjon er alt": create_code(project, "relasjon er alt", description="Relasjonen som grunnlag."),
        "bli kjent over tid": create_code(project, "bli kjent over tid", description="Tid brukt på å bli kjent."),
        "tidspress": create_code(project, "tidspress", description="For mange brukere, for lite tid."),
        "samarbeid med NAV": create_code(project, "samarbeid med NAV", description="Møter og kontakt."),
        "budsjettet bestemmer": create_code(project, "budsjettet bestemmer", description="Økonomiske rammer."),
        "mestring": create_code(project, "mestring", description="Ikke i noe tema."),
    }
    add_code_to_theme(project, codes["relasjon er alt"].id, rel.id)
    add_code_to_theme(project, codes["bli kjent over tid"].id, tid.id)
    add_code_to_theme(project, codes["tidspress"].id, sys_.id)
    add_code_to_theme(project, codes["samarbeid med NAV"].id, sys_.id)
    add_code_to_theme(project, codes["budsjettet bestemmer"].id, sys_.id)
    # A code in two themes: its codings appear once per theme in the CSV.
    add_code_to_theme(project, codes["tidspress"].id, rel.id)

    code_quote(project, "astrid", LONG_QUOTE, "relasjon er alt")
    code_quote(project, "astrid", "Vi gikk tur med hunden hans i tre uker før han sa noe om seg selv.",
               "bli kjent over tid")
    code_quote(project, "astrid", "Tidspresset er det verste.", "tidspress")
    code_quote(project, "astrid", "når det blir for travelt, så blir det bare brannslukking", "tidspress")
    code_quote(project, "bjørn", "Samarbeidet med NAV er blitt mye bedre de siste årene.", "samarbeid med NAV")
    code_quote(project, "bjørn", "Før var det mye «ping-pong» mellom etatene, nå ringer vi heller hverandre.",
               "samarbeid med NAV")
    code_quote(project, "bjørn", "Vi spør brukerne hva de vil, men så er det budsjettet som bestemmer til slutt.",
               "budsjettet bestemmer")
    code_quote(project, "bjørn", "Når noen får til noe de ikke trodde de kunne.", "mestring")

    add_memo(project, "project", None, "Prosjektmemo: analysen følger Braun og Clarke.", title="Metode")
    add_memo(project, "theme", rel.id, "Relasjon går igjen hos alle informantene.", title="Om relasjon")
    add_memo(project, "code", codes["tidspress"].id, "Tidspress henger sammen med bemanning.")
    doc = resolve.document(project, "astrid")
    add_memo(project, "document", doc.id, "Intervjuet ble gjort på kontoret.")
    first = store.codings.codings_for_code(project.db, codes["relasjon er alt"].id)[0]
    add_memo(project, "coding", first.id, "Nøkkelsitat for relasjon.")
    return project


def coding_for(project: Project, quote_start: str):
    for c in store.codings.all_codings(project.db):
        if c.quote.startswith(quote_start):
            return c
    raise KeyError(quote_start)
