"""`themecoder merge` brings memos and themes too (issue 12 follow-up): memos keep author and
dates and follow their object, themes match by their path of names (case ignored), texts fill
empty ones and differences keep ours, mappings come along, all in one undoable action."""
from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from themecoder import store
from themecoder.cli import main
from themecoder.core import agreement
from themecoder.core.coding import create_code, place_coding
from themecoder.core.indexing import ensure_index
from themecoder.core.memos import add_memo
from themecoder.core.merge import merge
from themecoder.core.project import Project
from themecoder.core.text import label_key
from themecoder.core.themes import add_code_to_theme, create_theme, set_key_quote, update_theme
from themecoder.io.batch import import_files

WORDS = ["en", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni", "ti"]
TEN = " ".join(f"Dette er setning nummer {w}." for w in WORDS)


def _project(folder, coder, texts=None):
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for name, text in (texts or {"doc.txt": TEN}).items():
        f = folder / name
        f.write_text(text, encoding="utf-8")
        files.append(f)
    p = Project.create(folder / "p.themecoder", coder=coder)
    assert all(r.ok for r in import_files(p, files))
    ensure_index(p)
    return p


def _code(p, coder, label, first, last, title="doc"):
    """Code sentences first..last (1-based, inclusive) as `coder`; returns the coding id."""
    doc = next(d for d in store.documents.documents(p.db) if d.title == title)
    sents = store.index.sentences(p.db, doc.id)
    code = store.codes.code_by_label(p.db, label) or create_code(p, label)
    with p.action("test-code", "code") as conn:
        cid, _new = place_coding(conn, p, doc.id, code.id, sents[first - 1][0], sents[last - 1][1], coder=coder)
    return cid


def _theme(p, path):
    """The theme at a path of exact names."""
    parent = None
    for name in path:
        parent = next(t.id for t in store.themes.themes(p.db) if t.parent_id == parent and t.name == name)
    return parent


def _state(p):
    """Everything a merge may add, in a comparable form."""
    return (sorted((c.document_id, c.code_id, c.start, c.end, c.coder) for c in store.codings.all_codings(p.db)),
            sorted(c.label for c in store.codes.codes(p.db)),
            sorted((t.parent_id or "", t.name, t.description, t.analytic_text, t.condensate, t.key_coding_id or "")
                   for t in store.themes.themes(p.db)),
            sorted(store.themes.code_theme_pairs(p.db)),
            sorted((m.target_type, m.target_id or "", m.text, m.author, m.created) for m in store.memos.memos(p.db)))


@pytest.fixture
def pair(tmp_path):
    """A's project (theme «RELASJONER» with a description) and B's copy-made-separately with
    codings, codes, themes, mappings and memos on everything. Yields (A project, B path, B ids)."""
    a = _project(tmp_path / "a", "A")
    _code(a, "A", "Tillit", 1, 3)
    rel_a = create_theme(a, "RELASJONER", description="Vår beskrivelse").id
    b = _project(tmp_path / "b", "B")
    ids = {"b_tillit": _code(b, "B", "Tillit", 2, 4), "b_skam": _code(b, "B", "Skam", 6, 6)}
    rel = create_theme(b, "Relasjoner", description="Deres beskrivelse").id
    update_theme(b, rel, analytic_text="Relasjoner bærer tilliten.")
    sub = create_theme(b, "Tillit til hjelperen", parent_id=rel, description="Om hjelperen").id
    tillit = store.codes.code_by_label(b.db, "Tillit").id
    skam = store.codes.code_by_label(b.db, "Skam").id
    add_code_to_theme(b, tillit, sub)
    add_code_to_theme(b, skam, rel)
    set_key_quote(b, sub, ids["b_tillit"])
    doc = store.documents.documents(b.db)[0].id
    ids["coding_memo"] = add_memo(b, "coding", ids["b_tillit"], "Her snur samtalen.").created
    add_memo(b, "code", skam, "Skam kommer indirekte.")
    add_memo(b, "document", doc, "Intervjuet var kort.")
    add_memo(b, "theme", sub, "Henger sammen med kontinuitet.")
    add_memo(b, "project", None, "Refleksivt notat.")
    b.close()
    yield a, tmp_path / "b" / "p.themecoder", {**ids, "rel_a": rel_a}
    a.close()


def test_merge_brings_themes_mappings_and_memos(pair):
    a, b_path, ids = pair
    res = merge(a, b_path)
    assert (res.codings, res.codes, res.memos) == (2, ["Skam"], 5)
    # «Relasjoner» matched «RELASJONER» (no second top theme); the subtheme is new under ours
    assert res.themes == ["Relasjoner › Tillit til hjelperen"]
    tops = [t for t in store.themes.themes(a.db) if t.parent_id is None]
    assert [t.name for t in tops] == ["RELASJONER"]
    rel = store.themes.theme(a.db, ids["rel_a"])
    assert rel.description == "Vår beskrivelse"                  # both set and different: ours kept
    assert rel.analytic_text == "Relasjoner bærer tilliten."     # empty here: filled
    assert res.theme_texts_differed == ["«Relasjoner»: description"]
    assert "1 theme text differed: kept ours" in res.summary()
    assert "2 codings by B, 1 code, 5 memos, 1 theme, 2 mappings" in res.summary()
    sub = _theme(a, ["RELASJONER", "Tillit til hjelperen"])
    assert store.themes.theme(a.db, sub).description == "Om hjelperen"
    assert [c.label for c in store.themes.theme_codes(a.db, sub)] == ["Tillit"]
    assert [c.label for c in store.themes.theme_codes(a.db, ids["rel_a"])] == ["Skam"]
    # the key quote came along with its coding
    key = store.themes.theme(a.db, sub).key_coding_id
    assert key is not None and store.codings.coding(a.db, key).coder == "B"
    # memos: author and dates kept, on the matching objects here
    memos = {m.text: m for m in store.memos.memos(a.db)}
    assert {m.author for m in memos.values()} == {"B"}
    coding_memo = memos["Her snur samtalen."]
    assert coding_memo.created == ids["coding_memo"]
    c = store.codings.coding(a.db, coding_memo.target_id)
    assert (c.coder, store.codes.code(a.db, c.code_id).label) == ("B", "Tillit")
    doc = store.documents.documents(a.db)[0]
    text = store.documents.document_text(a.db, doc.id)
    assert text[c.start:c.end].startswith("Dette er setning nummer to.")
    assert memos["Skam kommer indirekte."].target_id == store.codes.code_by_label(a.db, "Skam").id
    assert memos["Intervjuet var kort."].target_id == doc.id
    assert memos["Henger sammen med kontinuitet."].target_id == sub
    assert memos["Refleksivt notat."].target_type == "project"


def test_merge_twice_adds_nothing_and_undo_removes_everything(pair):
    a, b_path, _ids = pair
    before = _state(a)
    merge(a, b_path)
    after = _state(a)
    again = merge(a, b_path)
    assert (again.codings, again.codes, again.memos, again.themes, again.mappings) == (0, [], 0, [], 0)
    assert again.duplicates == 2 and again.memo_duplicates == 5
    assert again.theme_texts_filled == []
    assert _state(a) == after
    assert a.undo().kind == "merge-project"   # the second merge changed nothing and is not in the log
    assert _state(a) == before
    a.redo()
    assert _state(a) == after


def test_memo_on_a_coding_both_copies_have_follows_that_coding(tmp_path):
    a = _project(tmp_path / "a", "A")
    cid = _code(a, "A", "Tillit", 1, 2)
    a.close()
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    b = Project.open(tmp_path / "b" / "p.themecoder", coder="B")
    add_memo(b, "coding", cid, "B leser dette som mistillit.")
    b.close()
    a = Project.open(tmp_path / "a" / "p.themecoder", coder="A")
    res = merge(a, tmp_path / "b" / "p.themecoder")
    assert (res.codings, res.duplicates, res.memos) == (0, 1, 1)
    [memo] = store.memos.memos(a.db)
    assert (memo.target_type, memo.target_id, memo.author) == ("coding", cid, "B")
    a.close()


def test_theme_path_matches_norwegian_letters_in_another_case(tmp_path):
    """SQLite's lower() leaves Ø alone; the merge compares by label_key (case folded)."""
    a = _project(tmp_path / "a", "A")
    oko = create_theme(a, "Økonomi").id
    create_theme(a, "Bolig", parent_id=oko)
    b = _project(tmp_path / "b", "B")
    oko_b = create_theme(b, "ØKONOMI  ", description="Penger og trygd").id  # stored folded: «ØKONOMI»
    create_theme(b, "bolig", parent_id=oko_b, description="Bostøtte")
    create_theme(b, "Ære", parent_id=oko_b)
    b.close()
    res = merge(a, tmp_path / "b" / "p.themecoder")
    assert res.themes == ["ØKONOMI › Ære"]
    names = sorted((t.parent_id == oko, t.name, t.description) for t in store.themes.themes(a.db))
    assert names == [(False, "Økonomi", "Penger og trygd"), (True, "Bolig", "Bostøtte"), (True, "Ære", "")]
    assert res.theme_texts_differed == []
    a.close()


def test_agreement_after_merge_is_unchanged_by_themes_and_memos(pair, tmp_path):
    a, b_path, _ids = pair
    merge(a, b_path)
    one = _project(tmp_path / "one", "A")
    for coder, label, first, last in [("A", "Tillit", 1, 3), ("B", "Tillit", 2, 4), ("B", "Skam", 6, 6)]:
        _code(one, coder, label, first, last)
    strip = lambda j: [{k: v for k, v in c.items() if k != "code_id"} for c in [*j["codes"], j["overall"]]]  # noqa: E731
    assert strip(agreement.compute(a, ["A", "B"]).as_json()) == strip(agreement.compute(one, ["A", "B"]).as_json())
    one.close()


def test_memos_on_what_did_not_come_in_are_left_out(tmp_path):
    a = _project(tmp_path / "a", "A")
    b = _project(tmp_path / "b", "B", texts={"doc.txt": TEN, "annen.txt": "En helt annen tekst her."})
    cid = _code(b, "B", "X", 1, 1, title="annen")
    add_memo(b, "coding", cid, "På et dokument A ikke har.")
    annen = next(d.id for d in store.documents.documents(b.db) if d.title == "annen")
    add_memo(b, "document", annen, "Om det andre dokumentet.")
    b.close()
    res = merge(a, tmp_path / "b" / "p.themecoder")
    assert (res.codings, res.skipped, res.memos, res.memos_left_out) == (0, 1, 0, 2)
    assert "2 memos left out" in res.summary()
    assert store.memos.memos(a.db) == []
    a.close()


def test_cli_json_and_help(pair, capsys):
    a, b_path, _ids = pair
    a_path = a.path
    a.close()
    assert main(["--coder", "A", "merge", str(a_path), str(b_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["codings"], report["memos"], report["mappings"]) == (2, 5, 2)
    assert report["themes"] == ["Relasjoner › Tillit til hjelperen"]
    assert report["theme_texts_differed"] == ["«Relasjoner»: description"]
    with pytest.raises(SystemExit):
        main(["merge", "--help"])
    assert "Reviews and review history are NOT merged" in " ".join(capsys.readouterr().out.split())


def test_siblings_differing_only_in_a_norwegian_letters_case_in_the_other_file(tmp_path):
    """SQLite's lower() let the other copy keep «Øvrig» and «øvrig» side by side; here they are
    one theme, and the second one's texts count as texts of the first."""
    a = Project.create(tmp_path / "a.themecoder", coder="A")
    b = Project.create(tmp_path / "b.themecoder", coder="B")
    create_theme(b, "Øvrig", description="Første")
    create_theme(b, "øvrig", description="Andre")
    b.close()
    res = merge(a, tmp_path / "b.themecoder")
    assert res.themes == ["Øvrig"]
    assert [(t.name, t.description) for t in store.themes.themes(a.db)] == [("Øvrig", "Første")]
    assert res.theme_texts_differed == ["«øvrig»: description"]
    a.close()


_NAMES = st.sampled_from(["Tillit", "tillit", "TILLIT", "Ære", "ære", "Økonomi", "ØKONOMI", "Skam", "skam og ære"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ours=st.lists(st.tuples(_NAMES, _NAMES), max_size=4), theirs=st.lists(st.tuples(_NAMES, _NAMES), max_size=4),
       memo=st.text(alphabet="abcæøå ", min_size=1, max_size=12).filter(str.strip))
def test_merge_is_idempotent_and_matches_every_theme_path(tmp_path_factory, ours, theirs, memo):
    folder = tmp_path_factory.mktemp("m")
    a = Project.create(folder / "a.themecoder", coder="A")
    b = Project.create(folder / "b.themecoder", coder="B")
    for p, pairs in ((a, ours), (b, theirs)):
        for top, sub in pairs:
            parent = next((t.id for t in store.themes.themes(p.db)
                           if t.parent_id is None and label_key(t.name) == label_key(top)), None)
            if parent is None:
                parent = create_theme(p, top).id
            if not any(t.parent_id == parent and label_key(t.name) == label_key(sub) for t in store.themes.themes(p.db)):
                add_memo(p, "theme", create_theme(p, sub, parent_id=parent).id, memo)
    paths_b = {(label_key(top), label_key(sub)) for top, sub in theirs}
    b.close()
    merge(a, folder / "b.themecoder")
    tree = {t.id: t for t in store.themes.themes(a.db)}
    here = {(label_key(tree[t.parent_id].name), label_key(t.name)) for t in tree.values() if t.parent_id}
    assert paths_b <= here
    # no two siblings share a name key
    keys = [(t.parent_id, label_key(t.name)) for t in tree.values()]
    assert len(keys) == len(set(keys))
    # one memo per theme path at most
    targets = [m.target_id for m in store.memos.memos(a.db)]
    assert len(targets) == len(set(targets))
    state = _state(a)
    again = merge(a, folder / "b.themecoder")
    assert (again.memos, again.themes, again.mappings) == (0, [], 0) and _state(a) == state
    a.close()
