"""The identifier detector's knowledge: Norwegian identity and organisation numbers (mod-11
check digits) and the gazetteers (first names, surnames, municipalities, places,
workplaces, stop words), read lazily, once, with importlib.resources."""
from __future__ import annotations

import functools
import gzip
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from themecoder.core.identifier_patterns import _UP

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
# Gazetteers (hand-written, data/gazetteers) and reference data (data/norway, see
# data/ATTRIBUTION.md): read lazily, once per process, with importlib.resources
# --------------------------------------------------------------------------------------
_GAZETTEER_FILES = {
    "first_names": "first_names.txt",
    "surnames": "surnames.txt",
    "municipalities": "municipalities.txt",
    "places": "places.txt",
    "workplaces": "workplaces.txt",
    "stopwords": "stopwords_capitalised.txt",
    "common_words": "common_words.txt",
    "regions": "regions.txt",
    "national": "national_bodies.txt",
}


@functools.cache
def gazetteer(name: str) -> tuple[str, ...]:
    """Entries of one gazetteer ("first_names", "surnames", "municipalities", "places",
    "workplaces", "stopwords", "common_words", "regions", "national"), as written in the file."""
    fname = _GAZETTEER_FILES[name]
    text = (resources.files("themecoder") / "data" / "gazetteers" / fname).read_text("utf-8")
    return tuple(s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#"))


def _data_lines(fname: str) -> list[str]:
    path = resources.files("themecoder") / "data" / "norway" / fname
    raw = path.read_bytes()
    if fname.endswith(".gz"):
        raw = gzip.decompress(raw)
    return [ln for ln in raw.decode("utf-8").split("\n") if ln]


# Kartverket N1000 feature types: where people live (below municipality level) and areas
# (regions, not identifiers on their own). Terrain, water and infrastructure are not used.
_N1000_SETTLEMENT = frozenset("""by tettsted tettbebyggelse bygdelagBygd grend gard bruk bydel navnegard boligfelt
gammelBosettingsplass øyISjø halvøyISjø""".split())
_N1000_REGION = frozenset("landskapsområde fjellområde dalføre vidde skogområde havområde fylke øygruppeISjø".split())


def reference(name: str) -> tuple[str, ...]:
    """See `_reference`; the big word lists are read afresh (the detector keeps them as sets)."""
    if name in ("word_forms", "nb_lemmas", "nn_lemmas"):
        return _reference.__wrapped__(name)
    return _reference(name)


@functools.cache
def _reference(name: str) -> tuple[str, ...]:
    """Entries of one reference list from data/norway: "first_names", "surnames" (SSB),
    "municipalities" (1994-2024), "districts" (bydeler), "counties", "settlements" and
    "areas" (Kartverket N1000), "towns" (countries-states-cities), "health_workplaces",
    "health_regions", "occupations" (Ordbank nouns by suffix), "styrk" (STYRK-08 group
    names), "word_forms" (Bokmål forms), "nb_lemmas" and "nn_lemmas" (lemmas)."""
    def col(fname: str, i: int = 0) -> list[str]:
        return [ln.split("\t")[i] for ln in _data_lines(fname)]

    if name == "first_names":
        out = col("fornavn.tsv")
    elif name == "surnames":
        out = col("etternavn.tsv")
    elif name == "municipalities":
        out = _data_lines("kommunenavn.txt")
    elif name == "districts":
        out = col("bydeler.tsv")
    elif name == "counties":
        out = []
        for ln in _data_lines("fylker.tsv"):
            f = ln.split("\t")
            out.append(f[1])
            out.extend(x.strip() for x in f[2].split(" - ") if x.strip())
    elif name in ("settlements", "areas"):
        types = _N1000_SETTLEMENT if name == "settlements" else _N1000_REGION
        out = [f[0] for f in (ln.split("\t") for ln in _data_lines("stedsnavn_n1000.tsv.gz")) if f[1] in types]
    elif name == "towns":
        out = col("steder_countrystatecity.tsv")
    elif name in ("health_workplaces", "health_regions"):
        want = {"rhf"} if name == "health_regions" else {"hf", "sykehus", "privat_ideell"}
        out = [f[0] for f in (ln.split("\t") for ln in _data_lines("helseforetak_sykehus.tsv")) if f[1] in want]
    elif name == "occupations":
        out = _data_lines("yrkesord_ordbank.txt")
    elif name == "styrk":
        out = [f[2] for f in (ln.split("\t") for ln in _data_lines("styrk08.tsv")) if f[1] == "4"]
    elif name == "word_forms":
        out = _data_lines("ordbank_nb_ordformer.txt.gz")
    elif name == "nn_lemmas":
        out = _data_lines("ordbank_nn_lemma.txt.gz")
    elif name == "nb_lemmas":
        out = _data_lines("ordbank_nb_lemma.txt.gz")
    else:
        raise KeyError(name)
    return tuple(out)


# Nynorsk and dialect forms the Bokmål word forms and the Nynorsk lemmas do not hold (pronouns,
# irregular verbs, function words): ordinary words, never names, also at a sentence start.
_DIALECT_WORDS = frozenset("""eg æ æg jæ i e ho hu dei dæm dem døm me mæ dæ dokker dokk dåkker ikkje ikkj itj ikke
kva ka kæ kvifor korfor kofor korleis koss kossen kor kven kem kenn kvar noko nokon nokre nokså berre bærre heilt
mykje mykkje myttje litt lite eit ein ei frå då no nå her der vore vorte vart blei fekk fikk gjekk gjekk kom sa sei
seie seier veit visste hadde hadd kunne kunn skulle sku ville vil ville måtte mått må tok tek gjer gjorde gjort
budde bur vaks vakse sjølv sjøl sjølve også ogso òg au å åt te tå ta hjå hjå attmed bortmed innmed ned opp ut inn
heime heim ute inne oppe nede borte burte seinare sidan etterpå etterkvart enno ennå altså altso heller ellers
elles jau jo nei ja neimen jammen joda nåja uff æsj hæ ok okei greitt greit fint nett nettopp akkurat kanskje
kansje sikkert sikkelig skikkeleg skikkelig veldig kjempe heilt hennar hennes hans hass hos deira deires dykk
dykkar vår vårt våre min mi mitt mine din di ditt dine sin si sitt sine somme sume nokon ingen inga ingenting
alle allle alt ana anna andre annen anna mange fleire fleste meir mest mindre minst kvar kvart kvarandre
kvarannan einannan hverandre born borna ungar ungane augo auga gut gutar jenter jentene""".split())
# Nynorsk inflection endings, tried (longest first) when a word is neither a Bokmål form nor
# a Nynorsk lemma: "sjukepleiaren" -> "sjukepleiar".
_NB_SUFFIXES = ("ene", "ane", "en", "et", "er", "ar", "a", "e", "s", "t", "ere", "est", "este", "te", "de")
_NN_SUFFIXES = ("ane", "ene", "ast", "aste", "ande", "ar", "er", "en", "et", "a", "e", "te", "de", "t", "ne", "r")


# Last parts of Norwegian farm names (and so of many surnames and small places): a word ending
# in one of these is not taken for an ordinary compound.
_FARM_ELEMENTS = frozenset("""land heim heimen stad staden rud vik vika viken dal dalen nes neset set eng enga engen li
lid lie lien by bø haug haugen bakke bakken berg berget vold voll vollen mo moen strand stranda holm holmen sæter
seter setra hus gård gard garden tveit tveiten rød øy øya åsen ås stein sund fjord bekk fjell myr myra hol hola tun
tunet skog skogen lund vang vangen rem um eid evje foss fossen borg rønning ødegård kvern hammer hamar plass
sletta sletten flaten bråten rud tangen nesset nesje lia hagen""".split())


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
    region: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()     # Bokmål forms, Nynorsk lemmas, dialect words
    nn: frozenset[str] = frozenset()        # Nynorsk lemmas alone (for suffix stripping)
    titles: frozenset[str] = frozenset()    # occupation nouns (singular, lower case)
    curated: frozenset[str] = frozenset()   # names and places from the hand-checked gazetteers
    lemmas: frozenset[str] = frozenset()    # Bokmål and Nynorsk lemmas, dialect words (no stray names)

    def is_word(self, wf: str) -> bool:
        """True if `wf` (casefolded) is an ordinary word: a Bokmål form, a Nynorsk lemma or an
        inflected Nynorsk form of one, or a dialect word (the common-word test)."""
        return wf in self.words or _inflection_of(wf, _NN_SUFFIXES, self.nn, min_stem=3)

    def is_compound(self, wf: str) -> bool:
        """A compound of ordinary words («spesialisthelsetjenesten»), not a farm-name surname
        («Steinsland»): a tail that is a word and no farm-name element, a head that is a word
        (optionally with a linking s or e). Words of 8 letters and more only."""
        n = len(wf)
        if n < 8 or not wf.isalpha():
            return False
        for i in range(3, n - 3):
            tail = wf[i:]
            if tail in _FARM_ELEMENTS or tail not in self.words:
                continue
            head = wf[:i]
            if head in self.words or (head[-1] in "se" and head[:-1] in self.words):
                return True
        return False

    def ambiguous(self, wf: str) -> bool:
        """A name that is also an ordinary word (Per/per, Liv/liv, andre): the hand-checked
        collision list; for names only in the reference lists, the word lists."""
        if wf in self.common:
            return True
        return wf not in self.curated and self.is_lemma_form(wf)

    def is_lemma_form(self, wf: str) -> bool:
        """An ordinary word by the lemma lists (a lemma or a regular inflection of one). Stricter
        than `is_word`, whose full-form list also holds some lower-cased names («beyene»)."""
        return wf in self.lemmas or _inflection_of(wf, _NB_SUFFIXES, self.lemmas, min_stem=2)

    def is_name(self, wf: str) -> bool:
        return wf in self.first or wf in self.sur


def _inflection_of(wf: str, suffixes: Iterable[str], stems: frozenset[str], *, min_stem: int) -> bool:
    """`wf` is a stem of `stems` (at least `min_stem` letters) with one of `suffixes`."""
    for suf in suffixes:
        if wf.endswith(suf) and len(wf) - len(suf) >= min_stem and wf[:-len(suf)] in stems:
            return True
    return False


def _singular_titles(names: Iterable[str]) -> set[str]:
    """STYRK-08 group names are plural ("Sykepleiere"): the singular single-word titles."""
    out = set()
    for n in names:
        w = n.casefold()
        if " " in w or "," in w:
            continue
        if w.endswith("ere"):
            out.add(w[:-1])
        elif w.endswith("ører") or w.endswith("ørere"):
            out.add(w[:-2] if w.endswith("ere") else w[:-2])
        elif w.endswith("er"):
            out.add(w[:-2])
    return out


@functools.cache
def _lexicon() -> _Lexicon:
    def fold(entries: Iterable[str]) -> frozenset[str]:
        return frozenset(e.casefold() for e in entries)

    muni = fold(gazetteer("municipalities")) | fold(reference("municipalities"))
    region = (fold(gazetteer("regions")) | fold(reference("counties")) | fold(reference("areas"))) - muni
    first = fold(gazetteer("first_names")) | fold(reference("first_names"))
    sur = fold(gazetteer("surnames")) | fold(reference("surnames"))
    place = (fold(gazetteer("places")) | fold(reference("districts")) | fold(reference("settlements"))
             | fold(reference("towns"))) - region - muni
    work = fold(gazetteer("workplaces")) | fold(reference("health_workplaces"))
    national = fold(gazetteer("national")) | fold(reference("health_regions"))
    stop = fold(gazetteer("stopwords")) | national | region
    # the big word lists are read straight into sets (not kept as cached tuples as well)
    nn = frozenset(_data_lines("ordbank_nn_lemma.txt.gz"))
    words = frozenset(_data_lines("ordbank_nb_ordformer.txt.gz")).union(nn, _DIALECT_WORDS)
    titles = frozenset(reference("occupations")) | _singular_titles(reference("styrk"))

    multi: dict[str, str] = {}
    # Later classes win for duplicates: stop words last, so "Helse Sør-Øst" stays generic.
    for entries, cls in ((gazetteer("places"), "place"), (reference("settlements"), "place"),
                         (reference("districts"), "place"),
                         (gazetteer("municipalities"), "muni"), (reference("municipalities"), "muni"),
                         (gazetteer("workplaces"), "work"), (reference("health_workplaces"), "work"),
                         (gazetteer("stopwords"), "stop"), (gazetteer("national"), "stop"),
                         (reference("health_regions"), "stop"), (gazetteer("regions"), "stop")):
        for e in entries:
            if (" " in e or "." in e) and e[:1].isupper():
                multi[e.casefold()] = cls
    phrases = sorted(multi, key=len, reverse=True)
    pattern = None
    if phrases:
        alts = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in phrases)
        # entries start with a capital; the case-sensitive look-ahead rejects most positions fast
        pattern = re.compile(rf"(?-i:(?=[{_UP}]))(?<![\w.])(?:{alts})(?![\w])", re.IGNORECASE)
    curated = (fold(gazetteer("first_names")) | fold(gazetteer("surnames")) | fold(gazetteer("places"))
               | fold(gazetteer("municipalities")) | fold(gazetteer("workplaces")))
    lemmas = frozenset(_data_lines("ordbank_nb_lemma.txt.gz")).union(nn, _DIALECT_WORDS)
    return _Lexicon(first, sur, muni, place, work, stop, fold(gazetteer("common_words")), multi, pattern,
                    region, words, nn, titles, curated, lemmas)
