"""Intercoder agreement (issue 12): the numbers against hand computation and the `krippendorff`
package, the edge cases, the CLI, merge, consensus and the report."""
from __future__ import annotations

import json
import sqlite3

import krippendorff
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from themecoder import store
from themecoder.cli import main
from themecoder.core import agreement, blind, consensus
from themecoder.core.coding import create_code, place_coding
from themecoder.core.indexing import ensure_index
from themecoder.core.merge import merge
from themecoder.core.project import Project
from themecoder.errors import UserError
from themecoder.io.batch import import_files

WORDS = ["en", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni", "ti"]
TEN = " ".join(f"Dette er setning nummer {w}." for w in WORDS)


def _project(tmp_path, name="p", coder="A", texts=None):
    texts = texts or {"doc.txt": TEN}
    files = []
    for fname, text in texts.items():
        f = tmp_path / fname
        f.write_text(text, encoding="utf-8")
        files.append(f)
    p = Project.create(tmp_path / f"{name}.themecoder", coder=coder)
    assert all(r.ok for r in import_files(p, files))
    ensure_index(p)
    return p


def _code(p, coder, label, doc_title, first, last):
    """Code sentences first..last (1-based, inclusive) of a document as `coder`."""
    doc = next(d for d in store.documents.documents(p.db) if d.title == doc_title)
    sents = store.index.sentences(p.db, doc.id)
    code = store.codes.code_by_label(p.db, label) or create_code(p, label)
    with p.action("test-code", "code") as conn:
        place_coding(conn, p, doc.id, code.id, sents[first - 1][0], sents[last - 1][1], coder=coder)


@pytest.fixture
def ten(tmp_path):
    p = _project(tmp_path)
    assert len(store.index.sentences(p.db, store.documents.documents(p.db)[0].id)) == 10
    _code(p, "A", "X", "doc", 1, 5)
    _code(p, "B", "X", "doc", 3, 7)
    yield p
    p.close()


# -- the done-when check --------------------------------------------------------------------------
def test_sentences_one_to_five_against_three_to_seven(ten, capsys):
    assert main(["agreement", str(ten.path), "--coders", "A", "B", "--unit", "sentence", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    x = out["codes"][0]
    assert x["code"] == "X" and x["units"] == 10
    assert x["percent"] == pytest.approx(0.6) and x["kappa"] == pytest.approx(0.2)
    a = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    b = [0, 0, 1, 1, 1, 1, 1, 0, 0, 0]
    expected = krippendorff.alpha(reliability_data=[a, b], level_of_measurement="nominal")
    assert x["alpha"] == pytest.approx(expected)
    assert x["alpha_ci"][0] < x["alpha"] < x["alpha_ci"][1]
    assert x["counts"]["all_coded"] == 3 and x["counts"]["none_coded"] == 3 and x["counts"]["only"] == {"A": 2, "B": 2}
    assert out["overall"]["percent"] == pytest.approx(0.6) and out["overall"]["code"] == "overall"
    assert "NaN" not in json.dumps(out)


def test_the_bootstrap_interval_is_the_same_every_time(ten):
    one = agreement.compute(ten, ["A", "B"]).codes[0].coefficients.alpha_ci
    two = agreement.compute(ten, ["A", "B"]).codes[0].coefficients.alpha_ci
    assert one == two and one is not None


def test_text_output_and_the_segment_agreement(ten, capsys):
    assert main(["agreement", str(ten.path), "--coders", "A", "B"]) == 0
    out = capsys.readouterr().out
    assert "0.60" in out and "0.20" in out and "nan" not in out.lower()
    res = agreement.compute(ten, ["A", "B"], min_overlap=0.3)
    # A's 1-5 and B's 3-7 share 3 of 7 sentences' extent: matched at 30 %, not at 90 %
    assert res.codes[0].segments["matched"] == 2
    assert agreement.compute(ten, ["A", "B"]).codes[0].segments["matched"] == 0
    assert agreement.compute(ten, ["A", "B"], min_overlap=40).min_overlap == 0.4


def test_character_and_turn_units(ten):
    res = agreement.compute(ten, ["A", "B"], unit="character")
    c = res.codes[0]
    assert c.coefficients.units == len(TEN)
    # characters on which both coded: sentences 3-5 and the spaces between them
    doc = store.documents.documents(ten.db)[0]
    sents = store.index.sentences(ten.db, doc.id)
    assert c.counts["all_coded"] == sents[4][1] - sents[2][0]
    turn = agreement.compute(ten, ["A", "B"], unit="turn").codes[0]
    assert turn.coefficients.units == 1 and turn.coefficients.percent == 1.0
    assert turn.coefficients.kappa is None and turn.coefficients.kappa_note.startswith("undefined")


# -- edge cases ------------------------------------------------------------------------------------
def test_a_code_only_one_coder_used(ten):
    _code(ten, "A", "Y", "doc", 9, 9)
    res = agreement.compute(ten, ["A", "B"])
    y = next(r for r in res.codes if r.code == "Y")
    assert y.coefficients.percent == pytest.approx(0.9)
    # A rated one unit 1, B none: chance agreement is 0.9, kappa 0
    assert y.coefficients.kappa == pytest.approx(0.0)
    expected = krippendorff.alpha(reliability_data=[[0] * 8 + [1, 0], [0] * 10], level_of_measurement="nominal")
    assert y.coefficients.alpha == pytest.approx(expected)


def test_a_code_neither_used_and_all_agreeing_say_undefined(ten, capsys):
    create_code(ten, "Z")
    res = agreement.compute(ten, ["A", "B"], codes=["Z"])
    z = res.codes[0].coefficients
    assert z.percent == 1.0 and z.kappa is None and z.alpha is None and z.alpha_ci is None
    assert "undefined" in z.kappa_note and "undefined" in z.alpha_note
    assert main(["agreement", str(ten.path), "--coders", "A", "B", "--code", "Z", "--json"]) == 0
    text = capsys.readouterr().out
    assert "NaN" not in text and json.loads(text)["codes"][0]["kappa"] is None
    assert main(["agreement", str(ten.path), "--coders", "A", "B", "--code", "Z"]) == 0
    out = capsys.readouterr().out
    assert "undefined" in out and "nan" not in out.lower()


def test_everything_agreeing_with_codes(tmp_path):
    p = _project(tmp_path)
    _code(p, "A", "X", "doc", 2, 4)
    _code(p, "B", "X", "doc", 2, 4)   # the same passage, the same code, another coder
    c = agreement.compute(p, ["A", "B"]).codes[0].coefficients
    assert c.percent == 1.0 and c.kappa == 1.0 and c.alpha == pytest.approx(1.0)
    assert store.codings.count_for_code(p.db, store.codes.code_by_label(p.db, "X").id) == 2
    p.close()


def test_bad_requests_are_one_line_errors(ten, capsys):
    with pytest.raises(UserError, match="two different coders"):
        agreement.compute(ten, ["A", "A"])
    with pytest.raises(UserError, match="no coder with codings called 'C'|coder with codings"):
        agreement.compute(ten, ["A", "C"])
    with pytest.raises(UserError, match="min-overlap"):
        agreement.compute(ten, ["A", "B"], min_overlap=0)
    assert main(["agreement", str(ten.path), "--coders", "A", "Nobody"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_three_coders_use_fleiss(ten):
    _code(ten, "C", "X", "doc", 1, 7)
    res = agreement.compute(ten, ["A", "B", "C"])
    c = res.codes[0].coefficients
    assert c.kappa == c.fleiss_kappa
    data = [[1] * 5 + [0] * 5, [0, 0, 1, 1, 1, 1, 1, 0, 0, 0], [1] * 7 + [0] * 3]
    assert c.alpha == pytest.approx(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    # Fleiss by hand: P_i per unit, P_bar, p_1
    m, n = 3, 10
    ones = [sum(col) for col in zip(*data)]
    p_i = [(k * (k - 1) + (m - k) * (m - k - 1)) / (m * (m - 1)) for k in ones]
    p1 = sum(ones) / (n * m)
    pe = p1 ** 2 + (1 - p1) ** 2
    assert c.fleiss_kappa == pytest.approx((sum(p_i) / n - pe) / (1 - pe))
    assert c.percent == pytest.approx(sum(1 for k in ones if k in (0, 3)) / n)


# -- against the package, on random ratings ---------------------------------------------------------
ratings = st.integers(2, 4).flatmap(lambda m: st.lists(
    st.tuples(*[st.integers(0, 1)] * m), min_size=2, max_size=60))


@settings(max_examples=80, deadline=None)
@given(ratings)
def test_alpha_and_kappa_match_the_package_and_sklearn_formula(rows):
    patterns: dict = {}
    for r in rows:
        patterns[r] = patterns.get(r, 0) + 1
    data = np.array(rows).T
    ours = agreement.krippendorff_alpha(patterns)
    if len(set(np.ravel(data))) < 2:
        assert ours is None
        return
    theirs = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert ours == pytest.approx(theirs, abs=1e-9)
    counts, weights = agreement._value_counts(patterns)
    assert agreement.alpha_from_counts(counts, weights) == pytest.approx(theirs, abs=1e-9)
    if len(rows[0]) == 2:
        a, b = data
        po = float(np.mean(a == b))
        pe = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
        kappa = agreement.cohen_kappa(patterns)
        if pe == 1:
            assert kappa is None
        else:
            assert kappa == pytest.approx((po - pe) / (1 - pe), abs=1e-9)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from("AB"), st.integers(1, 10), st.integers(0, 3)), min_size=1, max_size=8))
def test_random_codings_in_a_project_match_the_package(tmp_path_factory, codings):
    p = _project(tmp_path_factory.mktemp("r"))
    done = set()
    for coder, first, extra in codings:
        last = min(10, first + extra)
        if (coder, first, last) in done:
            continue
        done.add((coder, first, last))
        _code(p, coder, "X", "doc", first, last)
    for c in ("A", "B"):  # both coders must exist
        if not any(k[0] == c for k in done):
            _code(p, c, "Other", "doc", 10, 10)
    res = agreement.compute(p, ["A", "B"], codes=["X"])
    rated = [0] * 10, [0] * 10
    for coder, first, last in done:
        for i in range(first - 1, last):
            rated["AB".index(coder)][i] = 1
    got = res.codes[0].coefficients
    if len(set(rated[0] + rated[1])) < 2:
        assert got.alpha is None
    else:
        assert got.alpha == pytest.approx(krippendorff.alpha(reliability_data=list(rated),
                                                             level_of_measurement="nominal"))
    assert got.percent == pytest.approx(sum(x == y for x, y in zip(*rated)) / 10)
    p.close()


# -- merge ---------------------------------------------------------------------------------------
def test_merge_of_two_copies_gives_the_same_agreement(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "one").mkdir()
    a = _project(tmp_path / "a", coder="A")
    _code(a, "A", "X", "doc", 1, 5)
    _code(a, "A", "Y", "doc", 8, 9)
    b = _project(tmp_path / "b", coder="B")
    _code(b, "B", "X", "doc", 3, 7)
    _code(b, "B", "Y", "doc", 8, 8)
    _code(b, "B", "Only B", "doc", 2, 2)
    b.close()
    one = _project(tmp_path / "one", coder="A")
    for coder, label, f, last in [("A", "X", 1, 5), ("A", "Y", 8, 9), ("B", "X", 3, 7), ("B", "Y", 8, 8),
                                  ("B", "Only B", 2, 2)]:
        _code(one, coder, label, "doc", f, last)
    a_path = a.path
    a.close()
    assert main(["--coder", "A", "merge", str(a_path), str(tmp_path / "b" / "p.themecoder"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["codings"] == 3 and report["codes"] == ["Only B"] and report["coders"] == ["B"]
    with Project.open(a_path, coder="A") as merged:
        got = agreement.compute(merged, ["A", "B"]).as_json()
    want = agreement.compute(one, ["A", "B"]).as_json()
    strip = lambda j: [{k: v for k, v in c.items() if k != "code_id"} for c in [*j["codes"], j["overall"]]]  # noqa: E731
    assert strip(got) == strip(want)
    one.close()
    # merging again adds nothing; undo takes the whole merge back in one step
    assert main(["--coder", "A", "merge", str(a_path), str(tmp_path / "b" / "p.themecoder")]) == 0
    assert "merged 0 codings" in capsys.readouterr().out
    with Project.open(a_path, coder="A") as merged:
        assert len(store.codings.all_codings(merged.db)) == 5
        assert merged.undo().kind == "merge-project"  # the second merge changed nothing: not undoable
        assert len(store.codings.all_codings(merged.db)) == 2
        assert store.codes.code_by_label(merged.db, "Only B") is None


def test_merge_skips_documents_the_project_lacks(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = _project(tmp_path / "a", coder="A")
    b = _project(tmp_path / "b", coder="B", texts={"doc.txt": TEN, "annen.txt": "En helt annen tekst her."})
    _code(b, "B", "X", "doc", 1, 1)
    _code(b, "B", "X", "annen", 1, 1)
    b.close()
    res = merge(a, tmp_path / "b" / "p.themecoder")
    assert res.codings == 1 and res.skipped == 1 and res.missing_documents == ["annen"]
    with pytest.raises(UserError, match="into itself"):
        merge(a, a.path)
    a.close()


# -- consensus -----------------------------------------------------------------------------------
def test_disagreements_and_settling_them(ten, capsys):
    res = agreement.compute(ten, ["A", "B"])
    items = consensus.disagreements(ten, res)
    # sentences 1-2 (A only) and 6-7 (B only): neighbouring units read as one passage
    assert [(d.coded_by, d.not_coded_by) for d in items] == [(("A",), ("B",)), (("B",), ("A",))]
    assert items[0].text.startswith("Dette er setning nummer en.") and "nummer to." in items[0].text
    written = consensus.settle(ten, items[0], "A")
    c = store.codings.coding(ten.db, written[0])
    assert c.coder == consensus.CONSENSUS_CODER
    assert ten.history()[-1].coder == "A" and ten.history()[-1].kind == "settle-disagreement"
    # a new decision on the same passage replaces the old one
    again = consensus.disagreements(ten, agreement.compute(ten, ["A", "B"]))
    assert again[0].decision == "A"
    consensus.settle(ten, again[0], "neither")
    assert not [x for x in store.codings.all_codings(ten.db) if x.coder == consensus.CONSENSUS_CODER]
    ten.undo()
    assert [x.id for x in store.codings.all_codings(ten.db) if x.coder == consensus.CONSENSUS_CODER] == written
    both = consensus.settle(ten, again[1], "both")   # only B's 3-7 touches sentences 6-7
    assert [(c.start, c.end) for c in map(lambda i: store.codings.coding(ten.db, i), both)] == \
        [(x.start, x.end) for x in store.codings.all_codings(ten.db) if x.coder == "B"]
    with pytest.raises(UserError, match="settle with one of"):
        consensus.settle(ten, again[1], "C")
    assert main(["agreement", str(ten.path), "--coders", "A", "B", "--disagreements", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [d["decision"] for d in listed] == ["A", "both"]


# -- blind, the report, the migration -------------------------------------------------------------
def test_project_blindness_lasts_until_agreement_is_computed(ten, capsys):
    assert blind.visible_coder(ten) is None
    assert blind.visible_coder(ten, blind=True) == "A"
    assert main(["blind", str(ten.path), "on"]) == 0
    with Project.open(ten.path, coder="B") as other:
        assert blind.visible_coder(other) == "B"
    ten_again = Project.open(ten.path, coder="A")
    assert blind.visible_coder(ten_again) == "A"
    assert main(["agreement", str(ten.path), "--coders", "A", "B"]) == 0
    assert "no longer blind" in capsys.readouterr().out
    assert blind.visible_coder(ten_again) is None
    ten_again.close()


@pytest.mark.parametrize("fmt", ["docx", "md", "csv"])
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_report_through_the_export_service(ten, tmp_path, capsys, fmt, lang):
    out = tmp_path / f"samsvar.{fmt}"
    assert main(["agreement", str(ten.path), "--coders", "A", "B", "-o", str(out), "--lang", lang]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    if fmt == "docx":
        import docx

        d = docx.Document(str(out))
        text = "\n".join(p.text for p in d.paragraphs)
        cells = [c.text for row in d.tables[0].rows for c in row.cells]
        assert "anonymisation" in (d.core_properties.comments or "")
    else:
        text = out.read_text(encoding="utf-8-sig")
        cells = [text]
    joined = "\n".join(cells)
    if lang == "nb":
        assert ",20" in joined and "60 %" in joined.replace("\u00a0", " ")
        if fmt != "csv":
            assert "setninger" in text and "Krippendorffs α" in text and "kodere (A og B)" in text
    else:
        assert ".20" in joined and "60%" in joined
        if fmt != "csv":
            assert "sentences" in text and "Cohen's κ" in text and "(A and B)" in text


def test_the_disagreement_list_exports(ten, tmp_path, capsys):
    out = tmp_path / "uenigheter.csv"
    assert main(["agreement", str(ten.path), "--coders", "A", "B", "--disagreements", "-o", str(out)]) == 0
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("Kode;Dokument") and len(rows) == 3
    with pytest.raises(UserError, match="project file"):
        from themecoder.io.export import ExportOptions, run_export

        run_export(ten, "agreement", tmp_path / "x.themecoder", ExportOptions(fmt="md", agreement={"coders": ["A", "B"]}))


def test_codings_are_unique_per_coder(tmp_path):
    p = _project(tmp_path)
    _code(p, "A", "X", "doc", 1, 1)
    path = p.path
    p.close()
    conn = sqlite3.connect(path)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'codings'").fetchone()[0]
    conn.close()
    assert "UNIQUE (document_id, code_id, start, end, coder)" in sql
    with Project.open(path, coder="B") as again:
        _code(again, "B", "X", "doc", 1, 1)   # the same passage and code, another coder
        assert len(store.codings.all_codings(again.db)) == 2
        with pytest.raises(UserError, match="already has that code"):
            _code(again, "B", "X", "doc", 1, 1)


def test_an_old_file_migrates_keeping_codings_and_key_quotes(demo_master, tmp_path):
    target = tmp_path / "old.themecoder"
    src = sqlite3.connect(demo_master)
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    conn = sqlite3.connect(target)
    before = conn.execute("SELECT count(*) FROM codings").fetchone()[0]
    keys = conn.execute("SELECT count(*) FROM themes WHERE key_coding_id IS NOT NULL").fetchone()[0]
    conn.close()
    from themecoder.store import schema

    # run the h12 migration again on a copy whose codings table has the old constraint
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN")
    schema._migration_h12(conn)
    schema.install_capture_triggers(conn)
    schema.install_history_triggers(conn)
    conn.execute("COMMIT")
    assert conn.execute("SELECT count(*) FROM codings").fetchone()[0] == before
    assert conn.execute("SELECT count(*) FROM themes WHERE key_coding_id IS NOT NULL").fetchone()[0] == keys
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_open_blind_reaches_the_workbench(tmp_path, monkeypatch):
    from themecoder.cli import foundation

    Project.create(tmp_path / "p.themecoder", coder="A").close()
    opened = []
    monkeypatch.setattr(foundation, "_run_tui", lambda path, coder, blind=False: opened.append(blind) or 0)
    assert main(["open", str(tmp_path / "p.themecoder"), "--blind"]) == 0
    assert main([str(tmp_path / "p.themecoder")]) == 0
    assert opened == [True, False]


def test_migrate_rebuilds_codings_without_touching_rows_that_refer_to_them(demo_project, monkeypatch):
    """Run through `migrate` (as a file one version older would be): a table whose rows refer
    to codings ON DELETE CASCADE keeps them, the themes keep their key quotes."""
    from themecoder.store import schema
    from themecoder.store.db import Database

    conn = sqlite3.connect(demo_project)
    conn.execute("CREATE TABLE h12_child (coding_id TEXT REFERENCES codings(id) ON DELETE CASCADE)")
    conn.execute("INSERT INTO h12_child SELECT id FROM codings")
    conn.execute("UPDATE themes SET key_coding_id = (SELECT min(id) FROM codings)")
    n_codings = conn.execute("SELECT count(*) FROM codings").fetchone()[0]
    conn.commit()
    conn.close()
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, schema._migration_h12])
    db = Database(demo_project)
    assert db.migrated_from == len(schema.MIGRATIONS) - 1
    assert db.scalar("SELECT count(*) FROM h12_child") == n_codings
    assert db.scalar("SELECT count(*) FROM codings") == n_codings
    assert db.scalar("SELECT count(*) FROM themes WHERE key_coding_id IS NULL") == 0
    assert db.scalar("PRAGMA foreign_keys") == 1
    db.close()
