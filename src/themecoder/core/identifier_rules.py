"""The identifier detector's rules, one function per kind of identifier. Each takes the
:class:`Block` being examined and adds candidates (`_Cand`) to it; core.identifiers runs
them in a fixed order (the order decides ties when overlapping candidates are merged)."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from themecoder.core.identifier_lexicon import _DAYS, _DIALECT_WORDS, _Lexicon, _lexicon, fnr_kind, valid_orgnr
from themecoder.core.identifier_patterns import (
    _ADDRESS_MULTI_RE,
    _ADDRESS_RE,
    _AGE_RES,
    _AGE_STOP_AFTER,
    _AGE_SUBJECT_STOP,
    _ANYTOKEN_RE,
    _BIRTH_CUE_RE,
    _BIRTH_YEAR_RE,
    _BIRTH_YEAR_WORDS_RE,
    _COMMON_TITLES,
    _DETERMINERS,
    _EMAIL_RE,
    _FNR_CUE_RE,
    _FNR_RE,
    _GENERIC_DOMAINS,
    _HOLIDAYS,
    _INITIALS_NOT,
    _INITIALS_RE,
    _MODEL_YEAR_RE,
    _MONTH_NO,
    _NOT_PHONE_AFTER_RE,
    _NUM_DATE_RE,
    _ORDINAL_DAY,
    _ORG_SUFFIX_RE,
    _ORGNR_RE,
    _PERSONNR_RE,
    _PHONE_RE,
    _PLACEHOLDER_RE,
    _POSTBOX_RE,
    _POSTCODE_RE,
    _POSTNR_RE,
    _STYRER_CUE_RE,
    _TEXT_DATE_RE,
    _TITLE_ENDING_RE,
    _TITLE_LEADER_RE,
    _TITLE_PRE_STOP,
    _TITLE_RES,
    _URL_RE,
    _VEHICLE_CUE_RE,
    _VEHICLE_NOT,
    _VEHICLE_RE,
    _WORD_DATE_RE,
    _WP_PREFIX_RE,
    _WP_SUFFIX_RE,
    _YEARISH_BEFORE_RE,
    ENTITY_KINDS,
    _Cand,
    _is_cap,
    _known_names_re,
    _labels_and_starts,
    _line_prefix,
    _norm,
    _prev_words,
    _rule_sentence_starts,
)
from themecoder.core.text import Regions


@dataclass(slots=True)
class Block:
    """One block of text (a turn, a paragraph) and what the rules need to know about it."""

    text: str
    lex: _Lexicon
    skip: Regions                 # labels, placeholders, the caller's skip spans
    ignored: set[str]             # folded texts marked as not identifying
    starts: list[int]             # sentence starts, sorted
    token_ends: list[int]         # ends of the words that count for adjacency
    cands: list[_Cand] = field(default_factory=list)

    def add(self, cand: _Cand) -> None:
        self.cands.append(cand)

    def sentence_initial(self, pos: int) -> bool:
        """True if no word stands between the nearest sentence start and pos."""
        i = bisect_right(self.starts, pos) - 1
        if i < 0:
            return True
        j = bisect_right(self.token_ends, pos) - 1
        prev_end = self.token_ends[j] if j >= 0 else -1
        return prev_end <= self.starts[i]


def prepare(text: str, *, sentences: list[tuple[int, int]] | None, ignored: Iterable[str],
            skip_spans: Iterable[tuple[int, int]]) -> Block:
    """The block with its skipped regions and sentence starts.

    Sentence starts come from `sentences` (the NLP layer) or, when None, a simple rule
    (after . ? ! : ; and at line starts, after speaker labels and timestamps).
    """
    ignored_set = {_norm(x) for x in ignored if x and x.strip()}
    labels, starts = _labels_and_starts(text)
    skip = Regions(list(skip_spans) + labels
                   + [(m.start(), m.end()) for m in _PLACEHOLDER_RE.finditer(text)])
    # the rule's starts always count: a segmenter that misses one («… få tak i. Man ringer»)
    # must not turn an ordinary capitalised word into a name
    starts |= _rule_sentence_starts(text)
    if sentences is not None:
        starts |= {int(s) for s, _e in sentences}
    # a placeholder or note at a sentence start ("[ler] Ja ...") is followed by one
    for m in _PLACEHOLDER_RE.finditer(text):
        before = text[max(0, m.start() - 80):m.start()].rstrip(" \t")
        if m.start() in starts or before.endswith(("\n", ":", ".", "!", "?")) or (not before and m.start() < 80):
            starts.add(m.end())
    # ends of the word/number tokens that count for adjacency (not labels, notes, placeholders)
    token_ends = [m.end() for m in _ANYTOKEN_RE.finditer(text) if not skip.overlaps(m.start(), m.end())]
    return Block(text, _lexicon(), skip, ignored_set, sorted(starts), token_ends)


# -- rules: numbers, contact details, dates, ages, titles, places of work, addresses ------------
def emails(b: Block) -> None:
    """E-mail addresses."""
    text = b.text
    add = b.add
    for m in _EMAIL_RE.finditer(text):
        add(_Cand(m.start(), m.end(), "email", "e-postadresse", 0.97, "rule"))



def urls(b: Block) -> None:
    """Web addresses (a well-known site counts little)."""
    text = b.text
    lex = b.lex
    add = b.add
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



def national_ids(b: Block) -> None:
    """Identity numbers with valid check digits, or after a cue."""
    text = b.text
    add = b.add
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



def phones(b: Block) -> None:
    """Eight-digit phone numbers (not amounts, not two years)."""
    text = b.text
    add = b.add
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



def org_numbers(b: Block) -> None:
    """Organisation numbers after «org.nr»."""
    text = b.text
    add = b.add
    for m in _ORGNR_RE.finditer(text):
        if valid_orgnr(m.group(0)) and re.search(r"org\w*\.?\s*(?:nr|nummer)\w*[\s.:]*(?:er\s+)?$",
                                                  _line_prefix(text, m.start(), 40), re.IGNORECASE):
            add(_Cand(m.start(), m.end(), "organisation", "organisasjonsnummer med gyldig kontrollsiffer",
                      0.8, "rule"))



def vehicles(b: Block) -> None:
    """Registration numbers."""
    text = b.text
    add = b.add
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



def dates(b: Block) -> None:
    """Exact dates, dates and years of birth."""
    text = b.text
    add = b.add
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



def ages(b: Block) -> None:
    """Exact ages ("34 år", "er 55", "en gutt på 12")."""
    for rx, conf, why, mode in _AGE_RES:
        for m in rx.finditer(b.text):
            a = m.group("a")
            if a.isdigit() and not 0 < int(a) <= 120:
                continue
            found = _age_after_verb(b, m, conf) if mode == "verb" else _age_elsewhere(b.text, m, mode, conf)
            if found is not None:
                b.add(_Cand(m.start("a"), m.end(), "age", why, found, "rule"))


def _age_elsewhere(text: str, m: re.Match[str], mode: str, conf: float) -> float | None:
    if mode in {"subj", "noun"}:
        nxt = re.match(r"\s*(?:år\s+)?([\w%]+)", text[m.end():m.end() + 30])
        if nxt and nxt.group(1).casefold() in _AGE_STOP_AFTER - {"og", "i", "til", "på"}:
            return None
    return conf


def _age_after_verb(b: Block, m: re.Match[str], conf: float) -> float | None:
    """ "er 34 år", "fylte 50 i fjor": the confidence, or None for durations and counts."""
    text = b.text
    after = text[m.end():m.end() + 30]
    nxt = re.match(r"\s*([\w%]+)", after)
    nxt_w = nxt.group(1).casefold() if nxt else ""
    has_year = bool(m.group("yr"))
    verb = m.group("v").casefold()
    before = _prev_words(text, m.start(), 2)
    if before and before[-1] in _AGE_SUBJECT_STOP:
        return None
    if has_year:
        if nxt_w in _AGE_STOP_AFTER - {"og", "i", "på"}:
            return None
        if nxt_w in {"i", "på"} and verb in {"er", "var"}:
            # "er 20 år i jobben" is a duration; "var 20 år i 1990" rare
            return None
    elif not _bare_age_ok(b, m, verb, nxt_w, after):
        return None
    if verb in {"var", "va"}:
        if len(before) == 2 and before[0] in {"da", "då", "når", "mens", "siden", "sidan"}:
            return None  # «da jeg var tolv»: an age at some past event, not the person's age
        return 0.45  # an age at some past event is a weaker identifier
    return conf if has_year else conf - 0.05


def _bare_age_ok(b: Block, m: re.Match[str], verb: str, nxt_w: str, after: str) -> bool:
    """A number without «år» is an age only when no unit follows, and after er/var/blir
    only at the end of a clause ("… og er 55."), after a pronoun or a name."""
    digits = m.group("a").isdigit()
    if nxt_w in _AGE_STOP_AFTER - {"i", "til", "og"}:
        return False
    if verb not in {"er", "var", "blir", "e", "va", "æ"}:
        return digits or nxt_w in {"i", "og", "nå", "no", "", "da", "då"}
    if not _CLAUSE_END_RE.match(after):
        return False
    prefix = _line_prefix(b.text, m.start(), 40)
    raw_prev = re.search(r"(\w+)(\W*)$", prefix)
    pw = raw_prev.group(1) if raw_prev else ""
    pw_pos = m.start() - len(prefix) + (raw_prev.start(1) if raw_prev else 0)
    is_name = (_is_cap(pw) and not pw.isupper()
               and (not b.sentence_initial(pw_pos) or pw.casefold() in b.lex.first))
    return is_name or pw.casefold() in _AGE_SUBJECTS


_CLAUSE_END_RE = re.compile(
    r"\s*(?:[.,!?;](?!\d)|$|\n|(?:nå|no|snart|da|då|i\s+år|i\s+dag|eller\s+(?:noe|så|deromkring))\b"
    r"|og\s+(?:helt|ganske|veldig|heilt|aleine|alene|ugift|gravid|ferdig)\b"
    r"|og\s+(?:har|hadde|er|var|går|gikk|bor|bur|budde|bodde|jobber|jobbar|jobbet|bruker|ser)\b)")
_AGE_SUBJECTS = frozenset("""jeg eg æ han hun ho hu hen du og nå no snart bare berre nesten akkurat vel gutten
jenta jenten sønnen sonen dattera datteren dottera mora moren mor faren far bestefar bestemor mormor morfar farmor
farfar broren bror søstera søsteren syster kona mannen sambo samboeren som""".split())


def job_titles(b: Block) -> None:
    """Rare job titles (indirect identifiers)."""
    text = b.text
    add = b.add
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



def job_title_endings(b: Block) -> None:
    """Specialised titles formed with productive endings («erfaringskonsulent», «ruskoordinator»,
    «musikkterapeuten»): a compound whose first part is a word, not an everyday post."""
    lex = b.lex
    for m in _TITLE_ENDING_RE.finditer(b.text):
        t = m.group("t").casefold()
        pre = (m.group("pre") or "").casefold()
        if not m.group("acr"):  # «SLT-koordinator»: an acronym names the field
            if not pre or t in _COMMON_TITLES or pre in _TITLE_PRE_STOP or t in lex.stop:
                continue
            whole_pre = pre + (m.group("link") or "").casefold()
            if t not in lex.titles and not (lex.is_word(pre) or lex.is_word(whole_pre)):
                continue
        b.add(_Cand(m.start(), m.end(), "job_title", "spesialisert stillingstittel (indirekte identifikator)", 0.45,
                    "rule"))


def initials(b: Block) -> None:
    """Initials standing for a person («K.H.», «T. M.»)."""
    for m in _INITIALS_RE.finditer(b.text):
        if m.group("i").replace(" ", "") in _INITIALS_NOT:
            continue
        b.add(_Cand(m.start("i"), m.end("i"), "person", "initialer («K.H.»)", 0.6, "rule"))


def word_dates(b: Block) -> None:
    """Dates and years of birth written in words («født tredje mai nittenåttifem»)."""
    text = b.text
    for m in _WORD_DATE_RE.finditer(text):
        d = m.group("d").casefold()
        day = int(d[:-1]) if d.endswith(".") else _ORDINAL_DAY.get(d, 0)
        mo = _MONTH_NO.get(m.group("m").casefold(), 0)
        if not (1 <= mo <= 12 and 1 <= day <= _DAYS[mo - 1]):
            continue
        y = (m.group("y") or "").strip()
        end = m.end() if y else m.end("m")
        if _BIRTH_CUE_RE.search(_line_prefix(text, m.start(), 30)):
            b.add(_Cand(m.start(), end, "birth_date", "dato etter «født» (fødselsdato)", 0.9, "rule"))
        elif y:
            b.add(_Cand(m.start(), end, "date", "eksakt dato", 0.5, "rule"))
        elif (day, mo) not in _HOLIDAYS and not d.endswith("."):
            b.add(_Cand(m.start(), end, "date", "eksakt dato uten årstall", 0.35, "rule"))
    for m in _BIRTH_YEAR_WORDS_RE.finditer(text):
        b.add(_Cand(m.start("y"), m.end("y"), "birth_date", "fødselsår i ord etter «født»", 0.7, "rule"))


def workplaces(b: Block) -> None:
    """Named workplaces, institutions, companies and clubs."""
    text = b.text
    lex = b.lex
    add = b.add
    for m in _WP_SUFFIX_RE.finditer(text):
        ok = _name_part_ok(b, m.start("name"), m.group("name"))
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
        ok = _name_part_ok(b, m.start("name"), m.group("name"))
        if not ok:
            continue
        typ = m.group("type")
        if typ.islower() and typ in {"lag", "kor", "korps", "forening"} and not _in_any(lex, ok[1].split()[0].casefold()):
            continue
        conf = 0.8 if typ in {"AS", "ASA", "ANS", "DA", "BA", "SA"} else 0.7
        add(_Cand(ok[0], m.end(), "organisation", f"navngitt virksomhet/organisasjon («… {typ}»)", conf, "rule"))



def addresses(b: Block) -> None:
    """Street addresses, post boxes and postcodes."""
    text = b.text
    lex = b.lex
    add = b.add
    for rx in (_ADDRESS_RE, _ADDRESS_MULTI_RE):
        for m in rx.finditer(text):
            s = m.start("street")
            ok = _name_part_ok(b, s, m.group("street")) if rx is _ADDRESS_MULTI_RE else (s, m.group("street"))
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


def _name_part_ok(b: Block, s: int, name: str) -> tuple[int, str] | None:
    """Drop leading determiners / sentence-initial common words from a name part."""
    lex = b.lex
    words = list(re.finditer(r"\S+", name))
    k = 0
    while k < len(words):
        w = words[k].group(0)
        wf = w.casefold().strip(".,")
        pos = s + words[k].start()
        if wf in _DETERMINERS or wf in lex.stop and wf not in lex.work and wf not in lex.region:
            k += 1
            continue
        if b.sentence_initial(pos) and (wf in lex.common or not _in_any(lex, wf)) and k + 1 < len(words):
            k += 1
            continue
        if b.sentence_initial(pos) and wf in lex.common:
            k += 1
            continue
        break
    if k >= len(words):
        return None
    ns = s + words[k].start()
    return ns, name[words[k].start():]


def _in_any(lex: _Lexicon, wf: str) -> bool:
    return (wf in lex.first or wf in lex.sur or wf in lex.muni or wf in lex.place or wf in lex.work)


def _postcode_place_ok(place: str | None, lex: _Lexicon, whole: bool = False) -> bool:
    if not place:
        return False
    words = place.split()
    candidates = [" ".join(words).casefold()] if whole else [" ".join(words).casefold(), words[0].casefold()]
    return any(c in lex.muni or c in lex.place or c in {"sentrum"} for c in candidates)


# -- gazetteer phrases, the project's names, the model's entities ------------------------------
_WP_TAIL_RE = re.compile(r"(?:[ \t]+[A-ZÆØÅ][\w\-]+){1,2}")


def multiword_entries(b: Block) -> Regions:
    """Multi-word gazetteer entries ("Nordre Land", "Ullevål sykehus"); returns the regions
    they explain, which the capitalised-word rule then leaves alone."""
    text, lex, add, sentence_initial = b.text, b.lex, b.add, b.sentence_initial
    masked = []
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
                # «Oslo universitetssykehus Gaustad»: a capitalised name right after is part of it
                tail = _WP_TAIL_RE.match(text, m.end())
                end = tail.end() if tail else m.end()
                masked[-1] = (m.start(), end)
                add(_Cand(m.start(), end, "workplace", "institusjon i listen over arbeidsplasser",
                          0.8, "gazetteer"))
            elif cls == "muni":
                add(_Cand(m.start(), m.end(), "place", "kommunenavn i kommunelisten",
                          0.7 if initial else 0.8, "gazetteer"))
            else:
                add(_Cand(m.start(), m.end(), "place", "stedsnavn i stedslisten",
                          0.65 if initial else 0.75, "gazetteer"))
    return Regions(masked)


def known_names(b: Block, names: Iterable[str]) -> None:
    """The project's own list: case-insensitive, whole word, also with genitive -s."""
    kn_re = _known_names_re(tuple(sorted({n for n in names if n})))
    if kn_re is not None:
        for m in kn_re.finditer(b.text):
            b.add(_Cand(m.start(), m.end(), "person", "navn i prosjektets navneliste", 0.95, "known_names"))


def entities(b: Block, found: Iterable[tuple[int, int, str]]) -> None:
    """Named entities from a language model (spaCy nb labels); other labels are ignored."""
    text, lex = b.text, b.lex
    for ent in found:
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
        words = frag.split()
        if any(w.casefold() in lex.region for w in words) and kind == "place":
            continue  # a region or county: not an identifier (issue 16)
        wf = frag.casefold()
        if len(words) == 1 and b.sentence_initial(s) and (wf in _DIALECT_WORDS or (
                (lex.is_word(wf) or lex.is_word(wf.rstrip("s"))) and not (lex.is_name(wf) and not lex.ambiguous(wf)))):
            continue  # an adjective or a Nynorsk pronoun opening a sentence («Heldigvis», «Ho»)
        b.add(_Cand(s, e, kind, f"navngitt enhet fra språkmodellen ({label})", 0.55, "model"))
