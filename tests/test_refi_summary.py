"""The REFI import summary counts in English as people write it: "1 document", "2 codes"."""
from __future__ import annotations

from themecoder.io.refi_import import ImportStats


def test_one_is_singular_and_others_plural() -> None:
    stats = ImportStats()
    stats.documents, stats.codes, stats.codings, stats.memos = 1, 2, 1, 0
    text = stats.summary("a.qdpx")
    assert text.startswith("a.qdpx: 1 document, 2 codes, 0 themes, 1 coding, 0 participants, 0 memos")
