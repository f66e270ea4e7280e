"""Checks on the demo project's content: transcripts, participants and codebook.

Plain file reads and PyYAML only, on purpose: no imports from themecoder, so these
tests describe the demo data itself and keep passing whatever the code base does.
"""
from __future__ import annotations

import colorsys
import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"
CODEBOOK = ROOT / "codebooks" / "demo.yaml"

# document stem -> informant's speaker label
DOCS = {"anna": "Anna", "britt": "Britt", "carl": "Carl"}
TIMESTAMPED = {"britt"}
PLACEHOLDERS = {"[kommune]", "[bydel]", "[arbeidsplass]"}

# The codebook's deliberate irregularities (see the brief for the demo project).
UNTHEMED = {
    "ordene vi bruker om dem vi jobber med",
    "humor gjør det lettere å stå i det",
    "har tenkt på å slutte",
}
IN_TWO_THEMES = {
    "nyutdannede kommer med nye ideer",
    "vanskelig å si ifra som ny",
    "for lite tid til refleksjon",
    "å bøye reglene for brukerens skyld",
}

TS = r"\[(\d\d):([0-5]\d):([0-5]\d)\] "
COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def turn_pattern(doc: str) -> re.Pattern[str]:
    prefix = TS if doc in TIMESTAMPED else ""
    return re.compile(rf"^{prefix}(I|{DOCS[doc]}): (?=\S)")


def read_text(doc: str) -> str:
    return (CORPORA / f"{doc}.txt").read_bytes().decode("utf-8")


def paragraphs(doc: str) -> list[str]:
    return [p for p in read_text(doc).rstrip("\n").split("\n\n") if p.strip()]


def turns(doc: str) -> list[tuple[str, str]]:
    """(speaker, text without label/timestamp) for every turn."""
    pat = turn_pattern(doc)
    out = []
    for p in paragraphs(doc):
        m = pat.match(p)
        assert m, f"{doc}: paragraph without valid speaker label: {p[:60]!r}"
        out.append((m.group(m.lastindex), p[m.end():]))
    return out


def squash(s: str) -> str:
    return " ".join(s.split())


@pytest.fixture(scope="module")
def codebook() -> dict:
    return yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def participants() -> list:
    return yaml.safe_load((CORPORA / "participants.yaml").read_text(encoding="utf-8"))


def theme_membership(codebook: dict) -> dict[str, set[str]]:
    member: dict[str, set[str]] = defaultdict(set)
    for theme in codebook["themes"]:
        for label in theme.get("codes") or []:
            member[label].add(theme["name"])
        for sub in theme.get("subthemes") or []:
            for label in sub.get("codes") or []:
                member[label].add(theme["name"])
    return member


# --------------------------------------------------------------------------- transcripts


@pytest.mark.parametrize("doc", sorted(DOCS))
def test_transcript_encoding(doc):
    raw = (CORPORA / f"{doc}.txt").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    text = raw.decode("utf-8")
    assert "\r" not in text, "LF line endings only"
    assert unicodedata.is_normalized("NFC", text)
    assert "\t" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\n\n\n" not in text, "turns are separated by exactly one blank line"
    assert not any(line != line.rstrip() for line in text.split("\n"))


@pytest.mark.parametrize("doc", sorted(DOCS))
def test_transcript_turns(doc):
    paras = paragraphs(doc)
    assert all("\n" not in p for p in paras), "each turn is one paragraph (one line)"
    speakers = [speaker for speaker, _ in turns(doc)]
    assert speakers[0] == "I", "the transcript begins with the interviewer"
    assert set(speakers) == {"I", DOCS[doc]}
    assert all(a != b for a, b in zip(speakers, speakers[1:])), "speakers alternate"


@pytest.mark.parametrize("doc", sorted(DOCS))
def test_transcript_word_count(doc):
    spoken = sum(len(text.split()) for _, text in turns(doc))
    assert 3000 <= spoken <= 4500, spoken
    assert 3000 <= len(read_text(doc).split()) <= 4500


@pytest.mark.parametrize("doc", sorted(DOCS))
def test_transcript_is_anonymised(doc):
    text = read_text(doc)
    body = " ".join(t for _, t in turns(doc))
    assert set(re.findall(r"\[[^\]]*\]", body)) <= PLACEHOLDERS
    assert not re.search(r"\d{3}\s?\d{2}\s?\d{3}", text), "nothing that looks like a phone number"
    assert "@" not in text and "http" not in text
    # the only capitalised name-like labels are the interviewer and the pseudonym
    assert set(re.findall(r"^(?:\[[\d:]+\] )?(\w+):", text, re.M)) == {"I", DOCS[doc]}


def test_timestamps_increase_and_match_duration(participants):
    for doc in TIMESTAMPED:
        seconds = []
        for p in paragraphs(doc):
            m = re.match(TS, p)
            assert m, p[:40]
            h, mi, s = map(int, m.groups())
            seconds.append(h * 3600 + mi * 60 + s)
        assert all(a < b for a, b in zip(seconds, seconds[1:])), "timestamps strictly increase"
        assert seconds[0] < 60
        assert 25 * 60 <= seconds[-1] <= 35 * 60
        # no implausible gaps: a turn takes between 1 s and 4 min
        assert all(1 <= b - a <= 240 for a, b in zip(seconds, seconds[1:]))
        (entry,) = [e for e in participants if e["document"] == doc]
        minutes = entry["attributes"]["varighet_min"]["value"]
        assert abs(seconds[-1] / 60 - minutes) <= 1


def test_other_transcripts_have_no_timestamps():
    for doc in set(DOCS) - TIMESTAMPED:
        assert not any(re.match(TS, p) for p in paragraphs(doc))


# --------------------------------------------------------------------------- participants


def test_participants(participants):
    assert isinstance(participants, list)
    assert {e["document"] for e in participants} == set(DOCS)
    for e in participants:
        assert e["pseudonym"] == DOCS[e["document"]]
        attrs = e["attributes"]
        assert {"utdanning", "erfaring_ar", "intervjudato", "varighet_min", "kjonn"} <= set(attrs)
        for name, attr in attrs.items():
            assert attr["type"] in {"text", "integer", "date"}, name
            value = attr["value"]
            if attr["type"] == "integer":
                assert isinstance(value, int) and not isinstance(value, bool), name
            elif attr["type"] == "date":
                assert isinstance(value, str), "dates are quoted ISO strings"
                dt.date.fromisoformat(value)
            else:
                assert isinstance(value, str) and value, name
        assert 25 <= attrs["varighet_min"]["value"] <= 35
    by_doc = {e["document"]: e["attributes"] for e in participants}
    assert by_doc["anna"]["utdanning"]["value"] == "sosionom"
    assert by_doc["britt"]["utdanning"]["value"] == "vernepleier"
    assert by_doc["carl"]["utdanning"]["value"] == "samfunnsviter"
    assert by_doc["anna"]["erfaring_ar"]["value"] <= 2 < by_doc["britt"]["erfaring_ar"]["value"]
    assert by_doc["carl"]["erfaring_ar"]["value"] >= 15


# --------------------------------------------------------------------------- codebook: codes and themes


def test_codes(codebook):
    codes = codebook["codes"]
    assert len(codes) >= 60
    labels = [c["label"] for c in codes]
    assert len(labels) == len(set(labels)), "labels are unique"
    for c in codes:
        assert isinstance(c["label"], str) and c["label"] == c["label"].strip() and c["label"]
        assert isinstance(c["description"], str) and len(c["description"].split()) >= 4, c["label"]
        assert COLOUR.match(c["colour"]), c
        assert isinstance(c.get("in_vivo", False), bool)
        assert unicodedata.is_normalized("NFC", c["label"] + c["description"])
    assert len({c["colour"].upper() for c in codes}) == len(codes), "colours are distinct"
    assert 0 < sum(c.get("in_vivo", False) for c in codes) < len(codes) / 2


def test_themes(codebook):
    labels = {c["label"] for c in codebook["codes"]}
    themes = codebook["themes"]
    assert 4 <= len(themes) <= 6
    assert len({t["name"] for t in themes}) == len(themes)
    for theme in themes:
        assert theme["name"] and theme["description"]
        subs = theme.get("subthemes") or []
        assert 2 <= len(subs) <= 3, theme["name"]
        assert len({s["name"] for s in subs}) == len(subs)
        listed = list(theme.get("codes") or [])
        for sub in subs:
            assert sub["name"] and sub["description"]
            assert sub["codes"], sub["name"]
            listed += sub["codes"]
        assert set(listed) <= labels, set(listed) - labels
        assert len(listed) == len(set(listed)), f"a code listed twice within {theme['name']}"


def test_unthemed_and_multi_themed_codes(codebook):
    member = theme_membership(codebook)
    labels = {c["label"] for c in codebook["codes"]}
    unthemed = {label for label in labels if not member[label]}
    several = {label for label in labels if len(member[label]) > 1}
    assert unthemed == UNTHEMED
    assert several == IN_TWO_THEMES
    assert len(unthemed) >= 3 and len(several) >= 3
    assert all(len(member[label]) == 2 for label in several)


def _hue(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hsv(r, g, b)[0] * 360


def test_codes_of_a_theme_share_a_hue_family(codebook):
    member = theme_membership(codebook)
    colour = {c["label"]: c["colour"] for c in codebook["codes"]}
    by_theme = defaultdict(list)
    for label, themes in member.items():
        if len(themes) == 1:
            by_theme[next(iter(themes))].append(_hue(colour[label]))
    for theme, hues in by_theme.items():
        hues.sort()
        gaps = [b - a for a, b in zip(hues, hues[1:])] + [hues[0] + 360 - hues[-1]]
        assert 360 - max(gaps) <= 60, f"{theme}: hues spread over {360 - max(gaps):.0f} degrees"


# --------------------------------------------------------------------------- codebook: codings


def test_codings_overview(codebook):
    codings = codebook["codings"]
    labels = {c["label"] for c in codebook["codes"]}
    assert 180 <= len(codings) <= 260
    for c in codings:
        assert set(c) == {"doc", "code", "quote"}, c
        assert c["doc"] in DOCS, c
        assert c["code"] in labels, c
        assert isinstance(c["quote"], str) and 2 <= len(c["quote"].split()) <= 80, c
    used = Counter(c["code"] for c in codings)
    assert set(used) == labels, f"unused codes: {labels - set(used)}"
    keys = [(c["doc"], c["code"], squash(c["quote"])) for c in codings]
    assert len(keys) == len(set(keys)), "no duplicate codings"
    per_doc = Counter(c["doc"] for c in codings)
    assert all(per_doc[d] >= 50 for d in DOCS), per_doc
    # most codes are used two to four times
    assert sum(2 <= n <= 4 for n in used.values()) >= 0.8 * len(labels)


def test_coding_quotes_lie_inside_one_turn(codebook):
    bodies = {doc: [squash(text) for _, text in turns(doc)] for doc in DOCS}
    label_like = re.compile(rf"(?:{TS})?\b(?:I|{'|'.join(DOCS.values())}):")
    problems = []
    for c in codebook["codings"]:
        quote = squash(c["quote"])
        if label_like.search(c["quote"]) or "\n\n" in c["quote"]:
            problems.append(("contains a label or a turn break", c))
        elif not any(quote in body for body in bodies[c["doc"]]):
            problems.append(("not inside one turn", c))
    assert not problems, problems[:5]


def test_coding_quotes_are_verbatim(codebook):
    """Stricter than needed by the loader: every quote is an exact substring,
    so importers can compute offsets without whitespace folding."""
    texts = {doc: read_text(doc) for doc in DOCS}
    missing = [c for c in codebook["codings"] if c["quote"] not in texts[c["doc"]]]
    assert not missing, missing[:5]


def test_every_code_with_quotes_spread_over_documents(codebook):
    docs_per_code = defaultdict(set)
    for c in codebook["codings"]:
        docs_per_code[c["code"]].add(c["doc"])
    # codes are empirically near: most of them turn up in more than one interview
    spread = sum(len(d) >= 2 for d in docs_per_code.values())
    assert spread >= 0.75 * len(docs_per_code)
