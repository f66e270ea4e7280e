"""The one resolver: same answers and same wording for every kind of reference."""
import pytest

from themecoder import store
from themecoder.core import resolve
from themecoder.core.project import Project
from themecoder.errors import Ambiguous, NotFound


@pytest.fixture
def project(demo_project):
    with Project.open(demo_project, coder="student") as p:
        yield p


def test_theme_by_path_in_any_separator(project):
    themes = store.themes.themes(project.db)
    sub = next(t for t in themes if t.parent_id)
    parent = store.themes.theme(project.db, sub.parent_id)
    for sep in (" › ", "/", " > ", "›"):
        assert resolve.theme(project, f"{parent.name}{sep}{sub.name}").id == sub.id
    assert resolve.theme(project, parent.name.upper()).id == parent.id
    assert resolve.theme(project, sub.id[:8]).id == sub.id


def test_not_found_suggests_close_names(project):
    code = store.codes.codes(project.db)[0]
    typo = code.label[:-1] + ("x" if code.label[-1] != "x" else "y")
    with pytest.raises(NotFound) as err:
        resolve.code(project, typo, prefix=False)
    assert str(err.value).startswith(f"no code {typo!r}; did you mean")
    assert repr(code.label) in str(err.value)


def test_ambiguous_prefix_lists_the_candidates(project):
    labels = [c.label for c in store.codes.codes(project.db)]
    shared = next(label[:3] for label in labels if sum(x.casefold().startswith(label[:3].casefold()) for x in labels) > 1)
    with pytest.raises(Ambiguous) as err:
        resolve.code(project, shared)
    assert "fits several codes" in str(err.value)


def test_documents_by_title_and_source_name(project):
    doc = store.documents.documents(project.db)[0]
    assert resolve.document(project, doc.title).id == doc.id
    assert resolve.document(project, doc.source_name).id == doc.id
    with pytest.raises(NotFound, match="no document 'nope'"):
        resolve.document(project, "nope")


def test_coding_by_prefix(project):
    c = store.codings.all_codings(project.db)[0]
    assert resolve.coding(project, c.id[:8]).id == c.id
    with pytest.raises(NotFound, match="no coding 'zzzzzzzz'"):
        resolve.coding(project, "zzzzzzzz")
