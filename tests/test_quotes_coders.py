"""A passage two coders coded with the same code is one quote in the exports, taken from the
consensus coding when there is one (issue 12: exports after parallel coding)."""
from __future__ import annotations

from themecoder import store
from themecoder.core.coding import apply_code, apply_new_code
from themecoder.core.project import Project
from themecoder.core.quotes import QuoteSource


def test_the_same_passage_by_two_coders_is_quoted_once(demo_project) -> None:
    a = Project.open(demo_project, coder="anna")
    doc = store.documents.documents(a.db)[0]
    text = store.documents.document_text(a.db, doc.id)
    start = text.index("\n", 200) + 1
    end = start + 40
    coding = apply_new_code(a, doc.id, start, end, "samme passasje to kodere")
    b = Project.open(demo_project, coder="bjørn")
    apply_code(b, doc.id, start, end, coding.code_id)
    c = Project.open(demo_project, coder="consensus")
    apply_code(c, doc.id, start, end, coding.code_id)
    assert len(store.codings.codings_for_code(a.db, coding.code_id)) == 3
    data = QuoteSource(Project.open(demo_project))
    quotes = data.quotes_by_code[coding.code_id]
    assert len(quotes) == 1
    assert quotes[0].coding.coder == "consensus"
