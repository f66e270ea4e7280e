"""Codebook maintenance: rename, describe, recolour, merge, split, delete, near-duplicates."""
from __future__ import annotations

import pytest

from themecoder import store
from themecoder.core import codebook, coding, memos, themes
from themecoder.core.project import Project
from themecoder.errors import Conflict, UserError
from themecoder.io.readers import read_transcript
from themecoder.model import Code

TABLES = ["codes", "codings", "themes", "code_themes", "memos", "review_items", "review_comments",
          "code_aliases", "documents", "participants"]

TEXT = (
    "I: Hva betyr recovery for deg?\n\n"
    "Anna: Det er en personlig prosess. Relasjonen til brukerne er viktig for meg.\n\n"
    "I: Kan du si mer om relasjoner?\n\n"
    "Anna: Ja, relasjonene handler om å være medmenneske. Vi møtes hver uke og snakker om håp.\n"
)


def snapshot(project: Project) -> dict:
    return {t: sorted(tuple(r) for r in project.db.query(f"SELECT * FROM {t}")) for t in TABLES}


@pytest.fixture
def small(tmp_path):
    from themecoder.core.documents import add_transcript

    path = tmp_path / "anna.txt"
    path.write_text(TEXT, encoding="utf-8")
    project = Project.create(tmp_path / "small.themecoder", coder="student")
    doc = add_transcript(project, read_transcript(path))
    yield project, doc
    project.close()


def span(project, doc, words: str) -> tuple[int, int]:
    text = store.documents.document_text(project.db, doc.id)
    start = text.index(words)
    return start, start + len(words)


def code_with(project, doc, label: str, *phrases: str) -> Code:
    code = coding.create_code(project, label)
    for p in phrases:
        coding.apply_code(project, doc.id, *span(project, doc, p), code.id)
    return code


# -- rename, describe, recolour ---------------------------------------------------------------
def test_rename_describe_recolour_are_undoable_actions(small):
    project, doc = small
    code = code_with(project, doc, "relasjon", "Relasjonen til brukerne")
    before = snapshot(project)
    codebook.rename_code(project, code.id, "  relasjonen  er viktig ")
    codebook.describe_code(project, code.id, "Om forholdet mellom hjelper og bruker.")
    codebook.recolour_code(project, code.id, "#aa00cc")
    c = store.codes.code(project.db, code.id)
    assert (c.label, c.description, c.colour) == ("relasjonen er viktig", "Om forholdet mellom hjelper og bruker.", "#AA00CC")
    kinds = [a.kind for a in project.history()][-3:]
    assert kinds == ["rename-code", "describe-code", "recolour-code"]
    for _ in range(3):
        project.undo()
    assert snapshot(project) == before


def test_rename_to_an_existing_label_is_refused(small):
    project, doc = small
    a = coding.create_code(project, "håp")
    coding.create_code(project, "relasjon")
    with pytest.raises(Conflict, match="merge"):
        codebook.rename_code(project, a.id, "Relasjon")
    with pytest.raises(UserError):
        codebook.rename_code(project, a.id, "   ")
    with pytest.raises(UserError):
        codebook.recolour_code(project, a.id, "red")
    # Only the case changes: allowed.
    assert codebook.rename_code(project, a.id, "Håp").label == "Håp"


# -- merge ------------------------------------------------------------------------------------
def test_merge_moves_collapses_carries_over_and_one_undo_restores_exactly(small):
    project, doc = small
    keep = code_with(project, doc, "relasjoner", "Relasjonen til brukerne", "relasjonene handler om")
    gone = code_with(project, doc, "relasjon", "Relasjonen til brukerne", "være medmenneske")
    t1 = themes.create_theme(project, "Relasjoner")
    t2 = themes.create_theme(project, "Fellesskap")
    themes.map_codes(project, [keep.id], t1.id)
    themes.map_codes(project, [gone.id], t1.id)
    themes.map_codes(project, [gone.id], t2.id)
    memos.add_memo(project, "code", gone.id, "Kanskje samme som relasjoner?")
    dup = next(c for c in store.codings.codings_for_code(project.db, gone.id) if c.quote == "Relasjonen til brukerne")
    memos.add_memo(project, "coding", dup.id, "Godt sitat.")
    themes.set_key_quote(project, t2.id, dup.id)
    spans_before = {(c.document_id, c.start, c.end) for c in store.codings.all_codings(project.db)}
    before = snapshot(project)

    result = codebook.merge_codes(project, [gone.id], keep.id)

    assert (result.moved, result.collapsed, result.mappings, result.memos) == (1, 1, 1, 1)
    assert store.codes.code_by_label(project.db, "relasjon") is None
    quotes = sorted(c.quote for c in store.codings.codings_for_code(project.db, keep.id))
    assert quotes == ["Relasjonen til brukerne", "relasjonene handler om", "være medmenneske"]
    # Nothing lost: every coded span is still coded.
    assert {(c.document_id, c.start, c.end) for c in store.codings.all_codings(project.db)} == spans_before
    assert {t.id for t in themes_of(project, keep.id)} == {t1.id, t2.id}
    assert [m.text for m in store.memos.memos(project.db, "code", keep.id)] == ["Kanskje samme som relasjoner?"]
    survivor = next(c for c in store.codings.codings_for_code(project.db, keep.id) if c.quote == "Relasjonen til brukerne")
    assert [m.text for m in store.memos.memos(project.db, "coding", survivor.id)] == ["Godt sitat."]
    assert store.themes.theme(project.db, t2.id).key_coding_id == survivor.id
    assert codebook.resolve_alias(project, gone.id) == keep.id
    assert project.history()[-1].kind == "merge-codes"

    project.undo()
    assert snapshot(project) == before
    project.redo()
    assert store.codes.code_by_label(project.db, "relasjon") is None
    project.undo()
    assert snapshot(project) == before


def themes_of(project, code_id):
    return [store.themes.theme(project.db, t) for c, t in store.themes.code_theme_pairs(project.db) if c == code_id]


def test_merge_refuses_nothing_to_merge(small):
    project, _ = small
    a = coding.create_code(project, "håp")
    with pytest.raises(UserError):
        codebook.merge_codes(project, [a.id], a.id)


def test_merge_two_demo_codes_and_undo(demo_project):
    project = Project.open(demo_project, coder="student")
    try:
        stats = sorted(store.codes.code_stats(project.db), key=lambda s: -s.codings)
        a, b = stats[0].code, stats[1].code
        n_a, n_b = stats[0].codings, stats[1].codings
        before = snapshot(project)
        total = len(store.codings.all_codings(project.db))
        result = codebook.merge_codes(project, b.id, a.id)
        assert result.moved + result.collapsed == n_b
        assert len(store.codings.codings_for_code(project.db, a.id)) == n_a + result.moved
        assert len(store.codings.all_codings(project.db)) == total - result.collapsed
        project.undo()
        assert snapshot(project) == before
        assert len(store.codings.codings_for_code(project.db, a.id)) == n_a
        assert len(store.codings.codings_for_code(project.db, b.id)) == n_b
    finally:
        project.close()


def test_merge_several_codes_at_once(small):
    project, doc = small
    a = code_with(project, doc, "håp", "snakker om håp")
    b = code_with(project, doc, "Håp!", "personlig prosess")
    c = code_with(project, doc, "haap", "være medmenneske")
    result = codebook.merge_codes(project, [b.id, c.id], a.id)
    assert result.merged == ("Håp!", "haap")
    assert len(store.codings.codings_for_code(project.db, a.id)) == 3
    assert [x.label for x in store.codes.codes(project.db)] == ["håp"]


# -- split ------------------------------------------------------------------------------------
def test_split_moves_chosen_codings_to_a_new_code_in_the_same_themes(small):
    project, doc = small
    code = code_with(project, doc, "relasjoner", "Relasjonen til brukerne", "være medmenneske", "snakker om håp")
    theme = themes.create_theme(project, "Relasjoner")
    themes.map_codes(project, [code.id], theme.id)
    before = snapshot(project)
    chosen = [c.id for c in store.codings.codings_for_code(project.db, code.id) if c.quote != "Relasjonen til brukerne"]
    new = codebook.split_code(project, code.id, chosen, "medmenneskelighet")
    assert sorted(c.id for c in store.codings.codings_for_code(project.db, new.id)) == sorted(chosen)
    assert [c.quote for c in store.codings.codings_for_code(project.db, code.id)] == ["Relasjonen til brukerne"]
    assert {c.id for c in store.themes.theme_codes(project.db, theme.id)} == {code.id, new.id}
    project.undo()
    assert snapshot(project) == before


def test_split_refuses_foreign_codings_and_taken_labels(small):
    project, doc = small
    a = code_with(project, doc, "a", "personlig prosess")
    b = code_with(project, doc, "b", "være medmenneske")
    with pytest.raises(UserError, match="not coded"):
        codebook.split_code(project, a.id, [store.codings.codings_for_code(project.db, b.id)[0].id], "c")
    with pytest.raises(Conflict):
        codebook.split_code(project, a.id, [store.codings.codings_for_code(project.db, a.id)[0].id], "B")
    with pytest.raises(UserError):
        codebook.split_code(project, a.id, [], "c")


# -- delete -----------------------------------------------------------------------------------
def test_delete_takes_codings_mappings_and_memos_and_undo_brings_them_back(small):
    project, doc = small
    code = code_with(project, doc, "håp", "snakker om håp", "personlig prosess")
    other = code_with(project, doc, "relasjon", "Relasjonen til brukerne")
    theme = themes.create_theme(project, "Håp")
    themes.map_codes(project, [code.id, other.id], theme.id)
    first = store.codings.codings_for_code(project.db, code.id)[0]
    themes.set_key_quote(project, theme.id, first.id)
    memos.add_memo(project, "code", code.id, "Et memo om håp.")
    memos.add_memo(project, "coding", first.id, "Et memo om sitatet.")
    before = snapshot(project)
    impact = codebook.delete_impact(project, code.id)
    assert (impact.codings, impact.themes, impact.memos) == (2, 1, 2)
    codebook.delete_code(project, code.id)
    assert store.codes.code_by_label(project.db, "håp") is None
    assert store.memos.memos(project.db) == []
    assert [c.id for c in store.themes.theme_codes(project.db, theme.id)] == [other.id]
    assert store.themes.theme(project.db, theme.id).key_coding_id is None
    assert len(store.codings.all_codings(project.db)) == 1
    project.undo()
    assert snapshot(project) == before


# -- near-duplicates --------------------------------------------------------------------------
def fake_codes(labels: list[str]) -> list[Code]:
    return [Code(f"id-{i}", label, "", "#808080", False, None, "") for i, label in enumerate(labels)]


def test_norwegian_processor():
    p = codebook.norwegian_processor
    assert p("Idé om Håp!") == "ide håp"
    assert p("haap") == p("håp")
    assert p("Å være et MEDMENNESKE") == "være medmenneske"
    assert p("å") == "å"  # only function words: kept rather than emptied
    assert p("bruker-medvirkning") == "bruker medvirkning"


def test_near_duplicate_clusters_on_constructed_labels():
    labels = [
        "brukermedvirkning er vanskelig",      # 0
        "Brukermedvirkning er vanskeleg",      # 1 nynorsk spelling
        "brukermedvirkning er  vanskelig!",    # 2 punctuation, spaces
        "å være et medmenneske",               # 3
        "være medmenneske",                    # 4 function words
        "tillit tar tid",                      # 5
        "tid tar tillit",                      # 6 word order
        "bolig først",                         # 7 unrelated
        "arbeid gir mening",                   # 8 unrelated
        "håp er viktig",                       # 9
        "haap er viktig",                      # 10 old spelling
    ]
    codes = fake_codes(labels)
    counts = {"id-1": 5, "id-4": 2}
    clusters = codebook.cluster_labels(codes, threshold=85, counts=counts)
    groups = sorted(sorted(int(c.id[3:]) for c in cl.codes) for cl in clusters)
    assert groups == [[0, 1, 2], [3, 4], [5, 6], [9, 10]]
    by_first = {cl.codes[0].label: cl for cl in clusters}
    # The most used code is the suggested survivor.
    assert "Brukermedvirkning er vanskeleg" in by_first
    assert by_first["Brukermedvirkning er vanskeleg"].codings[0] == 5
    assert "være medmenneske" in by_first
    for cl in clusters:
        assert cl.score == max(s for _, _, s in cl.pairs)
        assert all(s >= 85 for _, _, s in cl.pairs)
    # A higher threshold splits off the nynorsk spelling.
    strict = codebook.cluster_labels(codes, threshold=99, counts=counts)
    assert sorted(sorted(int(c.id[3:]) for c in cl.codes) for cl in strict) == [[0, 2], [3, 4], [5, 6], [9, 10]]


def test_single_link_chains_clusters():
    codes = fake_codes(["abcdefghij", "abcdefghiX", "abcdefghXY", "zzzzzzzzzz"])
    clusters = codebook.cluster_labels(codes, threshold=89)
    assert [sorted(c.label for c in cl.codes) for cl in clusters] == [["abcdefghXY", "abcdefghiX", "abcdefghij"]]
    # The two ends are only 80 similar: linked through the middle one, not directly.
    pairs = {frozenset((cl.codes[i].label, cl.codes[j].label)): s for cl in clusters for i, j, s in cl.pairs}
    assert pairs == {frozenset(("abcdefghij", "abcdefghiX")): 90.0, frozenset(("abcdefghiX", "abcdefghXY")): 90.0}


def test_near_duplicates_in_a_project_and_one_key_merge(small):
    project, doc = small
    a = code_with(project, doc, "relasjonen er viktig", "Relasjonen til brukerne", "være medmenneske")
    b = code_with(project, doc, "Relasjonen er viktig!", "snakker om håp")
    coding.create_code(project, "noe helt annet")
    clusters = codebook.near_duplicates(project, threshold=90)
    assert len(clusters) == 1
    assert clusters[0].survivor.id == a.id and clusters[0].codings == (2, 1)
    codebook.merge_cluster(project, clusters[0])
    assert {c.label for c in store.codes.codes(project.db)} == {"relasjonen er viktig", "noe helt annet"}
    assert len(store.codings.codings_for_code(project.db, a.id)) == 3
    assert codebook.near_duplicates(project, threshold=90) == []
    project.undo()
    assert store.codes.code(project.db, b.id).label == "Relasjonen er viktig!"


def test_near_duplicates_scale_to_2000_labels():
    import random

    rng = random.Random(7)
    words = ("bruker relasjon håp tillit bolig arbeid mestring nettverk familie skam stigma "
             "medvirkning samarbeid tid ansvar makt frihet trygghet ensomhet rus").split()
    labels = {" ".join(rng.sample(words, 4)) + f" {n}" for n in range(2000)}
    codes = fake_codes(sorted(labels))
    clusters = codebook.cluster_labels(codes, threshold=95)
    members = [c for cl in clusters for c in cl.codes]
    assert len(members) == len({c.id for c in members})
