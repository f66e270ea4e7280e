"""Importers write through the core's operations (one writer per table), and the rules the
CLI used to hold (which codings a split takes, the unreviewed walk, purge-undo) are core's."""
from __future__ import annotations

import uuid

import pytest

from themecoder import store
from themecoder.core import codebook, coding, documents, memos, review, views
from themecoder.core.codebook_io import import_participants_file
from themecoder.errors import NotFound, UserError
from themecoder.io.batch import import_files
from themecoder.io.refi import RefiCase, RefiProject, RefiTextSource, write_qdpx
from themecoder.io.refi_project import import_refi_file


@pytest.fixture
def anna(project, interview_file):
    from themecoder.nlp import get_pipeline

    [result] = import_files(project, [interview_file], pipeline=get_pipeline())
    return store.documents.document(project.db, result.document_id)


def _code_twice(project, doc, label: str, quotes: tuple[str, ...]):
    code = coding.create_code(project, label)
    text = store.documents.document_text(project.db, doc.id)
    made = []
    for q in quotes:
        start = text.index(q)
        made.append(coding.apply_code(project, doc.id, start, start + len(q), code.id))
    return code, made


# -- the YAML participant list ---------------------------------------------------------------
def test_participant_list_links_documents_by_the_resolver_and_keeps_attribute_types(project, anna, tmp_path):
    documents.set_attribute(project, "Anna", "alder", "41", "integer")   # Anna: the document's informant
    path = tmp_path / "participants.yaml"
    path.write_text("- pseudonym: anna\n  document: ANNA\n  attributes:\n    alder: 42\n"
                    "    erfaren: {type: boolean, value: ja}\n", encoding="utf-8")
    assert import_participants_file(project, path) == 1
    [p] = store.participants.participants(project.db)
    assert store.documents.document(project.db, anna.id).participant_id == p.id
    assert {(a.name, a.type, a.value) for a in p.attributes} == {("alder", "integer", "42"),
                                                                 ("erfaren", "boolean", "true")}
    path.write_text("- pseudonym: Anna\n  attributes:\n    alder: førti\n", encoding="utf-8")
    with pytest.raises(UserError, match="not a valid integer"):
        import_participants_file(project, path)


def test_participant_list_naming_an_unknown_document_is_refused_as_a_whole(project, anna, tmp_path):
    path = tmp_path / "participants.yaml"
    path.write_text("- pseudonym: Berit\n- pseudonym: Anna\n  document: anan\n", encoding="utf-8")
    before = project.last_action_id()
    with pytest.raises(UserError, match=r"participants.yaml: participant 'Anna': no document 'anan'; "
                                        r"did you mean 'anna'"):
        import_participants_file(project, path)
    assert project.last_action_id() == before
    assert [p.pseudonym for p in store.participants.participants(project.db)] == ["Anna"]   # no Berit


# -- REFI: documents, cases and attributes through core.documents -----------------------------
def test_refi_cases_and_sources_go_through_the_core(project, anna, tmp_path):
    documents.create_participant(project, "Kari")
    documents.set_attribute(project, "Kari", "alder", "50", "integer")
    case_guid, source_guid = str(uuid.uuid4()), str(uuid.uuid4())
    text = "I: Hei.\n\nBo: Hei på deg.\n\nI: Takk.\n\nBo: Bare hyggelig.\n"
    rp = RefiProject(
        name="refi",
        sources=[RefiTextSource(guid=source_guid, name="anna", text=text,
                                variables={"rolle": ("Text", "leder")})],
        cases=[RefiCase(guid=case_guid, name="Bo", variables={"alder": ("Text", "37")}, source_refs=[source_guid]),
               RefiCase(guid=str(uuid.uuid4()), name="kari", variables={"alder": ("Text", "ung")})],
    )
    path = tmp_path / "in.qdpx"
    write_qdpx(rp, path)
    before = project.last_action_id()

    summary, stats = import_refi_file(project, path, index=False)

    assert project.last_action_id() == before + 1                 # one action
    doc = store.documents.document(project.db, source_guid)       # the file's GUID is the id
    assert doc.title == "anna (2)"                                # the title rule of core.documents
    assert [t.speaker for t in store.documents.turns(project.db, doc.id)] == ["I", "Bo", "I", "Bo"]
    bo = store.participants.participant(project.db, case_guid)    # a new case keeps its GUID
    assert doc.participant_id == bo.id
    assert {(a.name, a.type, a.value) for a in bo.attributes} == {("alder", "integer", "37"),
                                                                  ("rolle", "text", "leder")}
    # Kari exists: reused; "ung" does not fit the integer attribute and is reported, not stored.
    assert stats.participants == 1 and "1 attribute value(s) that do not fit" in summary
    kari = store.participants.participant_by_pseudonym(project.db, "Kari")
    assert [(a.name, a.value) for a in kari.attributes] == [("alder", "50")]
    assert project.undo() is not None
    assert store.participants.participant_by_pseudonym(project.db, "Bo") is None


# -- document deletion takes the memos with it (through store.memos) --------------------------
def test_deleting_a_document_deletes_its_memos_and_those_on_its_codings(project, anna):
    _code, [c1, _c2] = _code_twice(project, anna, "relasjon", ("Relasjonen til brukerne", "medmenneske"))
    memos.add_memo(project, "document", anna.id, "om dokumentet")
    memos.add_memo(project, "coding", c1.id, "om sitatet")
    keep = memos.add_memo(project, "project", None, "om prosjektet")
    documents.delete_document(project, anna.id)
    assert [m.id for m in store.memos.memos(project.db)] == [keep.id]
    project.undo()
    assert len(store.memos.memos(project.db)) == 3


# -- rules that moved out of the CLI ---------------------------------------------------------
def test_codings_to_split_by_id_prefix_document_and_text(project, anna):
    code, [c1, c2] = _code_twice(project, anna, "relasjon", ("Relasjonen til brukerne", "medmenneske"))
    assert codebook.codings_to_split(project, code, [c2.id[:8]]) == [c2.id]
    assert codebook.codings_to_split(project, code, containing="BRUKERNE") == [c1.id]
    assert codebook.codings_to_split(project, code, doc_ref="anna") == [c1.id, c2.id]
    with pytest.raises(NotFound, match="has no coding 'zzzzzzzz'"):
        codebook.codings_to_split(project, code, ["zzzzzzzz"])


def test_an_id_prefix_shorter_than_six_characters_names_no_coding(project, anna):
    code, [c1, _c2] = _code_twice(project, anna, "relasjon", ("Relasjonen til brukerne", "medmenneske"))
    with pytest.raises(NotFound):
        codebook.codings_to_split(project, code, [c1.id[:5]])


def test_the_unreviewed_walk_leaves_out_what_has_a_status(demo_project):
    from themecoder.core.project import Project

    with Project.open(demo_project, coder="Kari") as sup:
        steps = review.walk(sup, with_codings=False)
        first = steps[0]
        review.set_status(sup, first.theme.id, "approved")
        left = review.walk(sup, with_codings=False, unreviewed=True)
        assert len(left) == len(steps) - 1
        assert all(not (s.kind == "theme" and s.theme.id == first.theme.id) for s in left)


def test_purge_undo_is_a_project_operation(project, anna):
    coding.create_code(project, "noe")
    n = project.purge_undo()
    assert n == project.last_action_id()
    assert project.undo() is None                      # nothing left to undo
    assert [a.kind for a in project.history()][-1] == "create-code"   # the log stays


def test_project_views_name_the_speaker_of_each_document(project, anna):
    assert views.speaker_of_documents(project) == {anna.id: "Anna"}
    assert views.document_titles(project) == {anna.id: "anna"}
    assert views.participant_pseudonyms(project) == ["Anna"]
    assert views.counts(project)["documents"] == 1


# -- the YAML codebook -----------------------------------------------------------------------
@pytest.mark.parametrize("body, said", [
    ("codes:\n  - label: a\ncodings:\n  - just a string\n", "codings: expected a list of entries"),
    ("codes:\n  - label: a\ncodings:\n  - {doc: anna, code: a, quote: 'e', occurrence: many}\n",
     "occurrence must be a whole number"),
    ("codes:\n  - label: a\ncodings:\n  - {doc: nobody, code: a, quote: 'e'}\n", "no document 'nobody'"),
])
def test_a_bad_codebook_entry_is_one_line_naming_the_file_and_changes_nothing(project, anna, tmp_path, body, said):
    from themecoder.core.codebook_io import import_codebook_file

    path = tmp_path / "kodebok.yaml"
    path.write_text(body, encoding="utf-8")
    before = views.counts(project)
    with pytest.raises(UserError) as err:
        import_codebook_file(project, path)
    assert str(err.value).startswith("kodebok.yaml: ") and said in str(err.value)
    assert views.counts(project) == before


def test_codebook_codings_name_documents_through_the_resolver(project, anna, tmp_path):
    from themecoder.core.codebook_io import import_codebook_file

    text = store.documents.document_text(project.db, anna.id)
    quote = text[text.index(" ") + 1:][:20].strip()
    path = tmp_path / "kodebok.yaml"
    path.write_text(f"codes:\n  - label: a\ncodings:\n  - {{doc: '{anna.source_name}', code: a, quote: '{quote}'}}\n",
                    encoding="utf-8")
    assert import_codebook_file(project, path)["codings"] == 1
