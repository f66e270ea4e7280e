"""Undo/redo covers every action, is linear, survives restarts and is logged."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from themecoder import store
from themecoder.core import coding, documents, memos, resolve, themes
from themecoder.core.project import Project
from themecoder.errors import Conflict, NotFound, UserError
from themecoder.io.readers import read_transcript

TABLES = ["documents", "participants", "turns", "codes", "codings", "themes", "code_themes", "memos",
          "attributes", "participant_attributes", "project"]


def snapshot(project) -> dict:
    return {t: sorted(tuple(r) for r in project.db.query(f"SELECT * FROM {t}")) for t in TABLES}


@pytest.fixture
def coded(project, interview_file):
    doc = documents.add_transcript(project, read_transcript(interview_file))
    return project, doc


def test_undo_and_redo_each_kind_of_action(coded):
    project, doc = coded
    text = store.documents.document_text(project.db, doc.id)
    steps = [
        lambda: coding.create_code(project, "relasjoner er viktige"),
        lambda: coding.apply_code(project, doc.id, 0, 10, store.codes.code_by_label(project.db, "relasjoner er viktige").id),
        lambda: coding.apply_new_code(project, doc.id, text.index("personlig"), text.index("prosess") + 7, "personlig prosess"),
        lambda: coding.recode(project, store.codings.codings_for_document(project.db, doc.id)[0].id,
                              store.codes.code_by_label(project.db, "personlig prosess").id),
        lambda: themes.create_theme(project, "Recovery"),
        lambda: themes.add_code_to_theme(project, store.codes.code_by_label(project.db, "personlig prosess").id,
                                         resolve.theme(project, "Recovery").id),
        lambda: memos.add_memo(project, "document", doc.id, "Intervjuet gikk bra."),
        lambda: documents.set_attribute(project, "Anna", "alder_gruppe", "30-39"),
        lambda: documents.rename_document(project, doc.id, "Intervju Anna"),
        lambda: coding.remove_coding(project, store.codings.codings_for_document(project.db, doc.id)[-1].id),
        lambda: documents.delete_document(project, doc.id),
    ]
    states = [snapshot(project)]
    for step in steps:
        step()
        states.append(snapshot(project))
    for i in range(len(steps), 0, -1):
        assert project.undo() is not None
        assert snapshot(project) == states[i - 1], f"undo of step {i}"
    for i in range(1, len(steps) + 1):
        assert project.redo() is not None
        assert snapshot(project) == states[i], f"redo of step {i}"


def test_undo_survives_restart_and_new_action_discards_redo(tmp_path):
    path = tmp_path / "p.themecoder"
    p = Project.create(path, coder="anna")
    coding.create_code(p, "a")
    coding.create_code(p, "b")
    p.close()
    p = Project.open(path, coder="anna")
    assert p.undo().summary == "create code «b»"
    p.close()
    p = Project.open(path, coder="anna")
    assert [c.label for c in store.codes.codes(p.db)] == ["a"]
    coding.create_code(p, "c")
    assert p.redo() is None  # "b" can no longer be redone
    assert [c.label for c in store.codes.codes(p.db)] == ["a", "c"]
    kinds = [(a.kind, a.coder) for a in p.history()]
    assert ("undo", "anna") in kinds
    p.close()


def test_undo_after_reindex_rebuilds_search_index(coded):
    from themecoder.core.indexing import ensure_index

    project, doc = coded
    documents.delete_document(project, doc.id)
    project.undo()
    assert store.index.unindexed_documents(project.db) == [doc.id]
    ensure_index(project)
    assert store.index.unindexed_documents(project.db) == []
    assert store.index.sentences(project.db, doc.id)


def test_each_coder_undoes_only_their_own_actions(tmp_path):
    path = tmp_path / "p.themecoder"
    student = Project.create(path, coder="student")
    supervisor = Project.open(path, coder="veileder")
    coding.create_code(supervisor, "fra veileder")
    coding.create_code(student, "fra student")
    assert student.undo().summary == "create code «fra student»"
    assert [c.label for c in store.codes.codes(student.db)] == ["fra veileder"]
    assert student.undo() is None  # nothing of the student's is left to undo
    assert [c.label for c in store.codes.codes(supervisor.db)] == ["fra veileder"]
    # The supervisor's new action does not discard the student's redo.
    coding.create_code(supervisor, "enda en")
    assert student.redo().summary == "create code «fra student»"
    assert {c.label for c in store.codes.codes(student.db)} == {"fra veileder", "fra student", "enda en"}
    student.close()
    supervisor.close()


def test_undo_refuses_when_someone_changed_the_rows_since(tmp_path):
    from themecoder.core.codebook import rename_code

    path = tmp_path / "p.themecoder"
    student = Project.create(path, coder="student")
    supervisor = Project.open(path, coder="veileder")
    code = coding.create_code(student, "x")
    rename_code(supervisor, code.id, "y")
    with pytest.raises(Conflict, match="changed later"):
        student.undo()
    # Nothing was reverted, and the student's action is still undoable later.
    assert [c.label for c in store.codes.codes(student.db)] == ["y"]
    supervisor.undo()
    assert student.undo().summary == "create code «x»"
    assert store.codes.codes(student.db) == []
    student.close()
    supervisor.close()


OPS = st.lists(
    st.tuples(st.sampled_from(["code", "newcode", "remove", "recode", "undo", "redo", "theme", "map"]),
              st.integers(0, 10_000), st.integers(1, 400)),
    max_size=25,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_offset_invariant_after_any_sequence_of_operations(tmp_path_factory, interview_file, ops):
    """coding.quote == document.text[start:end] whatever the user does."""
    project = Project.create(tmp_path_factory.mktemp("h") / "p.themecoder", coder="h")
    doc = documents.add_transcript(project, read_transcript(interview_file))
    text = store.documents.document_text(project.db, doc.id)
    n = 0
    for op, a, length in ops:
        start = a % len(text)
        end = min(len(text), start + length)
        try:
            if op == "newcode":
                n += 1
                coding.apply_new_code(project, doc.id, start, end, f"kode {n}")
            elif op == "code" and store.codes.codes(project.db):
                codes = store.codes.codes(project.db)
                coding.apply_code(project, doc.id, start, end, codes[a % len(codes)].id)
            elif op == "remove" and store.codings.all_codings(project.db):
                cs = store.codings.all_codings(project.db)
                coding.remove_coding(project, cs[a % len(cs)].id)
            elif op == "recode" and store.codings.all_codings(project.db) and store.codes.codes(project.db):
                cs, codes = store.codings.all_codings(project.db), store.codes.codes(project.db)
                coding.recode(project, cs[a % len(cs)].id, codes[length % len(codes)].id)
            elif op == "undo":
                project.undo()
            elif op == "redo":
                project.redo()
            elif op == "theme":
                n += 1
                themes.create_theme(project, f"tema {n}")
            elif op == "map" and store.codes.codes(project.db) and store.themes.themes(project.db):
                codes, ts = store.codes.codes(project.db), store.themes.themes(project.db)
                themes.add_code_to_theme(project, codes[a % len(codes)].id, ts[length % len(ts)].id)
        except (Conflict, NotFound):  # undo may remove the document itself
            pass
        except UserError as exc:  # whitespace-only selections are refused politely
            assert "select some text" in str(exc)
        for c in store.codings.all_codings(project.db):
            assert c.quote == text[c.start:c.end]
            assert c.quote and not c.quote[0].isspace() and not c.quote[-1].isspace()
    project.close()
