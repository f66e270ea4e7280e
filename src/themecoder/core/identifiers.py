"""Anonymisation guard, detection half: find direct and indirect identifiers in a transcript.

Norwegian research ethics ask that transcripts hold no direct identifiers (names, identity
numbers, phone numbers, addresses) and no combination of indirect ones (exact age, a rare
job title, a small municipality, a named workplace) that points to a person. This module
only *finds* candidates ("suspects"); storing findings, resolving and replacing them is
done elsewhere.

`detect_identifiers` combines

* rules (precompiled regular expressions): identity numbers with valid mod-11 check digits
  (fødselsnummer, D-nummer, H-nummer), phone numbers, e-mail, URLs, dates of birth and
  other exact dates, street addresses, postcodes, vehicle registration numbers, exact
  ages, rare job titles, named workplaces ("Solbakken barnehage", "jobber på X"), company
  and club names ("X AS", "Y IL", "Z kommune");
* capitalised words that do not start a sentence, checked against gazetteers (first
  names, surnames, municipalities, places, institutions; see data/gazetteers/SOURCES.md),
  with sequences of capitalised words read as full names;
* the project's own list of known names (case-insensitive, whole word, genitive -s);
* named entities from a language model, if the caller passes them (spaCy nb labels).

Confidence is a rough, hand-set score in [0, 1] meant for ordering and filtering in the
review screen, not a calibrated probability:

====================================================  ==========
evidence                                              confidence
====================================================  ==========
11 digits with valid check digits, e-mail             0.97-0.98
known name from the project's list                    0.95
phone number (8 digits, Norwegian number plan)        0.85-0.95
first name + surname, address with number             0.85-0.9
date after "født", company "X AS", "X kommune"        0.7-0.9
single name or place from a gazetteer                 0.55-0.75
exact age, vehicle plate, unknown named workplace     0.55-0.75
model entity (PER, LOC, ORG ...)                      0.55
rare job title, other exact date                      0.3-0.6
capitalised word not in any list                      0.3-0.45
====================================================  ==========

Offsets are Unicode code points into the text that was passed in. Nothing here imports
spaCy or Textual; the gazetteers are read lazily, once, with importlib.resources, so the
module also works from an installed wheel.
"""
from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from themecoder.core.text import Regions

__all__ = [
    "KINDS",
    "SOURCES",
    "Suspect",
    "detect_identifiers",
    "valid_fnr",
    "fnr_kind",
    "valid_orgnr",
    "gazetteer",
    "ENTITY_KINDS",
]

KINDS: tuple[str, ...] = (
    "person", "place", "organisation", "phone", "email", "national_id", "d_number",
    "birth_date", "date", "address", "postcode", "url", "vehicle", "age", "job_title",
    "workplace",
)
SOURCES: tuple[str, ...] = ("rule", "gazetteer", "known_names", "model")

# spaCy nb (NorNE) labels -> kinds. PROD, EVT, DRV and MISC are not identifiers as such.
ENTITY_KINDS: dict[str, str] = {
    "PER": "person", "PERSON": "person",
    "LOC": "place", "GPE_LOC": "place", "GPE": "place", "FAC": "place",
    "ORG": "organisation", "GPE_ORG": "organisation",
}

# When detections overlap, the most specific kind wins (lower index = more specific).
_PRIORITY = {k: i for i, k in enumerate((
    "national_id", "d_number", "email", "url", "phone", "vehicle", "birth_date", "address",
    "postcode", "workplace", "organisation", "person", "place", "job_title", "date", "age",
))}


@dataclass(frozen=True, slots=True)
class Suspect:
    """A span that may identify someone. `text == document[start:end]`."""

    start: int
    end: int
    text: str
    kind: str
    reason: str
    confidence: float
    source: str  # "rule" | "gazetteer" | "known_names" | "model"


# --------------------------------------------------------------------------------------
# Identity numbers
# --------------------------------------------------------------------------------------
_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _mod11(digits: str, weights: tuple[int, ...]) -> int | None:
    k = 11 - sum(int(d) * w for d, w in zip(digits, weights)) % 11
    if k == 11:
        return 0
    return None if k == 10 else k


def fnr_kind(digits: str) -> str | None:
    """"fnr", "d_number" or "h_number" if `digits` is a well-formed Norwegian identity
    number (11 digits, plausible date, both mod-11 check digits right), else None.
    Spaces, dots and hyphens are ignored. D-numbers add 4 to the first digit of the day,
    H-numbers add 4 to the first digit of the month. (Synthetic test numbers, which add
    8 to the month digit, are also accepted as "fnr".)"""
    d = re.sub(r"[\s.\-]", "", digits)
    if len(d) != 11 or not d.isdigit():
        return None
    day, month = int(d[0:2]), int(d[2:4])
    kind = "fnr"
    if day > 40:
        day -= 40
        kind = "d_number"
    if month > 80:
        month -= 80
    elif month > 40:
        month -= 40
        if kind == "fnr":
            kind = "h_number"
    if not (1 <= month <= 12 and 1 <= day <= _DAYS[month - 1]):
        return None
    k1 = _mod11(d[:9], _W1)
    if k1 is None or k1 != int(d[9]):
        return None
    k2 = _mod11(d[:10], _W2)
    if k2 is None or k2 != int(d[10]):
        return None
    return kind


def valid_fnr(digits: str) -> bool:
    """True if `digits` is a fødselsnummer, D-nummer or H-nummer with valid mod-11 check
    digits and a plausible date. Spaces, dots and hyphens between the digits are ignored.
    (The reformed numbers planned from 2032 may have other check digits; not handled.)"""
    return fnr_kind(digits) is not None


def valid_orgnr(digits: str) -> bool:
    """True for a 9-digit Norwegian organisation number with a valid mod-11 check digit."""
    d = re.sub(r"[\s.\-]", "", digits)
    if len(d) != 9 or not d.isdigit() or d[0] not in "89":
        return False
    k = _mod11(d[:8], (3, 2, 7, 6, 5, 4, 3, 2))
    return k is not None and k == int(d[8])


# --------------------------------------------------------------------------------------
# Gazetteers
# --------------------------------------------------------------------------------------
_GAZETTEER_FILES = {
    "first_names": "first_names.txt",
    "surnames": "surnames.txt",
    "municipalities": "municipalities.txt",
    "places": "places.txt",
    "workplaces": "workplaces.txt",
    "stopwords": "stopwords_capitalised.txt",
    "common_words": "common_words.txt",
}


@functools.cache
def gazetteer(name: str) -> tuple[str, ...]:
    """Entries of one gazetteer ("first_names", "surnames", "municipalities", "places",
    "workplaces", "stopwords", "common_words"), as written in the data file."""
    fname = _GAZETTEER_FILES[name]
    text = (resources.files("themecoder") / "data" / "gazetteers" / fname).read_text("utf-8")
    return tuple(s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#"))


@dataclass(frozen=True, slots=True)
class _Lexicon:
    first: frozenset[str]
    sur: frozenset[str]
    muni: frozenset[str]
    place: frozenset[str]
    work: frozenset[str]
    stop: frozenset[str]
    common: frozenset[str]
    multi: dict[str, str]  # casefolded multi-word entry -> class
    multi_re: re.Pattern[str] | None


@functools.cache
def _lexicon() -> _Lexicon:
    def fold(name: str) -> frozenset[str]:
        return frozenset(e.casefold() for e in gazetteer(name))

    multi: dict[str, str] = {}
    # Later classes win for duplicates: stop words last, so "Helse Sør-Øst" stays generic.
    for name, cls in (("places", "place"), ("municipalities", "muni"), ("workplaces", "work"),
                      ("stopwords", "stop")):
        for e in gazetteer(name):
            if " " in e or "." in e:
                multi[e.casefold()] = cls
    phrases = sorted(multi, key=len, reverse=True)
    pattern = None
    if phrases:
        alts = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in phrases)
        # entries start with a capital; the case-sensitive look-ahead rejects most positions fast
        pattern = re.compile(rf"(?-i:(?=[{_UP}]))(?<![\w.])(?:{alts})(?![\w])", re.IGNORECASE)
    return _Lexicon(fold("first_names"), fold("surnames"), fold("municipalities"),
                    fold("places"), fold("workplaces"), fold("stopwords"),
                    fold("common_words"), multi, pattern)


# --------------------------------------------------------------------------------------
# Regular expressions (compiled once, at import)
# --------------------------------------------------------------------------------------
_UP = "A-ZÆØÅÄÖÜÉ"
_LO = "a-zæøåäöüéèóáñçšžčćđłńśźżąęőű"
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_ANYTOKEN_RE = re.compile(r"\w+")

# A speaker label: optional timestamp, one to three capitalised words or numbers, colon.
_TS = r"(?:[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]|\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?)"
_LABEL_RE = re.compile(
    rf"^[ \t]*(?:(?P<ts>{_TS})[ \t]*)?"
    rf"(?P<label>[{_UP}0-9][\w.'’\-]{{0,24}}(?:[ \t][{_UP}0-9][\w.'’\-]{{0,24}}){{0,2}})[ \t]*:(?=[ \t]|$)",
    re.MULTILINE,
)
_TIMESTAMP_RE = re.compile(_TS)
# Placeholders and transcriber's notes: [kommune], [navn], [ler], [00:12:31], <navn>, {navn},
# (ler), (pause), (utydelig). Notes in round brackets must be lower-case words only, so that
# "(f. 12.11.1979)" or "(Kari)" are still read.
_PLACEHOLDER_RE = re.compile(r"\[[^\[\]\n]{0,60}\]|<[^<>\n]{1,40}>|\{[^{}\n]{1,40}\}"
                             r"|\([a-zæøå][a-zæøå .,!?…\-]{0,29}\)")

_ABBREV = frozenset("""st dr f nr ca kl bl.a f.eks jf pga mht dvs evt ev iht ift mv tlf fnr adr ref
hhv vs prof ass adm dir avd pr vedr inkl ekskl ang jfr sml tidl ca o.l gt vn pb mob""".split())
_SENT_END_RE = re.compile(r"[.!?…:;]+[\"'»”’)\]]*\s+")
_OPEN_QUOTE_RE = re.compile(r"[«\"“„]\s*(?=[" + _UP + "])")

# ---- numbers and contact details
_PHONE_RE = re.compile(
    r"(?<![\w+])(?P<cc>(?:\+|00)\s?47[\s.\-]?)?"
    r"(?P<num>[2-9]\d{7}|[2-9]\d(?:[ .\-]\d{2}){3}|[2-9]\d{2}[ .\-]\d{2}[ .\-]\d{3}|[2-9]\d{3} \d{4})"
    r"(?![\w]|[.,]\d|[ \-]\d)"
)
_NOT_PHONE_AFTER_RE = re.compile(r"\s*(?:kr\b|kroner|,-|nok\b|%|prosent|km\b|meter|kilo|timer|år\b)",
                                 re.IGNORECASE)
_FNR_RE = re.compile(r"(?<![\d+])(\d{6})[ .\-]?(\d{5})(?!\d)")
_FNR_CUE_RE = re.compile(r"(?:fødselsnummer|fødselsnr|personnummer|personnr|f\.?nr|d-nummer|d-nr|"
                         r"h-nummer|personal ?number)\w*[\s.:]*(?:er|var|mitt|hans|hennes)?\W*$",
                         re.IGNORECASE)
_PERSONNR_RE = re.compile(r"\bpersonnummer(?:et)?(?:\s+(?:mitt|hans|hennes|er|var))*[\s:]+(\d{5})(?!\d)",
                          re.IGNORECASE)
_ORGNR_RE = re.compile(r"(?<![\d+])([89]\d{2})[ .]?(\d{3})[ .]?(\d{3})(?![\d])")
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[a-zA-Z]{2,}\b")
_TLDS = "no|com|org|net|se|dk|fi|is|io|eu|info|biz|nu|uk|de|app|blog|me|tv|edu"
_URL_RE = re.compile(
    r"(?:\b(?:https?://|www\.)[^\s<>\"«»]+)"
    rf"|(?<![@\w.\-])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"«»]*)?",
    re.IGNORECASE,
)
_GENERIC_DOMAINS = frozenset("""nav.no helsenorge.no finn.no vg.no nrk.no db.no aftenposten.no
regjeringen.no ssb.no udir.no fhi.no helsedirektoratet.no lovdata.no altinn.no skatteetaten.no
google.com google.no facebook.com instagram.com youtube.com wikipedia.org snl.no tiktok.com
x.com twitter.com vipps.no digdir.no norge.no""".split())
_VEHICLE_RE = re.compile(r"(?<![\w\-])(?P<l>[A-HJ-NPR-Z]{2})[ \-]?(?P<n>[1-9]\d{3,4})(?![\w]|[.,]\d)")
_VEHICLE_NOT = frozenset("NR KR TF TL PC CV HR TV AS SA DA BA EU FN UK US MS ME KL CM MM KM KG DB AD BC".split())
_VEHICLE_CUE_RE = re.compile(r"(?:bil|skilt|reg|kjennemerke|motorsykkel|mc|traktor|tilhenger|henger|moped|"
                             r"varebil|lastebil|buss)\w*\W+(?:\w+\W+){0,3}$", re.IGNORECASE)

# ---- dates and ages
_MONTHS = ("januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|des")
_MONTH_NO = {m: i + 1 for i, m in enumerate(
    "januar februar mars april mai juni juli august september oktober november desember".split())}
_MONTH_NO.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
                  "sep": 9, "sept": 9, "okt": 10, "nov": 11, "des": 12})
_TEXT_DATE_RE = re.compile(
    rf"(?<![\w.,])(?P<d>[0-3]?\d)\.?\s+(?P<m>{_MONTHS})\.?(?:\s+(?P<y>(?:19|20)\d{{2}}|['’]\d{{2}}))?(?![\w])",
    re.IGNORECASE,
)
_NUM_DATE_RE = re.compile(
    r"(?<![\w.,/])(?P<d>0?[1-9]|[12]\d|3[01])(?P<s>[./])(?P<m>0?[1-9]|1[0-2])(?P=s)"
    r"(?P<y>(?:19|20)\d{2}|\d{2})(?![\d]|[.,]\d)"
    r"|(?<![\w.,/])(?P<d2>0?[1-9]|[12]\d|3[01])/(?P<m2>0?[1-9]|1[0-2])-(?P<y2>\d{2}|\d{4})(?!\d)"
    r"|(?<![\w.,/\-])(?P<y3>(?:19|20)\d{2})-(?P<m3>0[1-9]|1[0-2])-(?P<d3>0[1-9]|[12]\d|3[01])(?![\d])"
)
# Public holidays and national days: "17. mai" without a year is not an identifier.
_HOLIDAYS = frozenset({(1, 1), (6, 2), (8, 3), (1, 5), (8, 5), (17, 5), (23, 6), (24, 6), (22, 7),
                       (29, 7), (24, 12), (25, 12), (26, 12), (31, 12)})
_BIRTH_CUE_RE = re.compile(
    r"(?:\bfødt|\bfødd|\bf\.|\bfødselsdato|\bfødselsdag(?:en)?|\bbursdag(?:en)?|\bfødselsår)"
    r"[\s:]*(?:den\s+|i\s+|år\s+|en\s+)?$", re.IGNORECASE)
_BIRTH_YEAR_RE = re.compile(
    rf"\b(?:født|fødd|f\.)\s*(?:i\s+|år\s+|den\s+)?(?:(?:{_MONTHS})\s+)?(?P<y>(?:19|20)\d{{2}})(?![\d])",
    re.IGNORECASE)
_MODEL_YEAR_RE = re.compile(r"\b(?:er|var)\s+(?:en\s+|ekte\s+)?(?P<y>(?:19|20)?\d{2}-modell)\b", re.IGNORECASE)

_NUMWORD = (r"(?:(?:tjue|tretti|førti|femti|seksti|sytti|åtti|nitti)(?:en|ett|eitt|to|tre|fire|fem|seks|sju|syv|åtte|ni)?"
            r"|ti|elleve|tolv|tretten|fjorten|femten|seksten|sytten|atten|nitten|ett|to|tre|fire|fem|seks|sju|syv|åtte|ni|hundre)")
_AGE_NUM = rf"(?:\d{{1,3}}|{_NUMWORD})"
_AGE_RES: tuple[tuple[re.Pattern[str], float, str, str], ...] = (
    (re.compile(r"(?<![\w\-])(?P<a>\d{1,3})\s?-?\s?åring(?:en)?(?![\w])", re.IGNORECASE), 0.65,
     "«N-åring» (eksakt alder)", "plain"),
    (re.compile(rf"(?<![\w\-])(?P<a>{_AGE_NUM})\s+år\s+gam(?:mel|le|malt)\b", re.IGNORECASE), 0.65,
     "«N år gammel» (eksakt alder)", "plain"),
    (re.compile(rf"\b(?:er|var|blir|ble|vart|er\s+blitt|har\s+blitt)\s+(?:jeg|eg|han|hun|ho|hen|du|mor|far|mamma|pappa)\s+"
                rf"(?:nå\s+|snart\s+|nesten\s+|akkurat\s+)?(?P<a>{_AGE_NUM})(?:\s+år)?(?![\w])", re.IGNORECASE), 0.6,
     "alder etter «er jeg/han/hun»", "subj"),
    (re.compile(rf"\b(?P<v>er|var|blir|ble|fyller|fylte|fyllte|runder|rundet|fylt|blitt)\s+"
                rf"(?:nå\s+|no\s+|snart\s+|nesten\s+|akkurat\s+|bare\s+|berre\s+|nettopp\s+|straks\s+|allerede\s+|vel\s+)?"
                rf"(?P<a>{_AGE_NUM})(?P<yr>\s+år)?(?![\w])", re.IGNORECASE), 0.6,
     "eksakt alder", "verb"),
    (re.compile(rf"\b(?:gutt|jente|elev|pasient|mann|kvinne|dame|sønn|datter|barn|bruker|beboer|ungdom|"
                rf"gutten|jenta|eleven|pasienten|brukeren|beboeren)\s+på\s+(?P<a>{_AGE_NUM})(?:\s+år)?(?![\w])",
                re.IGNORECASE), 0.55, "«en … på N (år)» (eksakt alder)", "noun"),
    (re.compile(r"(?<![\w\-])(?P<a>\d{2,3})-års(?:dag|dagen|lag|laget|feiring)\b", re.IGNORECASE), 0.5,
     "rund dag («N-årsdag»)", "plain"),
)
_AGE_STOP_AFTER = frozenset("""siden senere seinere etter tidligere før fram frem til igjen på prosent kroner kr
timer dager uker måneder ganger stykker personer ansatte barn elever mennesker av og eller i mellom over under
minutter sekunder meter km kilo gram prosentpoeng poeng plasser senger""".split())
_AGE_SUBJECT_STOP = frozenset("det dette den vi de dere disse alle noen mange hvem som prisen summen".split())

# ---- job titles (rare: usually one per municipality, unit or parish)
_TITLES_HIGH = """ordfører varaordfører fylkesordfører ordførar varaordførar fylkesordførar rådmann fylkesrådmann kommunedirektør fylkesdirektør
kommuneoverlege bydelsoverlege fylkeslege fylkestannlege kommunepsykolog kommunalsjef helsesjef
helse-\\s+og\\s+omsorgssjef oppvekstsjef skolesjef barnehagesjef kultursjef næringssjef økonomisjef personalsjef
plansjef landbrukssjef teknisk\\s+sjef brannsjef politimester lensmann sorenskriver byfogd biskop domprost prost
sokneprest kirkeverge kyrkjeverje barnevernsleder barnevernleder barnevernsleiar barnevernssjef nav-leder nav-leiar sykehusdirektør bydelsdirektør
stortingsrepresentant statsråd statsminister""".split()
_TITLES_MID = """rektor prorektor dekan instituttleder skoleleder barnehagestyrer styrer imam rabbiner kapellan
jordmor jordmora kommunejordmor daglig\\s+leder dagleg\\s+leiar styrar styreleder konsernsjef administrerende\\s+direktør adm\\.\\s*dir\\.
hovedtillitsvalgt hovedverneombud klinikksjef klinikkdirektør avdelingsoverlege distriktsveterinær havnefogd
havnesjef kantor organist diakon""".split()
_TITLES_LOW = """enhetsleder einingsleiar avdelingsleder avdelingsleiar avdelingssjef seksjonsleder seksjonsleiar helsesykepleier helsesøster fagsjef
virksomhetsleder tjenesteleder""".split()
_TITLE_RES: list[tuple[re.Pattern[str], float]] = []
for _group, _conf in ((_TITLES_HIGH, 0.6), (_TITLES_MID, 0.45), (_TITLES_LOW, 0.3)):
    _alts = "|".join(sorted(_group, key=len, reverse=True))
    _TITLE_RES.append((re.compile(
        rf"(?<![\w\-])(?P<t>{_alts})(?:en|n|a|et)?"
        rf"(?P<for>(?-i:\s+(?:for|i|på|ved)\s+[{_LO}\-]+(?:\s+og\s+[{_LO}\-]+)?))?(?![\w\-])",
        re.IGNORECASE), _conf))
_TITLE_LEADER_RE = re.compile(r"(?:leder|leiar|sjef|styrer|styrar)$", re.IGNORECASE)
_STYRER_CUE_RE = re.compile(r"\b(?:er|var|ble|blitt|vært|jobber\s+som|jobbet\s+som|som\s+ny)\s+$", re.IGNORECASE)

# ---- workplaces, organisations, addresses
_WP_TYPES = ("videregående skole|videregåande skule|videregående|ungdomsskole|ungdomsskule|barneskole|"
             "barneskule|skole|skule|vgs|barnehage|sykehjem|sjukeheim|sykehus|sjukehus|hospital|DPS|BUP|"
             "legekontor|legesenter|legesentret|helsesenter|helsehus|helsestasjon|omsorgssenter|bofellesskap|"
             "bufellesskap|omsorgsboliger|omsorgsbolig|aldershjem|rehabiliteringssenter|behandlingssenter|"
             "bo-\\s+og\\s+behandlingssenter|sykestue|fengsel|asylmottak|mottak|menighet|kirke|moské|moske|"
             "klinikk|tannklinikk|poliklinikk|ungdomshjem|avlastningsbolig|avlastningshjem|arbeidssenter|dagsenter|"
             "aktivitetssenter|bibliotek|apotek|bakeri|hotell|kafé|kafe|folkehøgskole|folkehøgskule|"
             "universitet|høgskole|høgskule|barnevernsinstitusjon|institusjon")
_ORG_TYPES = ("kommune|fylkeskommune|AS|ASA|SA|ANS|DA|BA|IL|IF|FK|SK|BK|TIL|idrettslag|sportsklubb|"
              "fotballklubb|korps|kor|menighetsråd|borettslag|sameie|stiftelse|forening|lag")
# A capitalised word, bounded and possessive so that long runs cannot cause backtracking.
_CAPW = rf"[{_UP}][\w'’.\-]{{0,40}}+"
_TOKSTART = r"(?<![\w'’.\-])"
_WP_SUFFIX_RE = re.compile(
    rf"{_TOKSTART}(?P<name>(?:{_CAPW}[ \t]+(?:&[ \t]+)?){{0,2}}{_CAPW})[ \t]+(?P<type>{_WP_TYPES})(?![\w])")
_ORG_SUFFIX_RE = re.compile(
    rf"{_TOKSTART}(?P<name>(?:{_CAPW}[ \t]+(?:&[ \t]+)?){{0,2}}{_CAPW})[ \t]+(?P<type>{_ORG_TYPES})(?![\w])")
_WP_PREFIX_RE = re.compile(
    rf"\b(?P<type>Sykehuset|Sjukehuset|Høgskolen|Høgskulen|Universitetet|Helse|Bydel|DPS|BUP|Kommunen|"
    rf"Distriktspsykiatrisk\s+senter|Senter\s+for)\s+(?P<prep>(?:i|på)\s+)?"
    rf"(?P<name>[{_UP}][\w\-]{{1,40}}+(?:\s+[{_UP}][\w\-]{{1,40}}+)?)")
_DETERMINERS = frozenset("""den det de denne dette disse hver hvert enhver en ei et min mi mitt mine din di ditt
dine vår vårt våre deres hans hennes sin si sitt sine samme annen annet andre ny nytt nye gammel gamle stor store
liten lille privat private kommunal kommunale offentlig offentlige lokal lokale vanlig vanlige egen eget ingen noen
statlig statlige norsk norske kristen kristne katolsk katolske samisk samiske internasjonal internasjonale ordinær
ordinære spesiell spesielle alternativ alternative interkommunal interkommunale
alle hele hvilken hvilket som at og men i på til fra ved for med om etter før under over ja nei jo vel så da når
hvis fordi selv også bare kanskje""".split())
_STREET_SUFFIX = ("gata|gaten|gate|gt\\.|veien|vegen|veg|vei|vn\\.|alleen|alléen|allé|alle|plassen|plass|"
                  "stien|sti|stredet|bakken|bakke|lia|lien|svingen|tunet|ringen|kroken|brygga|bryggen|torget|torg|"
                  "terrassen|terrasse|høgda|høyden|haugen|jordet|løkka|løkken|grenda|kaia|kaien|kollen|lunden|"
                  "parken|promenaden|tråkket|skogen|berget|åsen|enga|engen|myra|tangen|holmen|vangen|vollen|"
                  "sletta|bukta|neset|sundet|dalen|vika|gangen|tun")
_BARE_STREETS = "Torget|Torg|Bryggen|Brygga|Kaia|Kaien|Tunet|Løkka|Lia|Kollen|Haugen|Bakken|Åsen|Lien|Lunden|Parken"
_HOUSE = r"(?P<house>\d{1,4}(?:[a-hA-H]|\s[A-H])?)(?![\w])"
_POSTCODE_TAIL = (rf"(?:,?[ \t]+(?P<pc>\d{{4}})[ \t]+"
                  rf"(?P<pcplace>[{_UP}][\w\-]{{1,40}}+(?:[ \t][{_UP}][\w\-]{{1,40}}+)?))?")
_STREET_PREFIX = r"(?:(?:Nedre|Øvre|Søndre|Nordre|Vestre|Østre|Store|Lille|Gamle|Nye|Indre|Ytre|Sankt|St\.)\s+)?"
_ADDRESS_RE = re.compile(
    rf"(?<![\w\-'’.])(?P<street>{_STREET_PREFIX}(?:[{_UP}][{_LO}]{{0,30}}(?:-[{_UP}{_LO}]{{1,20}}){{0,2}}"
    rf"(?:{_STREET_SUFFIX})|(?:{_BARE_STREETS})))"
    rf"[ \t]+{_HOUSE}{_POSTCODE_TAIL}"
)
_ADDRESS_MULTI_RE = re.compile(
    rf"{_TOKSTART}(?P<street>(?:{_CAPW}[ \t]+){{1,3}}(?:gate|gata|vei|veg|vegen|veien|allé|plass|plassen|"
    rf"terrasse|torg|bakke|sti|stredet|vn\.|gt\.))[ \t]+{_HOUSE}{_POSTCODE_TAIL}"
)
_POSTBOX_RE = re.compile(
    rf"\b(?:Postboks|Pb\.?|Boks)[ \t]+\d{{1,5}}(?:[ \t]+[{_UP}][\w\-]{{1,40}}+)?{_POSTCODE_TAIL}", re.IGNORECASE)
_POSTCODE_RE = re.compile(
    rf"(?<![\w.,])(?P<pc>\d{{4}})[ \t]+(?P<place>[{_UP}][\w\-]{{1,40}}+(?:[ \t][{_UP}][\w\-]{{1,40}}+)?)")
_POSTNR_RE = re.compile(r"\bpost(?:nummer|nr\.?)(?:et)?[\s:]+(?:er\s+)?(?P<pc>\d{4})(?!\d)", re.IGNORECASE)
_YEARISH_BEFORE_RE = re.compile(r"\b(?:i|fra|til|år|siden|høsten|våren|sommeren|vinteren|etter|før|innen|"
                                r"rundt|ca\.?|mellom|og)\s*$", re.IGNORECASE)
_STRONG_STREET_RE = re.compile(r"(?:gata|gaten|gate|veien|vegen|allé|alleen|plassen|terrasse)$", re.IGNORECASE)

# ---- context for capitalised words
_PLACE_PREP = frozenset("""i på fra frå til ved utenfor utanfor nær rundt mot gjennom via innom forbi mellom
nordover sørover bor bur bodde budde flyttet flytta reiste vokste vaks kommer kjem kom""".split())
# Context cues are checked on the last few words before a candidate (cheap set look-ups
# instead of regular-expression searches anchored at the end of the prefix).
_WORK_CUE_WORD_RE = re.compile(
    r"jobb(?:er|et|a|ar|e)?|arbeid(?:er|et|a|ar|de)?|ansatt|tilsett|ansettelse|praksis|utplassert|"
    r"vikar(?:iat|ierer|ierte)?|sommerjobb|deltid|heltid|turnus|stilling|innlagt|inn|går|gikk|begynte|studerer|"
    r"studerte|elev|lærling", re.IGNORECASE)
_WORK_PREPS = frozenset("på i ved hos for".split())
_STRONG_PERSON_CUES = frozenset("""fru herr frk doktor dr dr. pastor professor prof prof. heter het heiter heitte
kalles kalt familien""".split())
_PERSON_CUES = _STRONG_PERSON_CUES | frozenset("""han hun ho kollega kollegaen kolleger sjef sjefen nabo naboen
kjæreste kjæresten venninne venninnen venn vennen søster bror sønn sønnen datter datteren mann mannen kona kone
konen samboer samboeren eks med og til spurte ringte sa mente fortalte hilsen takk hei""".split())
_CALL_OBJECTS = frozenset("henne ham han meg seg".split())
_TAIL_WORD_RE = re.compile(r"[\w.]+")


def _tail_words(text: str, pos: int, width: int = 60) -> list[str]:
    """The last few words before pos on the same line, as written."""
    return _TAIL_WORD_RE.findall(text[max(0, pos - width):pos].rsplit("\n", 1)[-1])[-5:]


def _work_cue(text: str, pos: int) -> bool:
    """ "jobber på X", "jobbet i mange år ved X", "ble lagt inn på X", "går på X" """
    ws = _tail_words(text, pos)
    if not ws or ws[-1].casefold() not in _WORK_PREPS:
        return False
    for k in range(2, min(5, len(ws) + 1)):  # the cue, then at most two lower-case words
        w = ws[-k]
        if _WORK_CUE_WORD_RE.fullmatch(w):
            return True
        if not w.islower():
            return False
    return False


def _person_cue(text: str, pos: int, strong: bool) -> bool:
    ws = _tail_words(text, pos, 40)
    if not ws:
        return False
    last = ws[-1].casefold()
    if len(ws) >= 2 and ws[-2].casefold() == "kaller" and last in _CALL_OBJECTS:
        return True
    return last in (_STRONG_PERSON_CUES if strong else _PERSON_CUES)


_NAME_PARTICLES = frozenset("von van der de af la bin ibn al el ben da di du".split())


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    kind: str
    reason: str
    confidence: float
    source: str


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold()


def _strip_genitive(w: str) -> str | None:
    for suf in ("'s", "’s", "'", "’"):
        if w.endswith(suf) and len(w) > len(suf) + 1:
            return w[: -len(suf)]
    if w.endswith("s") and len(w) > 3:
        return w[:-1]
    return None


def _is_cap(w: str) -> bool:
    return w[:1].isupper()


def _is_allcaps(w: str) -> bool:
    letters = [c for c in w if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _line_prefix(text: str, pos: int, width: int = 60) -> str:
    """Up to `width` characters before pos, not crossing a line break (O(width))."""
    chunk = text[max(0, pos - width):pos]
    return chunk[chunk.rfind("\n") + 1:]


def _prev_words(text: str, pos: int, n: int = 3) -> list[str]:
    """Up to n words before pos on the same line (lowercased), nearest last."""
    return [w.casefold() for w in re.findall(r"[\w.]+", _line_prefix(text, pos, 60))[-n:]]


# --------------------------------------------------------------------------------------
# sentence starts, labels and skipped regions
# --------------------------------------------------------------------------------------
def _labels_and_starts(text: str) -> tuple[list[tuple[int, int]], set[int]]:
    labels: list[tuple[int, int]] = []
    starts: set[int] = {0}
    for m in re.finditer(r"\n", text):
        starts.add(m.end())
    for m in _LABEL_RE.finditer(text):
        s = m.start("ts") if m.group("ts") else m.start("label")
        labels.append((s, m.end("label")))
        starts.add(m.end())
    for m in _TIMESTAMP_RE.finditer(text):
        starts.add(m.end())
    return labels, starts


def _rule_sentence_starts(text: str) -> set[int]:
    starts: set[int] = set()
    for m in _SENT_END_RE.finditer(text):
        punct = text[m.start()]
        if punct == ".":
            before = re.search(r"([\w.]+)$", text[max(0, m.start() - 12):m.start()])
            if before and before.group(1).casefold().strip(".") in _ABBREV:
                continue
            if before and len(before.group(1)) == 1 and before.group(1).isupper():
                continue  # an initial: "Kari N. Hansen"
        starts.add(m.end())
    for m in _OPEN_QUOTE_RE.finditer(text):
        starts.add(m.end())
    return starts


# --------------------------------------------------------------------------------------
# the detector
# --------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=32)
def _known_names_re(names: tuple[str, ...]) -> re.Pattern[str] | None:
    alts = sorted({" ".join(n.split()) for n in names if n and n.strip()}, key=len, reverse=True)
    if not alts:
        return None
    body = "|".join(r"\s+".join(re.escape(w) for w in a.split()) for a in alts)
    return re.compile(rf"(?<![\w])(?:{body})(?:['’]?s)?(?![\w])", re.IGNORECASE)


_BLOCK_BREAK_RE = re.compile(r"\n[ \t]*\n")


def detect_identifiers(
    text: str,
    *,
    sentences: list[tuple[int, int]] | None = None,
    entities: Iterable[tuple[int, int, str]] = (),
    known_names: Iterable[str] = (),
    ignored: Iterable[str] = (),
    skip_spans: Iterable[tuple[int, int]] = (),
) -> list[Suspect]:
    """Candidate identifiers in `text`, sorted by position, overlaps merged.

    Each block between blank lines (a speaker turn, a paragraph, a theme's name and its
    description) is examined on its own, so no detection ever spans two blocks.
    See `_detect_block` for the arguments.
    """
    blocks, pos = [], 0
    for m in _BLOCK_BREAK_RE.finditer(text):
        blocks.append((pos, m.start()))
        pos = m.end()
    blocks.append((pos, len(text)))
    if len(blocks) == 1:
        return _detect_block(text, sentences=sentences, entities=entities, known_names=known_names,
                             ignored=ignored, skip_spans=skip_spans)
    entities, skip_spans = list(entities), list(skip_spans)
    known_names, ignored = list(known_names), list(ignored)
    out: list[Suspect] = []
    for a, b in blocks:
        if a >= b:
            continue

        def inside(spans):
            return [(max(s, a) - a, min(e, b) - a, *rest) for s, e, *rest in spans if s < b and e > a]

        found = _detect_block(
            text[a:b],
            sentences=None if sentences is None else [(s, e) for s, e, in inside(sentences)],
            entities=inside(entities), known_names=known_names, ignored=ignored,
            skip_spans=[(s, e) for s, e in inside(skip_spans)],
        )
        out.extend(Suspect(x.start + a, x.end + a, x.text, x.kind, x.reason, x.confidence, x.source)
                   for x in found)
    return out


def _detect_block(
    text: str,
    *,
    sentences: list[tuple[int, int]] | None = None,
    entities: Iterable[tuple[int, int, str]] = (),
    known_names: Iterable[str] = (),
    ignored: Iterable[str] = (),
    skip_spans: Iterable[tuple[int, int]] = (),
) -> list[Suspect]:
    """Candidate identifiers in `text`, sorted by position, overlaps merged.

    sentences: (start, end) spans from the NLP layer, used to tell which capitalised words
        start a sentence; when None, sentence starts are found with a simple rule (after
        . ? ! : ; and at line starts, after speaker labels and timestamps).
    entities: model NER spans (start, end, label) with spaCy nb labels (PER, LOC, GPE_LOC,
        GPE_ORG, ORG, ...); other labels are ignored.
    known_names: the project's own list; matched case-insensitively, whole word, also with
        genitive -s.
    ignored: texts the analyst marked as not identifying; never reported (case-insensitive).
    skip_spans: regions not to look at (for example speaker labels from the turn parser).

    Speaker labels at the start of a turn (`Anna:`, `[00:12:31] I:`) and placeholders in
    brackets (`[kommune]`, `[navn]`) are never suspects.
    """
    if not text:
        return []
    lex = _lexicon()
    ignored_set = {_norm(x) for x in ignored if x and x.strip()}

    labels, starts = _labels_and_starts(text)
    skip = Regions(list(skip_spans) + labels
                    + [(m.start(), m.end()) for m in _PLACEHOLDER_RE.finditer(text)])
    if sentences is None:
        starts |= _rule_sentence_starts(text)
    else:
        starts |= {int(s) for s, _e in sentences}
    # a placeholder or note at a sentence start ("[ler] Ja ...") is followed by one
    for m in _PLACEHOLDER_RE.finditer(text):
        before = text[max(0, m.start() - 80):m.start()].rstrip(" \t")
        if m.start() in starts or before.endswith(("\n", ":", ".", "!", "?")) or (not before and m.start() < 80):
            starts.add(m.end())
    start_list = sorted(starts)
    # ends of the word/number tokens that count for adjacency (not labels, notes, placeholders)
    token_ends = [m.end() for m in _ANYTOKEN_RE.finditer(text) if not skip.overlaps(m.start(), m.end())]

    def sentence_initial(pos: int) -> bool:
        """True if no word stands between the nearest sentence start and pos."""
        i = bisect_right(start_list, pos) - 1
        if i < 0:
            return True
        j = bisect_right(token_ends, pos) - 1
        prev_end = token_ends[j] if j >= 0 else -1
        return prev_end <= start_list[i]

    cands: list[_Cand] = []
    add = cands.append

    # ---------------- rules: numbers, contact details
    for m in _EMAIL_RE.finditer(text):
        add(_Cand(m.start(), m.end(), "email", "e-postadresse", 0.97, "rule"))

    for m in _URL_RE.finditer(text):
        s, e = m.start(), m.end()
        while e > s and text[e - 1] in ".,;:!?)]'’\"":
            e -= 1
        frag = text[s:e]
        if "@" in text[max(0, s - 1):s] or not re.search(r"[a-zA-Z]{2,}", frag):
            continue
        core = re.sub(r"^(?:https?://)?(?:www\.)?", "", frag.casefold()).rstrip("/")
        if core in _GENERIC_DOMAINS or core in lex.stop:
            add(_Cand(s, e, "url", "nettadresse (allment kjent nettsted)", 0.3, "rule"))
        else:
            add(_Cand(s, e, "url", "nettadresse", 0.8, "rule"))

    for m in _FNR_RE.finditer(text):
        digits = m.group(1) + m.group(2)
        kind = fnr_kind(digits)
        if kind == "fnr":
            add(_Cand(m.start(), m.end(), "national_id",
                      "11 sifre med gyldige kontrollsifre (fødselsnummer)", 0.98, "rule"))
        elif kind == "d_number":
            add(_Cand(m.start(), m.end(), "d_number",
                      "11 sifre med gyldige kontrollsifre (D-nummer)", 0.98, "rule"))
        elif kind == "h_number":
            add(_Cand(m.start(), m.end(), "national_id",
                      "11 sifre med gyldige kontrollsifre (H-nummer)", 0.9, "rule"))
        elif _FNR_CUE_RE.search(_line_prefix(text, m.start(), 40)):
            add(_Cand(m.start(), m.end(), "national_id",
                      "11 sifre etter «fødselsnummer», men kontrollsifrene stemmer ikke", 0.6, "rule"))
    for m in _PERSONNR_RE.finditer(text):
        add(_Cand(m.start(1), m.end(1), "national_id", "personnummer (5 sifre)", 0.7, "rule"))

    for m in _PHONE_RE.finditer(text):
        num = re.sub(r"\D", "", m.group("num"))
        if _NOT_PHONE_AFTER_RE.match(text, m.end()):
            continue
        if re.fullmatch(r"(?:19|20)\d{2}(?:19|20)\d{2}", num) and not m.group("cc"):
            continue  # "2019 2020"
        if m.group("cc"):
            conf, why = 0.95, "telefonnummer med landkode +47"
        elif num[0] in "49":
            conf, why = 0.9, "8 sifre som et mobilnummer"
        elif num[0] == "8":
            conf, why = 0.5, "8 sifre (spesialnummer 8xx?)"
        else:
            conf, why = 0.85, "8 sifre som et telefonnummer"
        if num[0] not in "49" and not m.group("cc") and re.fullmatch(r"\d{8}", m.group("num")):
            conf -= 0.15  # an unspaced landline-looking number is often just a number
        add(_Cand(m.start(), m.end(), "phone", why, conf, "rule"))

    for m in _ORGNR_RE.finditer(text):
        if valid_orgnr(m.group(0)) and re.search(r"org\w*\.?\s*(?:nr|nummer)\w*[\s.:]*(?:er\s+)?$",
                                                  _line_prefix(text, m.start(), 40), re.IGNORECASE):
            add(_Cand(m.start(), m.end(), "organisation", "organisasjonsnummer med gyldig kontrollsiffer",
                      0.8, "rule"))

    for m in _VEHICLE_RE.finditer(text):
        letters, num = m.group("l"), m.group("n")
        if letters in _VEHICLE_NOT:
            continue
        cue = _VEHICLE_CUE_RE.search(_line_prefix(text, m.start(), 50))
        if len(num) == 5:
            add(_Cand(m.start(), m.end(), "vehicle", "registreringsnummer (2 bokstaver + 5 sifre)",
                      0.8 if cue else 0.7, "rule"))
        elif cue:
            add(_Cand(m.start(), m.end(), "vehicle", "registreringsnummer (2 bokstaver + 4 sifre)", 0.6, "rule"))

    # ---------------- dates, birth dates, ages
    def birth_cue(pos: int) -> bool:
        return bool(_BIRTH_CUE_RE.search(_line_prefix(text, pos, 30)))

    for m in _TEXT_DATE_RE.finditer(text):
        d = int(m.group("d"))
        mo = _MONTH_NO[m.group("m").casefold()]
        if not 1 <= d <= _DAYS[mo - 1]:
            continue
        if birth_cue(m.start()):
            add(_Cand(m.start(), m.end(), "birth_date", "dato etter «født» (fødselsdato)", 0.9, "rule"))
        elif m.group("y"):
            add(_Cand(m.start(), m.end(), "date", "eksakt dato", 0.5, "rule"))
        elif (d, mo) not in _HOLIDAYS:
            add(_Cand(m.start(), m.end(), "date", "eksakt dato uten årstall", 0.35, "rule"))
    for m in _NUM_DATE_RE.finditer(text):
        if m.group("y3"):
            d, mo = int(m.group("d3")), int(m.group("m3"))
        elif m.group("d2"):
            d, mo = int(m.group("d2")), int(m.group("m2"))
        else:
            d, mo = int(m.group("d")), int(m.group("m"))
        if not 1 <= d <= _DAYS[mo - 1]:
            continue
        if birth_cue(m.start()):
            add(_Cand(m.start(), m.end(), "birth_date", "dato etter «født» (fødselsdato)", 0.9, "rule"))
        else:
            add(_Cand(m.start(), m.end(), "date", "eksakt dato", 0.5, "rule"))
    for m in _BIRTH_YEAR_RE.finditer(text):
        add(_Cand(m.start("y"), m.end("y"), "birth_date", "fødselsår etter «født»", 0.7, "rule"))
    for m in _MODEL_YEAR_RE.finditer(text):
        add(_Cand(m.start("y"), m.end("y"), "birth_date", "fødselsår («85-modell»)", 0.6, "rule"))

    for rx, conf, why, mode in _AGE_RES:
        for m in rx.finditer(text):
            a = m.group("a")
            if a.isdigit() and not 0 < int(a) <= 120:
                continue
            if mode == "verb":
                # "er 34 år", "fylte 50 i fjor": reject durations and counts
                after = text[m.end():m.end() + 30]
                nxt = re.match(r"\s*([\w%]+)", after)
                nxt_w = nxt.group(1).casefold() if nxt else ""
                has_year = bool(m.group("yr"))
                verb = m.group("v").casefold()
                before = _prev_words(text, m.start(), 2)
                if before and before[-1] in _AGE_SUBJECT_STOP:
                    continue
                if has_year:
                    if nxt_w in _AGE_STOP_AFTER - {"og", "i", "på"}:
                        continue
                    if nxt_w in {"i", "på"} and verb in {"er", "var"}:
                        # "er 20 år i jobben" is a duration; "var 20 år i 1990" rare
                        continue
                else:
                    if not a.isdigit():
                        continue
                    if nxt_w in _AGE_STOP_AFTER - {"i", "til", "og"}:
                        continue
                    if verb in {"er", "var", "blir"}:
                        # only "… og er 55." at the end of a clause, after a pronoun or a name
                        if not re.match(r"\s*(?:[.,!?;](?!\d)|$|\n|(?:nå|no|snart|i\s+år|i\s+dag)\b)", after):
                            continue
                        prefix = _line_prefix(text, m.start(), 40)
                        raw_prev = re.search(r"(\w+)(\W*)$", prefix)
                        pw = raw_prev.group(1) if raw_prev else ""
                        pw_pos = m.start() - len(prefix) + (raw_prev.start(1) if raw_prev else 0)
                        is_name = (_is_cap(pw) and not pw.isupper()
                                   and (not sentence_initial(pw_pos) or pw.casefold() in lex.first))
                        if not (is_name or pw.casefold() in {"jeg", "eg", "han", "hun", "ho", "hen", "du", "og",
                                                             "nå", "no", "snart", "bare", "berre", "nesten",
                                                             "akkurat"}):
                            continue
                conf_here = conf if has_year else conf - 0.05
                if verb == "var":
                    conf_here = 0.45  # an age at some past event is a weaker identifier
                add(_Cand(m.start("a"), m.end(), "age", why, conf_here, "rule"))
            else:
                if mode in {"subj", "noun"}:
                    nxt = re.match(r"\s*(?:år\s+)?([\w%]+)", text[m.end():m.end() + 30])
                    if nxt and nxt.group(1).casefold() in _AGE_STOP_AFTER - {"og", "i", "til", "på"}:
                        continue
                add(_Cand(m.start("a"), m.end(), "age", why, conf, "rule"))

    # ---------------- job titles
    for rx, conf in _TITLE_RES:
        for m in rx.finditer(text):
            t = m.group("t").casefold()
            if t == "styrer" and not (m.group(0).casefold().startswith("styreren")
                                      or _STYRER_CUE_RE.search(_line_prefix(text, m.start(), 30))):
                continue
            if m.group("for") and not _TITLE_LEADER_RE.search(m.group("t")):
                end = m.start("for")  # "brannsjef i Notodden": the place is its own suspect
            else:
                end = m.end()  # "enhetsleder for hjemmetjenesten" is one title
            add(_Cand(m.start(), end, "job_title", "sjelden stillingstittel (indirekte identifikator)", conf, "rule"))

    # ---------------- workplaces, organisations, addresses
    def name_part_ok(s: int, name: str) -> tuple[int, str] | None:
        """Drop leading determiners / sentence-initial common words from a name part."""
        words = list(re.finditer(r"\S+", name))
        k = 0
        while k < len(words):
            w = words[k].group(0)
            wf = w.casefold().strip(".,")
            pos = s + words[k].start()
            if wf in _DETERMINERS or wf in lex.stop and not (wf in lex.work):
                k += 1
                continue
            if sentence_initial(pos) and (wf in lex.common or not _in_any(wf)) and k + 1 < len(words):
                k += 1
                continue
            if sentence_initial(pos) and wf in lex.common:
                k += 1
                continue
            break
        if k >= len(words):
            return None
        ns = s + words[k].start()
        return ns, name[words[k].start():]

    def _in_any(wf: str) -> bool:
        return (wf in lex.first or wf in lex.sur or wf in lex.muni or wf in lex.place or wf in lex.work)

    for m in _WP_SUFFIX_RE.finditer(text):
        ok = name_part_ok(m.start("name"), m.group("name"))
        if not ok:
            continue
        add(_Cand(ok[0], m.end(), "workplace", f"navngitt arbeidsplass/institusjon («… {m.group('type')}»)",
                  0.75, "rule"))
    for m in _WP_PREFIX_RE.finditer(text):
        nm = m.group("name").casefold()
        if _norm(m.group(0)) in lex.stop or nm in lex.stop:
            continue
        add(_Cand(m.start(), m.end(), "workplace", f"navngitt institusjon («{m.group('type')} …»)", 0.75, "rule"))
    for m in _ORG_SUFFIX_RE.finditer(text):
        ok = name_part_ok(m.start("name"), m.group("name"))
        if not ok:
            continue
        typ = m.group("type")
        if typ.islower() and typ in {"lag", "kor", "korps", "forening"} and not _in_any(ok[1].split()[0].casefold()):
            continue
        conf = 0.8 if typ in {"AS", "ASA", "ANS", "DA", "BA", "SA"} else 0.7
        add(_Cand(ok[0], m.end(), "organisation", f"navngitt virksomhet/organisasjon («… {typ}»)", conf, "rule"))

    for rx in (_ADDRESS_RE, _ADDRESS_MULTI_RE):
        for m in rx.finditer(text):
            s = m.start("street")
            ok = name_part_ok(s, m.group("street")) if rx is _ADDRESS_MULTI_RE else (s, m.group("street"))
            if not ok:
                continue
            street = ok[1]
            if rx is _ADDRESS_MULTI_RE and len(street.split()) < 2:
                continue
            end = m.end()
            if m.group("pc") and not _postcode_place_ok(m.group("pcplace"), lex):
                end = m.end("house")
            add(_Cand(ok[0], end, "address", "gateadresse med husnummer", 0.85, "rule"))
    for m in _POSTBOX_RE.finditer(text):
        add(_Cand(m.start(), m.end(), "address", "postboksadresse", 0.75, "rule"))
    for m in _POSTCODE_RE.finditer(text):
        pc, place = m.group("pc"), m.group("place")
        known = _postcode_place_ok(place, lex)
        if not known:
            continue
        if re.fullmatch(r"(?:19|20)\d{2}", pc) and _YEARISH_BEFORE_RE.search(_line_prefix(text, m.start(), 20)):
            continue
        end = m.start("place") + len(place.split()[0]) if not _postcode_place_ok(place, lex, whole=True) else m.end()
        add(_Cand(m.start(), end, "postcode", "postnummer med poststed", 0.85, "rule"))
    for m in _POSTNR_RE.finditer(text):
        add(_Cand(m.start("pc"), m.end("pc"), "postcode", "postnummer", 0.7, "rule"))

    # ---------------- multi-word gazetteer entries
    masked = []  # token regions already explained by a multi-word entry
    if lex.multi_re is not None:
        for m in lex.multi_re.finditer(text):
            if not _is_cap(m.group(0)):
                continue
            cls = lex.multi.get(_norm(m.group(0)))
            masked.append((m.start(), m.end()))
            if cls is None or cls == "stop":
                continue
            initial = sentence_initial(m.start())
            if cls == "work":
                add(_Cand(m.start(), m.end(), "workplace", "institusjon i listen over arbeidsplasser",
                          0.8, "gazetteer"))
            elif cls == "muni":
                add(_Cand(m.start(), m.end(), "place", "kommunenavn i kommunelisten",
                          0.7 if initial else 0.8, "gazetteer"))
            else:
                add(_Cand(m.start(), m.end(), "place", "stedsnavn i stedslisten",
                          0.65 if initial else 0.75, "gazetteer"))
    masked_regions = Regions(masked)

    # ---------------- known names
    kn_re = _known_names_re(tuple(sorted({n for n in known_names if n})))
    if kn_re is not None:
        for m in kn_re.finditer(text):
            add(_Cand(m.start(), m.end(), "person", "navn i prosjektets navneliste", 0.95, "known_names"))

    # ---------------- capitalised words
    _capitalised_words(text, lex, sentence_initial, masked_regions, skip, ignored_set, add)

    # ---------------- model entities
    for ent in entities:
        try:
            s, e, label = int(ent[0]), int(ent[1]), str(ent[2])
        except (TypeError, ValueError, IndexError):
            continue
        kind = ENTITY_KINDS.get(label.upper())
        s, e = max(0, s), min(len(text), e)
        if kind is None or e <= s:
            continue
        frag = text[s:e]
        if frag.islower() or _norm(frag) in lex.stop or not any(c.isalpha() for c in frag):
            continue
        add(_Cand(s, e, kind, f"navngitt enhet fra språkmodellen ({label})", 0.55, "model"))

    return _finish(text, cands, skip, ignored_set)


def _postcode_place_ok(place: str | None, lex: _Lexicon, whole: bool = False) -> bool:
    if not place:
        return False
    words = place.split()
    candidates = [" ".join(words).casefold()] if whole else [" ".join(words).casefold(), words[0].casefold()]
    return any(c in lex.muni or c in lex.place or c in {"sentrum"} for c in candidates)


def _capitalised_words(text, lex, sentence_initial, masked, skip, ignored_set, add) -> None:
    """Capital-letter rule and single-word gazetteer look-ups, with name sequences."""
    toks: list[tuple[int, int, str]] = []
    for m in _WORD_RE.finditer(text):
        w = m.group(0)
        if not _is_cap(w):
            continue
        s, e = m.start(), m.end()
        if masked and masked.overlaps(s, e) or skip and skip.overlaps(s, e):
            continue
        # hyphenated compound with a lower-case tail ("Oslo-området", "NAV-kontoret"):
        # look at the capitalised head only
        if "-" in w:
            parts = w.split("-")
            if any(p[:1].islower() for p in parts[1:]):
                head = []
                for p in parts:
                    if p[:1].isupper():
                        head.append(p)
                    else:
                        break
                w = "-".join(head)
                e = s + len(w)
        toks.append((s, e, w))

    # group into sequences separated only by spaces (or a name particle, or an initial)
    seqs: list[list[tuple[int, int, str]]] = []
    for tok in toks:
        if seqs:
            prev = seqs[-1][-1]
            gap = text[prev[1]:tok[0]]
            joinable = (
                prev[1] == prev[0] + len(prev[2])
                and (gap == " " or (re.fullmatch(r"\. ", gap) and len(prev[2]) == 1)
                     or (re.fullmatch(r" (\w+) ", gap) and gap.strip() in _NAME_PARTICLES))
            )
            if joinable:
                seqs[-1].append(tok)
                continue
        seqs.append([tok])

    for seq in seqs:
        _classify_sequence(text, seq, lex, sentence_initial, ignored_set, add)


def _token_class(w: str, lex: _Lexicon) -> tuple[set[str], str]:
    """Classes of a capitalised word and the form that matched (genitive stripped)."""
    forms = [w]
    g = _strip_genitive(w)
    if g:
        forms.append(g)
    if "-" in w and all(p[:1].isupper() for p in w.split("-")):
        parts = [p.casefold() for p in w.split("-")]
        whole = w.casefold()
        if not any(whole in s for s in (lex.first, lex.sur, lex.muni, lex.place, lex.work, lex.stop)):
            if all(p in lex.first for p in parts):
                return {"first"}, w  # "Mari-Ann", "Ole-Petter"
            if all(p in lex.sur or p in lex.first for p in parts):
                return {"sur"}, w  # "Hansen-Berg"
    for f in forms:
        wf = f.casefold()
        cls = set()
        if wf in lex.stop:
            cls.add("stop")
        if wf in lex.work:
            cls.add("work")
        if wf in lex.first:
            cls.add("first")
        if wf in lex.sur:
            cls.add("sur")
        if wf in lex.muni:
            cls.add("muni")
        if wf in lex.place:
            cls.add("place")
        if cls:
            return cls, f
    return set(), w


def _classify_sequence(text, seq, lex, sentence_initial, ignored_set, add) -> None:
    items = []
    for s, e, w in seq:
        if _norm(w) in ignored_set or (_strip_genitive(w) or "\0").casefold() in ignored_set:
            items.append(None)
            continue
        if len(w) == 1:  # initials and the pronoun "I"
            items.append((s, e, w, {"initial"}, w))
            continue
        cls, form = _token_class(w, lex)
        if _is_allcaps(w) and not (cls & {"work"}) and len(w) < 4:
            cls = {"stop"} if not cls or "stop" in cls else {"stop"}
        items.append((s, e, w, cls, form))

    # split at ignored words and stop words
    runs: list[list] = [[]]
    for it in items:
        if it is None or "stop" in it[3]:
            runs.append([])
        else:
            runs[-1].append(it)
    for run in runs:
        if len(run) > 6:
            # a long run of capitalised words is a heading or a title, not a name
            for it in run:
                _classify_single(text, it, lex, sentence_initial, add)
            continue
        lo, hi = 0, len(run)
        # drop a sentence-initial word that is not itself a name ("Ifølge Kari Hansen")
        while hi - lo > 1:
            s, e, w, cls, form = run[lo]
            if sentence_initial(s) and (not (cls & {"first", "muni", "place", "work"})
                                        or form.casefold() in lex.common):
                lo += 1
                continue
            break
        # drop trailing initials not followed by a full stop
        while hi - lo > 1 and "initial" in run[hi - 1][3] and text[run[hi - 1][1]:run[hi - 1][1] + 1] != ".":
            hi -= 1
        run = run[lo:hi]
        if not run:
            continue
        if len(run) == 1:
            _classify_single(text, run[0], lex, sentence_initial, add)
            continue
        _classify_multi(text, run, lex, sentence_initial, add)


def _context_kind(text: str, s: int) -> tuple[str, float, str]:
    if _work_cue(text, s):
        return "workplace", 0.55, "stor forbokstav etter «jobber på/i/ved»"
    if _person_cue(text, s, strong=True):
        return "person", 0.6, "stor forbokstav etter «heter/fru/doktor»"
    prev = _prev_words(text, s, 1)
    if prev and prev[-1] in _PLACE_PREP:
        return "place", 0.4, "stor forbokstav midt i setningen, etter stedspreposisjon"
    if _person_cue(text, s, strong=False):
        return "person", 0.4, "stor forbokstav midt i setningen"
    return "person", 0.3, "stor forbokstav midt i setningen (ukjent ord)"


def _classify_single(text, item, lex, sentence_initial, add) -> None:
    s, e, w, cls, form = item
    if "initial" in cls:
        return
    initial = sentence_initial(s)
    common = form.casefold() in lex.common or w.casefold() in lex.common
    if initial and (common or not cls):
        return
    prev = _prev_words(text, s, 1)
    after_place_prep = bool(prev) and prev[-1] in _PLACE_PREP
    work_cue = _work_cue(text, s)
    person_cue = _person_cue(text, s, strong=True)
    d = 0.15 if initial else 0.0
    is_place = bool(cls & {"muni", "place"})
    if "work" in cls and (not (cls & {"first", "sur"}) or work_cue):
        add(_Cand(s, e, "workplace", "institusjon i listen over arbeidsplasser", 0.75 - d, "gazetteer"))
    elif is_place and (after_place_prep or not (cls & {"first", "sur"})) and not person_cue:
        if work_cue and "muni" not in cls:
            add(_Cand(s, e, "workplace", "stedsnavn etter «jobber på» (arbeidsplass?)", 0.6 - d, "gazetteer"))
        elif "muni" in cls:
            add(_Cand(s, e, "place", "kommunenavn i kommunelisten", 0.75 - d, "gazetteer"))
        else:
            add(_Cand(s, e, "place", "stedsnavn i stedslisten", 0.7 - d, "gazetteer"))
    elif "first" in cls:
        add(_Cand(s, e, "person", "fornavn i navnelisten", 0.75 - d, "gazetteer"))
    elif "sur" in cls:
        if initial and not person_cue:
            return
        add(_Cand(s, e, "person", "etternavn i navnelisten", 0.6 if not person_cue else 0.75, "gazetteer"))
    elif is_place:
        add(_Cand(s, e, "place", "stedsnavn i stedslisten", 0.6 - d, "gazetteer"))
    else:
        if _is_allcaps(w) or common:
            return  # unknown acronyms (KPI, ADHD ...) and function words ("Men", "Og") are noise
        if _STRONG_STREET_RE.search(w):
            add(_Cand(s, e, "address", "gatenavn (uten husnummer)", 0.5, "rule"))
            return
        kind, conf, why = _context_kind(text, s)
        add(_Cand(s, e, kind, why, conf, "rule"))


def _classify_multi(text, run, lex, sentence_initial, add) -> None:
    s0, e0 = run[0][0], run[-1][1]
    classes = [it[3] for it in run]
    if _work_cue(text, s0) and not (
            "first" in classes[0] and all(c & {"first", "sur", "initial"} for c in classes)):
        add(_Cand(s0, e0, "workplace", "ord med stor forbokstav etter «jobber på/går på»", 0.65, "rule"))
        return
    first_is_name = "first" in classes[0]
    namey = all(c & {"first", "sur", "initial"} or not c for c in classes)
    last = classes[-1]
    if first_is_name and namey:
        conf = 0.9 if (last & {"sur", "first"}) else 0.8
        why = "fornavn og etternavn" if "sur" in last else "navnesekvens med fornavn"
        add(_Cand(s0, e0, "person", why, conf, "gazetteer"))
        return
    if all("sur" in c or "first" in c for c in classes):
        add(_Cand(s0, e0, "person", "sekvens av navn i navnelistene", 0.75, "gazetteer"))
        return
    if any(c & {"muni", "place", "work"} for c in classes) and not first_is_name:
        if classes[0] & {"muni", "place"} and not any(c for c in classes[1:]):
            # "Tønsberg Montessori", "Bergen Kino": a place followed by unknown capitalised words
            add(_Cand(s0, e0, "organisation", "stedsnavn fulgt av ord med stor forbokstav (navngitt virksomhet?)",
                      0.5, "gazetteer"))
            return
        # "Oslo Sentrum", "Rudshøgda Nord": classify word by word
        for it in run:
            _classify_single(text, it, lex, sentence_initial, add)
        return
    if first_is_name:
        add(_Cand(s0, e0, "person", "fornavn fulgt av ord med stor forbokstav", 0.75, "gazetteer"))
        return
    if sentence_initial(s0) and not any(classes):
        run = run[1:]
        if not run:
            return
        s0 = run[0][0]
    kind, conf, why = _context_kind(text, s0)
    add(_Cand(s0, e0, kind, "flere ord med stor forbokstav" if conf < 0.5 else why,
              max(conf, 0.45), "rule"))


def _finish(text: str, cands: list[_Cand], skip: Regions, ignored_set: set[str]) -> list[Suspect]:
    keep = [c for c in cands
            if 0 <= c.start < c.end <= len(text) and not (skip and skip.overlaps(c.start, c.end))]
    # trim whitespace at the edges
    for c in keep:
        while c.start < c.end and text[c.start].isspace():
            c.start += 1
        while c.end > c.start and text[c.end - 1].isspace():
            c.end -= 1
    keep = [c for c in keep if c.end > c.start]
    keep.sort(key=lambda c: (c.start, -c.end))
    out: list[Suspect] = []
    i = 0
    while i < len(keep):
        cluster = [keep[i]]
        end = keep[i].end
        j = i + 1
        while j < len(keep) and keep[j].start < end:
            cluster.append(keep[j])
            end = max(end, keep[j].end)
            j += 1
        i = j
        start = cluster[0].start
        win = min(cluster, key=lambda c: (c.confidence < 0.5, _PRIORITY[c.kind], -c.confidence))
        conf = max(c.confidence for c in cluster)
        if len({c.source for c in cluster}) > 1 or len({c.kind for c in cluster if c.confidence >= 0.5}) > 1:
            conf = min(0.99, conf + 0.05)
        reasons = [win.reason] + [c.reason for c in cluster if c.reason != win.reason]
        reason = "; ".join(dict.fromkeys(reasons))
        frag = text[start:end]
        if _norm(frag) in ignored_set or _norm(frag.rstrip("s’'")) in ignored_set:
            continue
        out.append(Suspect(start, end, frag, win.kind, reason, round(conf, 2), win.source))
    return out
