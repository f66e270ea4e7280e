"""Participants (pseudonyms) and their typed attributes."""
from __future__ import annotations

import sqlite3
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


# -- writes (inside an action: `conn` is the action's connection) ------------------------------
def id_by_pseudonym(conn: sqlite3.Connection, pseudonym: str) -> str | None:
    """The id of the participant with this pseudonym (ignoring case), as the action sees it."""
    row = conn.execute("SELECT id FROM participants WHERE lower(pseudonym) = lower(?)", (pseudonym,)).fetchone()
    return None if row is None else row[0]


def insert(conn: sqlite3.Connection, participant_id: str, pseudonym: str, created: str) -> None:
    conn.execute("INSERT INTO participants(id, pseudonym, created) VALUES (?, ?, ?)",
                 (participant_id, pseudonym, created))


def set_pseudonym(conn: sqlite3.Connection, participant_id: str, pseudonym: str) -> None:
    """Rename a participant (a replacement that covers participant labels)."""
    conn.execute("UPDATE participants SET pseudonym = ? WHERE id = ?", (pseudonym, participant_id))


def attribute_definition(conn: sqlite3.Connection, name: str) -> tuple[str, str] | None:
    """(id, type) of the attribute called `name`, as the action sees it."""
    row = conn.execute("SELECT id, type FROM attributes WHERE name = ?", (name,)).fetchone()
    return None if row is None else (row[0], row[1])


def insert_attribute(conn: sqlite3.Connection, attribute_id: str, name: str, type_: str) -> None:
    conn.execute("INSERT INTO attributes(id, name, type) VALUES (?, ?, ?)", (attribute_id, name, type_))


def set_value(conn: sqlite3.Connection, participant_id: str, attribute_id: str, value: str | None) -> None:
    """One participant's value of one attribute (replacing any earlier value)."""
    conn.execute(
        "INSERT INTO participant_attributes(participant_id, attribute_id, value) VALUES (?, ?, ?) "
        "ON CONFLICT(participant_id, attribute_id) DO UPDATE SET value = excluded.value",
        (participant_id, attribute_id, value),
    )


def exists(conn: sqlite3.Connection, row_id: str) -> bool:
    return conn.execute("SELECT 1 FROM participants WHERE id = ?", (row_id,)).fetchone() is not None
