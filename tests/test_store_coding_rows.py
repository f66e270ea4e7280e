"""Codings read in bulk are built from their rows by tuple.__new__ (store/codings.py): they
must equal what Coding(...) builds, field for field, in the order the SELECT gives them."""
from __future__ import annotations

import pytest

from themecoder import store
from themecoder.core.project import Project
from themecoder.model import Coding
from themecoder.store.codings import CODING_COLS


def test_the_select_names_the_fields_in_their_order() -> None:
    columns = [c.strip().removeprefix("c.") for c in CODING_COLS.split(",")]
    assert columns == list(Coding._fields)


def test_bulk_codings_equal_constructed_ones(demo_project) -> None:
    project = Project.open(demo_project)
    rows = project.db.query_tuples(f"SELECT {CODING_COLS} FROM codings c JOIN documents d ON d.id = c.document_id "
                                   "ORDER BY d.position, d.title, c.start")
    bulk = store.codings.all_codings(project.db)
    assert rows and len(bulk) == len(rows)
    for fast, row in zip(bulk, rows, strict=True):
        assert type(fast) is Coding
        assert fast == Coding(*row) and hash(fast) == hash(Coding(*row)) and fast.quote == row[5]
    theme = store.themes.themes(project.db)[0]
    assert all(isinstance(c, Coding) for c in store.codings.codings_for_theme(project.db, theme.id))


def test_a_coding_is_immutable() -> None:
    c = Coding("i", "d", "k", 0, 3, "abc", "", "", None, "t")
    with pytest.raises(AttributeError):
        c.quote = "x"  # type: ignore[misc]
    assert c._replace(end=2).end == 2 and c.end == 3
