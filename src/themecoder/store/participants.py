"""Participants (pseudonyms and attributes): reads."""
from __future__ import annotations

from collections import defaultdict

from themecoder.errors import NotFound
from themecoder.model import (
    Attribute,
    Participant,
)
from themecoder.store.db import Database


def participants(db: Database) -> list[Participant]:
    attrs: dict[str, list[Attribute]] = defaultdict(list)
    for r in db.query(
        "SELECT pa.participant_id, a.name, a.type, pa.value FROM participant_attributes pa "
        "JOIN attributes a ON a.id = pa.attribute_id ORDER BY a.name"
    ):
        attrs[r[0]].append(Attribute(r[1], r[2], r[3]))
    return [
        Participant(r["id"], r["pseudonym"], tuple(attrs.get(r["id"], ())))
        for r in db.query("SELECT id, pseudonym FROM participants ORDER BY pseudonym COLLATE NOCASE")
    ]


def participant(db: Database, participant_id: str) -> Participant:
    for p in participants(db):
        if p.id == participant_id:
            return p
    raise NotFound(f"no participant {participant_id}")


def participant_by_pseudonym(db: Database, pseudonym: str) -> Participant | None:
    for p in participants(db):
        if p.pseudonym.casefold() == pseudonym.casefold():
            return p
    return None
