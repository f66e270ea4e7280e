"""The store's writers for settings, coders, documents, participants and the text index,
and the rule that the core modules which use them hold no SQL of their own."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from themecoder import store
from themecoder.core import documents as D
from themecoder.core.project import new_id
from themecoder.errors import Conflict, UserError
from themecoder.io.batch import import_files
from themecoder.store.db import now

SRC = Path(__file__).resolve().parents[1] / "src" / "themecoder"
# Modules whose SQL moved to the store. The integrator widens this to all of core/ and io/.
# cli/reads.py keeps one read until core.anonymise (owned elsewhere) has a home for it.
# Every module above the store: core, io, the TUI and the CLI hold no SQL.
NO_SQL = sorted(str(p.relative_to(SRC)) for d in ("core", "io", "tui", "cli") for p in (SRC / d).rglob("*.py"))
_SQL = re.compile(r"""["'](?:SELECT|INSERT|UPDATE|DELETE|PRAGMA|WITH)\s|\.(?:execute|executemany|"""
                  r"""query_tuples|scalar)\(|\bdb\.query(?:_one)?\(""")  # Textual's query_one is not SQL


@pytest.mark.parametrize("module", NO_SQL)
def test_module_holds_no_sql(module):
    text = (SRC / module).read_text(encoding="utf-8")
    assert not _SQL.findall(text), f"{module}: SQL belongs in themecoder.store"


def test_core_modules_need_nothing_from_io():
    code = ("import sys\n"
            "import themecoder.core.documents, themecoder.core.search, themecoder.core.quotes\n"
            "import themecoder.core.integrity, themecoder.core.indexing\n"
            "print(sorted(m for m in sys.modules if m.startswith('themecoder.io')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_demo_builder_lives_in_io_only():
    import importlib.util

    from themecoder.io import demo

    assert demo.demo_root().joinpath("corpora").is_dir()
    assert importlib.util.find_spec("themecoder.core.demo") is None


# -- settings and coders ---------------------------------------------------------------------
def test_settings_upsert_prefix_and_delete(project):
    with project.db.transaction() as conn:
        store.project.set_setting(conn, "a_b:1", "x")
        store.project.set_setting(conn, "a_b:1", "y")   # replaces
        store.project.set_setting(conn, "axb:2", "z")   # `_` is not a wildcard here
        store.project.set_setting(conn, "a_b:3", "w")
    assert store.project.settings_with_prefix(project.db, "a_b:") == [("a_b:1", "y"), ("a_b:3", "w")]
    with project.db.transaction() as conn:
        store.project.delete_settings(conn, ["a_b:1", "a_b:3"])
    assert store.project.settings_with_prefix(project.db, "a_b:") == []
    assert store.project.setting(project.db, "axb:2") == "z"


def test_a_known_coder_is_added_once(project):
    assert not store.project.has_coder(project.db, "tester"), "opening never writes (issue 18.11)"
    project.set_setting("x", "y")
    assert store.project.has_coder(project.db, "tester"), "registered with the first write"
    with project.db.transaction() as conn:
        store.project.add_coder(conn, new_id(), "tester", now())
        store.project.add_coder(conn, new_id(), "veileder", now(), role="supervisor")
    roles = {r[0]: r[1] for r in project.db.query_tuples("SELECT name, role FROM coders")}
    assert roles == {"tester": "coder", "veileder": "supervisor"}
    assert project.last_action_id() == 1


# -- the text index --------------------------------------------------------------------------
def test_index_replace_is_whole_and_clear_empties_it(project, interview_file):
    from themecoder.nlp import get_pipeline

    [result] = import_files(project, [interview_file], pipeline=get_pipeline())
    doc_id = result.document_id
    db = project.db
    assert store.index.sentences(db, doc_id)
    assert doc_id not in store.index.unindexed_documents(db)
    with db.transaction() as conn:
        # A second sentence or token at the same start is dropped, not an error.
        store.index.replace(conn, doc_id, [(0, 5), (0, 7), (6, 9)],
                            [(0, 2, "hei", "hei"), (0, 2, "x", "x"), (3, 7, "relasjon", "relasjonen")])
    assert store.index.sentences(db, doc_id) == [(0, 5), (6, 9)]
    assert store.index.matching_tokens(db, "relasjon", "-") == [(doc_id, 3, 7)]
    assert store.index.matching_tokens(db, "-", "rel", prefix=True, document_id=doc_id) == [(doc_id, 3, 7)]
    assert store.index.tokens_after(db, doc_id, 0, 5) == [(3, 7, "relasjon", "relasjonen")]
    with db.transaction() as conn:
        store.index.clear(conn, doc_id)
    assert store.index.unindexed_documents(db) == [doc_id]


# -- documents and participants through the core operations ----------------------------------
def test_rename_delete_and_link_take_any_reference_the_resolver_knows(project, interview_file):
    from themecoder.nlp import get_pipeline

    import_files(project, [interview_file], pipeline=get_pipeline())
    doc = D.rename_document(project, "ANNA", "Intervju med Anna")   # title, any case
    assert doc.title == "Intervju med Anna"
    D.set_document_participant(project, doc.id[:8], "Berit")         # id prefix
    assert store.documents.document(project.db, doc.id).participant_id == \
        store.participants.participant_by_pseudonym(project.db, "berit").id
    with pytest.raises(UserError, match="did you mean 'Intervju med Anna'"):
        D.delete_document(project, "Intervju med Ana")
    D.delete_document(project, "intervju med")                       # unique title prefix
    assert store.documents.documents(project.db) == []


def test_rename_to_a_taken_title_is_refused_in_the_action(project, tmp_path):
    from themecoder.nlp import get_pipeline

    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(f"I: Hei {name}.\n\nKari: Hei.\n", encoding="utf-8")
    import_files(project, [tmp_path / "a.txt", tmp_path / "b.txt"], pipeline=get_pipeline())
    before = project.last_action_id()
    with pytest.raises(Conflict, match="exists already"):
        D.rename_document(project, "a", "b")
    assert project.last_action_id() == before  # the refused action left nothing behind


def test_an_attribute_keeps_its_first_type(project):
    D.create_participant(project, "Kari")
    D.set_attribute(project, "Kari", "alder", "41", "integer")
    with pytest.raises(UserError, match="not a valid integer"):
        D.set_attribute(project, "kari", "alder", "førti", "text")
    D.set_attribute(project, "kari", "alder", "42", "text")
    [attr] = store.participants.participant_by_pseudonym(project.db, "Kari").attributes
    assert (attr.name, attr.type, attr.value) == ("alder", "integer", "42")
    assert D.check_attribute_value("ja", "boolean", "x") == "true"
    assert D.check_attribute_value("3,5", "float", "x") == "3.5"


def test_every_table_has_one_writer_module():
    """`INSERT INTO <table>` stands in one store module per table (the schema's migrations,
    triggers and the action log's own bookkeeping aside)."""
    pattern = re.compile(r"INSERT(?: OR \w+)? INTO (\w+)")
    writers: dict[str, set[str]] = {}
    for path in (SRC / "store").glob("*.py"):
        if path.name in ("schema.py", "actionlog.py", "db.py"):
            continue
        for table in pattern.findall(path.read_text(encoding="utf-8")):
            writers.setdefault(table, set()).add(path.name)
    assert {"codes", "codings", "themes", "code_themes", "memos", "documents"} <= set(writers)
    assert {t: w for t, w in writers.items() if len(w) > 1} == {}
