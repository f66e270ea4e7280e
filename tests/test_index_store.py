"""The compact text index (store/index.py) answers exactly as a row per token would."""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from themecoder import store
from themecoder.core.documents import add_transcript
from themecoder.core.project import Project
from themecoder.core.turns import ParsedTranscript, parse_turns

WORDS = st.sampled_from(["relasjon", "relasjonen", "tillit", "hjelp", "rel", "a\x1fb", "ø", "Øya"])


@st.composite
def index_rows(draw):
    n = draw(st.integers(0, 40))
    starts = sorted(draw(st.sets(st.integers(0, 400), min_size=n, max_size=n)))
    tokens = []
    for s in starts:
        form = draw(WORDS).casefold()
        lemma = draw(WORDS).casefold()
        tokens.append((s, s + draw(st.integers(1, 5)), lemma, form))
    if draw(st.booleans()):  # a duplicate start: the first one stands
        tokens += tokens[:1]
    sentences = sorted({(s, s + 3) for s in draw(st.lists(st.integers(0, 400), max_size=10))})
    return draw(st.permutations(tokens)), sentences


def _project(tmp_path: Path) -> tuple[Project, str]:
    p = Project.create(tmp_path / "i.themecoder", coder="t")
    text = "I: Hei.\nP1: Hei på deg.\n"
    doc = add_transcript(p, ParsedTranscript(source_name="a.txt", title="a", text=text, turns=parse_turns(text),
                                             sha256="x" * 64, encoding="utf-8"))
    return p, doc.id


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=index_rows())
def test_compact_index_matches_a_row_per_token(tmp_path_factory, rows) -> None:
    tokens, sentences = rows
    p, doc_id = _project(tmp_path_factory.mktemp("idx"))
    with p.db.transaction() as conn:
        store.index.replace(conn, doc_id, sentences, tokens)
    # the model: first token per start wins, lemmas/forms without the unit separator
    model: dict[int, tuple[int, int, str, str]] = {}
    for s, e, lemma, form in tokens:
        model.setdefault(s, (s, e, lemma.replace("\x1f", " "), form.replace("\x1f", " ")))
    ordered = [model[s] for s in sorted(model)]
    for lemma in ["relasjon", "tillit", "ø", "a b"]:
        for form in ["relasjonen", "hjelp", "øya"]:
            want = [(doc_id, s, e) for s, e, lm, fm in ordered if lm == lemma or fm == form]
            assert store.index.matching_tokens(p.db, lemma, form) == want
    for prefix in ["rel", "ø", ""]:
        want = [(doc_id, s, e) for s, e, _lm, fm in ordered if fm.startswith(prefix)]
        assert store.index.matching_tokens(p.db, "", prefix, prefix=True) == want
    for s, *_ in ordered[:5]:
        assert store.index.tokens_after(p.db, doc_id, s, 3) == [t for t in ordered if t[0] > s][:3]
    assert store.index.sentences(p.db, doc_id) == sentences
    assert store.project.counts(p.db)["sentences"] == len(sentences)
    p.close()


def test_an_edited_document_is_decoded_again(tmp_path: Path) -> None:
    p, doc_id = _project(tmp_path)
    with p.db.transaction() as conn:
        store.index.replace(conn, doc_id, [(0, 4)], [(0, 3, "hei", "hei"), (4, 6, "på", "på")])
    assert store.index.tokens_after(p.db, doc_id, 0, 1) == [(4, 6, "på", "på")]
    with p.db.transaction() as conn:
        store.index.replace(conn, doc_id, [(0, 4)], [(0, 3, "hei", "hei"), (4, 7, "deg", "deg")])
    assert store.index.tokens_after(p.db, doc_id, 0, 1) == [(4, 7, "deg", "deg")]
    with p.db.transaction() as conn:
        store.index.clear(conn, doc_id)
    assert store.index.tokens_after(p.db, doc_id, 0, 1) == []
    assert store.index.unindexed_documents(p.db) == [doc_id]
    p.close()
