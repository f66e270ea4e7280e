"""Themes: nesting, order, texts, key quote, moving codes, queries, the code matrix."""
from __future__ import annotations

import pytest

from themecoder import store
from themecoder.core import coding, themes
from themecoder.core.documents import add_transcript, create_participant
from themecoder.core.project import Project
from themecoder.errors import Conflict, UserError
from themecoder.io.readers import read_transcript

TABLES = ["codes", "codings", "themes", "code_themes", "memos"]


def snapshot(project: Project) -> dict:
    return {t: sorted(tuple(r) for r in project.db.query(f"SELECT * FROM {t}")) for t in TABLES}


ANNA = ("I: Hva betyr recovery?\n\nAnna: Håp er viktig. Relasjonen er viktig. Boligen betyr alt. "
        "Håp igjen.\n")
BRITT = ("I: Hva tenker du?\n\nBritt: Relasjonen tar tid. Håp gir mening. Relasjonen igjen.\n")
NOTES = "Feltnotat: håp og relasjon nevnt uten informant. Håp.\n"


@pytest.fixture
def tiny(tmp_path):
    """Anna and Britt (participants) and a field note without a participant, hand-coded."""
    project = Project.create(tmp_path / "tiny.themecoder", coder="student")
    docs = {}
    for name, text, who in (("anna", ANNA, "Anna"), ("britt", BRITT, "Britt"), ("notat", NOTES, None)):
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        docs[name] = add_transcript(project, read_transcript(path), participant=who)
    codes = {label: coding.create_code(project, label) for label in ("håp", "relasjon", "bolig")}

    def code(doc: str, words: str, label: str, nth: int = 0) -> None:
        text = store.documents.document_text(project.db, docs[doc].id)
        start = -1
        for _ in range(nth + 1):
            start = text.index(words, start + 1)
        coding.apply_code(project, docs[doc].id, start, start + len(words), codes[label].id)

    code("anna", "Håp er viktig", "håp")
    code("anna", "Håp igjen", "håp")
    code("anna", "Relasjonen er viktig", "relasjon")
    code("anna", "Boligen betyr alt", "bolig")
    code("britt", "Relasjonen tar tid", "relasjon")
    code("britt", "Relasjonen igjen", "relasjon")
    code("britt", "Håp gir mening", "håp")
    code("notat", "håp og relasjon", "håp")
    code("notat", "håp og relasjon", "relasjon")
    yield project, docs, codes
    project.close()


def names(project, parent_id=None):
    return [t.name for t in store.themes.themes(project.db) if t.parent_id == parent_id]


# -- structure --------------------------------------------------------------------------------
def test_create_rename_nest_and_reorder(tiny):
    project, _, _ = tiny
    a = themes.create_theme(project, "Håp")
    b = themes.create_theme(project, "Relasjoner")
    c = themes.create_theme(project, "Materielle forhold")
    sub = themes.create_theme(project, "Tillit", parent_id=b.id)
    assert names(project) == ["Håp", "Relasjoner", "Materielle forhold"]
    assert names(project, b.id) == ["Tillit"]
    with pytest.raises(Conflict):
        themes.create_theme(project, "håp")
    themes.create_theme(project, "Håp", parent_id=b.id)  # same name at another level: fine
    themes.rename_theme(project, a.id, "Håp og mål")
    with pytest.raises(Conflict):
        themes.rename_theme(project, a.id, "relasjoner")
    themes.shift_theme(project, c.id, -1)
    assert names(project) == ["Håp og mål", "Materielle forhold", "Relasjoner"]
    themes.reorder_theme(project, a.id, 3)
    assert names(project) == ["Materielle forhold", "Relasjoner", "Håp og mål"]
    themes.shift_theme(project, a.id, +1)  # already last: no action
    assert [t.position for t in store.themes.themes(project.db) if t.parent_id is None] == [1, 2, 3]
    assert store.themes.theme(project.db, sub.id).parent_id == b.id


def test_move_reparents_without_cycles(tiny):
    project, _, _ = tiny
    a = themes.create_theme(project, "A")
    b = themes.create_theme(project, "B")
    a1 = themes.create_theme(project, "A1", parent_id=a.id)
    a11 = themes.create_theme(project, "A11", parent_id=a1.id)
    with pytest.raises(UserError, match="itself"):
        themes.move_theme(project, a.id, a11.id)
    with pytest.raises(UserError, match="itself"):
        themes.move_theme(project, a.id, a.id)
    themes.move_theme(project, a1.id, b.id)
    assert store.themes.theme(project.db, a1.id).parent_id == b.id
    assert store.themes.theme(project.db, a11.id).parent_id == a1.id  # the subtree comes along
    themes.move_theme(project, a1.id, None, position=1)
    assert names(project) == ["A1", "A", "B"]
    project.undo()
    assert names(project) == ["A", "B"] and names(project, b.id) == ["A1"]


def test_texts_and_key_quote(tiny):
    project, _, codes = tiny
    t = themes.create_theme(project, "Håp")
    themes.map_codes(project, [codes["håp"].id], t.id)
    themes.describe_theme(project, t.id, "Om håp.")
    themes.set_analytic_text(project, t.id, "Informantene beskriver håp som ...")
    themes.set_condensate(project, t.id, "Jeg opplever at håp er viktig ...")
    quote = store.codings.codings_for_code(project.db, codes["håp"].id)[0]
    themes.set_key_quote(project, t.id, quote.id[:8])
    got = store.themes.theme(project.db, t.id)
    assert (got.description, got.analytic_text, got.condensate, got.key_coding_id) == (
        "Om håp.", "Informantene beskriver håp som ...", "Jeg opplever at håp er viktig ...", quote.id)
    other = store.codings.codings_for_code(project.db, codes["bolig"].id)[0]
    with pytest.raises(UserError, match="key quote"):
        themes.set_key_quote(project, t.id, other.id)
    themes.set_key_quote(project, t.id, None)
    assert store.themes.theme(project.db, t.id).key_coding_id is None


def test_delete_theme_unmaps_codes_only(tiny):
    project, _, codes = tiny
    top = themes.create_theme(project, "Top")
    sub = themes.create_theme(project, "Sub", parent_id=top.id)
    themes.create_theme(project, "Other")
    themes.map_codes(project, [codes["håp"].id], top.id)
    themes.map_codes(project, [codes["relasjon"].id, codes["håp"].id], sub.id)
    before = snapshot(project)
    result = themes.delete_theme(project, top.id)
    assert (result.subthemes, result.mappings) == (1, 3)
    assert names(project) == ["Other"]
    assert len(store.codes.codes(project.db)) == 3 and len(store.codings.all_codings(project.db)) == 9
    project.undo()
    assert snapshot(project) == before
    themes.delete_theme(project, top.id, keep_subthemes=True)
    assert names(project) == ["Sub", "Other"]
    assert [c.label for c in store.themes.theme_codes(project.db, sub.id)] == ["relasjon", "håp"]


# -- codes and themes -------------------------------------------------------------------------
def test_map_move_and_queries(tiny):
    project, _, codes = tiny
    a = themes.create_theme(project, "A")
    b = themes.create_theme(project, "B")
    assert {c.label for c in themes.unthemed_codes(project)} == {"håp", "relasjon", "bolig"}
    assert themes.map_codes(project, [codes["håp"].id, codes["relasjon"].id], a.id) == 2
    assert themes.map_codes(project, [codes["håp"].id], a.id) == 0
    themes.map_codes(project, [codes["håp"].id], b.id)
    assert [c.label for c in themes.unthemed_codes(project)] == ["bolig"]
    several = themes.codes_in_several_themes(project)
    assert [(c.label, [t.name for t in ts]) for c, ts in several] == [("håp", ["A", "B"])]
    # Move two codes from A to B in one action.
    n_actions = len(project.history())
    themes.move_codes(project, [codes["håp"].id, codes["relasjon"].id], b.id, from_theme_id=a.id)
    assert len(project.history()) == n_actions + 1
    assert store.themes.theme_codes(project.db, a.id) == []
    assert {c.label for c in store.themes.theme_codes(project.db, b.id)} == {"håp", "relasjon"}
    project.undo()
    assert {c.label for c in store.themes.theme_codes(project.db, a.id)} == {"håp", "relasjon"}
    themes.reorder_code(project, a.id, codes["relasjon"].id, 1)
    assert [c.label for c in store.themes.theme_codes(project.db, a.id)] == ["relasjon", "håp"]
    themes.unmap_codes(project, [codes["relasjon"].id], a.id)
    assert [c.label for c in store.themes.theme_codes(project.db, a.id)] == ["håp"]


def test_theme_tree_counts_distinct_codings(tiny):
    project, _, codes = tiny
    top = themes.create_theme(project, "Top")
    sub = themes.create_theme(project, "Sub", parent_id=top.id)
    themes.map_codes(project, [codes["håp"].id], top.id)
    themes.map_codes(project, [codes["håp"].id, codes["bolig"].id], sub.id)
    tree = themes.theme_tree(project)
    assert [n.theme.name for n in tree] == ["Top"]
    node = tree[0]
    assert node.children[0].theme.name == "Sub"
    assert node.codings == 5          # håp 4 + bolig 1, håp counted once
    assert node.children[0].codings == 5
    assert node.participants == 3     # Anna, Britt and the field note
    assert node.code_codings == {codes["håp"].id: 4}


# -- the code matrix --------------------------------------------------------------------------
def test_code_matrix_by_hand(tiny):
    """Counted by hand from the fixture:
               Anna  Britt  notat
    bolig        1     0      0
    håp          2     1      1
    relasjon     1     2      1
    Top (håp+relasjon, sub: bolig)  4 3 2 ; the field note's one passage has two codes: 2 codings
    """
    project, docs, codes = tiny
    m = themes.code_matrix(project, rows="codes")
    assert [c.label for c in m.columns] == ["Anna", "Britt", "notat"]
    assert [c.kind for c in m.columns] == ["participant", "participant", "document"]
    grid = {r.label: list(m.counts[i]) for i, r in enumerate(m.rows)}
    assert grid == {"bolig": [1, 0, 0], "håp": [2, 1, 1], "relasjon": [1, 2, 1]}
    assert m.max == 2 and m.row_total(1) == 4 and m.column_total(0) == 4

    top = themes.create_theme(project, "Top")
    sub = themes.create_theme(project, "Sub", parent_id=top.id)
    themes.map_codes(project, [codes["håp"].id, codes["relasjon"].id], top.id)
    themes.map_codes(project, [codes["bolig"].id, codes["håp"].id], sub.id)
    m = themes.code_matrix(project, rows="themes")
    grid = {r.label: list(m.counts[i]) for i, r in enumerate(m.rows)}
    assert grid == {"Top": [4, 3, 2], "Sub": [3, 1, 1]}
    assert [r.depth for r in m.rows] == [0, 1]

    by_doc = themes.code_matrix(project, rows="codes", by="document")
    assert [c.label for c in by_doc.columns] == ["anna", "britt", "notat"]

    # Drill-down: the quotes behind a cell.
    row = next(r for r in m.rows if r.label == "Top")
    cell = themes.matrix_cell_codings(project, row, m.columns[1])
    assert sorted(c.quote for c in cell) == ["Håp gir mening", "Relasjonen igjen", "Relasjonen tar tid"]
    code_m = themes.code_matrix(project, rows="codes")
    row = next(r for r in code_m.rows if r.label == "håp")
    assert [c.quote for c in themes.matrix_cell_codings(project, row, code_m.columns[2])] == ["håp og relasjon"]
    with pytest.raises(UserError):
        themes.code_matrix(project, rows="documents")


def test_participant_with_two_documents_is_one_column(tiny, tmp_path):
    project, docs, codes = tiny
    path = tmp_path / "anna2.txt"
    path.write_text("I: Igjen?\n\nAnna: Håp hele veien.\n", encoding="utf-8")
    doc = add_transcript(project, read_transcript(path), participant="Anna")
    text = store.documents.document_text(project.db, doc.id)
    coding.apply_code(project, doc.id, text.index("Håp hele"), text.index("Håp hele") + 8, codes["håp"].id)
    create_participant(project, "Dag")  # no documents: no column
    m = themes.code_matrix(project, rows="codes")
    assert [c.label for c in m.columns] == ["Anna", "Britt", "notat"]
    assert list(m.counts[[r.label for r in m.rows].index("håp")]) == [3, 1, 1]


def test_demo_tree_and_matrix_are_consistent(demo_project):
    project = Project.open(demo_project, coder="student")
    try:
        tree = themes.flatten(themes.theme_tree(project))
        assert len(tree) == len(store.themes.themes(project.db))
        m = themes.code_matrix(project, rows="themes")
        for i, node in enumerate(tree):
            assert m.row_total(i) == node.codings
        codes_m = themes.code_matrix(project, rows="codes")
        assert sum(codes_m.row_total(i) for i in range(len(codes_m.rows))) == len(store.codings.all_codings(project.db))
    finally:
        project.close()
