"""Strings and typography for exports, in Norwegian bokmål ("nb") and English ("en").

Other modules may reuse it: ``t("table", "nb")`` gives ``"Tabell"``; a missing language falls
back to English, a missing key is a bug (KeyError), so typos show up in tests.

Typography:

* nb quotes inline in «…» (with ‹…› inside, not used here), en in “…”;
* nb decimal comma and a no-break space as thousands separator (``12 345,6``), en ``12,345.6``;
* the default ellipsis that marks omitted text in a shortened quote: ``[…]`` (nb, one
  character U+2026 in brackets, Språkrådet) and ``[...]`` (en, APA 7 uses three periods).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

LANGS = ("nb", "en")
NBSP = "\u00a0"

STRINGS: dict[str, dict[str, str]] = {
    # quote tables
    "table": {"nb": "Tabell", "en": "Table"},
    "theme": {"nb": "Tema", "en": "Theme"},
    "subtheme": {"nb": "Subtema", "en": "Subtheme"},
    "quote": {"nb": "Sitat", "en": "Quote"},
    "participant": {"nb": "Informant", "en": "Participant"},
    "code": {"nb": "Kode", "en": "Code"},
    "description": {"nb": "Beskrivelse", "en": "Description"},
    "document": {"nb": "Dokument", "en": "Document"},
    "place": {"nb": "Sted", "en": "Place"},
    "codings": {"nb": "Kodinger", "en": "Codings"},
    "participants": {"nb": "Informanter", "en": "Participants"},
    "quotes_heading": {"nb": "Sitattabeller: {project}", "en": "Quote Tables: {project}"},
    "quotes_title": {"nb": "Sitater i temaet {theme}", "en": "Quotes for the Theme {theme}"},
    "turn": {"nb": "taletur {n}", "en": "turn {n}"},
    "paragraph": {"nb": "avsnitt {n}", "en": "paragraph {n}"},
    "note": {"nb": "Merknad.", "en": "Note."},
    "note_place": {
        "nb": "Informanten oppgis med pseudonym og sted i transkripsjonen: taletur (eller tidskode), "
              "og dokument når det ikke har informantens navn.",
        "en": "Participants are given by pseudonym and place in the transcript: turn (or timestamp), "
              "and the document when it is not named after the participant.",
    },
    "note_ellipsis": {
        "nb": "{ellipsis} markerer utelatt tekst.",
        "en": "{ellipsis} marks omitted text.",
    },
    "note_block": {
        "nb": "Sitater på 40 ord eller mer står som blokksitat, uten anførselstegn.",
        "en": "Quotes of 40 words or more are set as block quotes, without quotation marks.",
    },
    "no_quotes": {"nb": "Ingen sitater.", "en": "No quotes."},
    "no_theme": {"nb": "(uten tema)", "en": "(no theme)"},
    "appendix": {"nb": "Vedlegg: Sitater etter tema og kode", "en": "Appendix: Quotes by Theme and Code"},
    "appendix_intro": {
        "nb": "Alle kodede sitater, ordnet etter tema, kode, informant og sted i transkripsjonen.",
        "en": "All coded quotes, ordered by theme, code, participant and place in the transcript.",
    },
    # codebook
    "codebook": {"nb": "Kodebok", "en": "Codebook"},
    "codebook_title": {"nb": "Kodebok for {project}", "en": "Codebook for {project}"},
    "codebook_note": {
        "nb": "Kodinger = antall kodede tekstutdrag; informanter = antall informanter med minst én koding.",
        "en": "Codings = number of coded passages; participants = number of participants with at least one coding.",
    },
    # csv column names
    "csv_theme": {"nb": "tema", "en": "theme"},
    "csv_subtheme": {"nb": "subtema", "en": "subtheme"},
    "csv_code": {"nb": "kode", "en": "code"},
    "csv_quote": {"nb": "sitat", "en": "quote"},
    "csv_shortened": {"nb": "forkortet_sitat", "en": "shortened_quote"},
    "csv_participant": {"nb": "informant", "en": "participant"},
    "csv_document": {"nb": "dokument", "en": "document"},
    "csv_place": {"nb": "sted", "en": "place"},
    "csv_start": {"nb": "start", "en": "start"},
    "csv_end": {"nb": "slutt", "en": "end"},
    "csv_coding_id": {"nb": "koding_id", "en": "coding_id"},
    "csv_description": {"nb": "beskrivelse", "en": "description"},
    "csv_codings": {"nb": "kodinger", "en": "codings"},
    "csv_participants": {"nb": "informanter", "en": "participants"},
    # review summary (io/review_summary.py)
    "review.title": {"nb": "Veiledningsgrunnlag: {project}", "en": "Review summary: {project}"},
    "review.generated": {"nb": "Laget {date}.", "en": "Generated {date}."},
    "review.reviewers": {"nb": "Veileder(e): {names}.", "en": "Reviewer(s): {names}."},
    "review.progress": {"nb": "Status: {approved} godkjent, {revision} må revideres, {proposed} foreslått; "
                       "{open} åpne kommentartråder.",
                 "en": "Status: {approved} approved, {revision} need revision, {proposed} proposed; "
                       "{open} open comment threads."},
    "review.status": {"nb": "Status", "en": "Status"},
    "review.theme_status": {"nb": "Status for temaet: {status}", "en": "Theme status: {status}"},
    "review.key_quote": {"nb": "Gullsitat", "en": "Key quote"},
    "review.condensate": {"nb": "Kondensat", "en": "Condensate"},
    "review.analytic_text": {"nb": "Analytisk tekst", "en": "Analytic text"},
    "review.comments": {"nb": "Kommentarer", "en": "Comments"},
    "review.code": {"nb": "Kode", "en": "Code"},
    "review.codings": {"nb": "Kodinger", "en": "Codings"},
    "review.participants": {"nb": "Informanter", "en": "Informants"},
    "review.no_codes": {"nb": "Ingen koder i temaet.", "en": "No codes in this theme."},
    "review.no_themes": {"nb": "Prosjektet har ingen temaer ennå.", "en": "The project has no themes yet."},
    "review.unthemed": {"nb": "Koder uten tema", "en": "Codes in no theme"},
    "review.orphans": {"nb": "Vurderinger uten mål", "en": "Orphaned review items"},
    "review.orphans_intro": {"nb": "Disse temaene eller koblingene ble vurdert, men finnes ikke lenger i prosjektet.",
                      "en": "These themes or mappings were reviewed but no longer exist in the project."},
    "review.changes": {"nb": "Endringer siden forrige veiledning", "en": "Changes since the last review"},
    "review.no_changes": {"nb": "Ingen endringer.", "en": "No changes."},
    "review.resolved": {"nb": "løst", "en": "resolved"},
    "review.target": {"nb": "Gjelder", "en": "Target"},
    "review.proposed": {"nb": "foreslått", "en": "proposed"},
    "review.approved": {"nb": "godkjent", "en": "approved"},
    "review.needs-revision": {"nb": "må revideres", "en": "needs revision"},
}

QUOTES = {"nb": ("«", "»"), "en": ("\u201c", "\u201d")}
ELLIPSIS = {"nb": "[…]", "en": "[...]"}
# Excel reads a CSV with the list separator of the system's locale: ";" in Norway.
CSV_DELIMITER = {"nb": ";", "en": ","}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        from themecoder.errors import UserError

        raise UserError(f"unknown language {lang!r}; use nb or en")
    return lang


def t(key: str, lang: str, **kwargs: object) -> str:
    entry = STRINGS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**kwargs) if kwargs else text


def quote_marks(lang: str) -> tuple[str, str]:
    return QUOTES.get(lang, QUOTES["en"])


def default_ellipsis(lang: str) -> str:
    return ELLIPSIS.get(lang, ELLIPSIS["en"])


def format_int(n: int, lang: str) -> str:
    """12345 -> ``12 345`` (nb, no-break space) or ``12,345`` (en)."""
    text = f"{n:,}"
    return text.replace(",", NBSP) if lang == "nb" else text


def format_decimal(x: float, lang: str, decimals: int = 1) -> str:
    """Rounded half away from zero; nb ``1 234,5`` with decimal comma, en ``1,234.5``."""
    q = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{q:,.{decimals}f}"
    if lang == "nb":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", NBSP)
        if text.startswith("-"):
            text = "\u2212" + text[1:]
    return text


def format_percent(fraction: float, lang: str, decimals: int = 0) -> str:
    """0.953 -> ``95 %`` (nb, no-break space before %) or ``95%`` (en)."""
    number = format_decimal(fraction * 100, lang, decimals)
    return f"{number}{NBSP}%" if lang == "nb" else f"{number}%"
