"""Consistency of a REFI-QDA file as read: one GUID names one thing of a kind."""
from __future__ import annotations

from themecoder.io.refi.model import RefiProject
from themecoder.io.refi.safety import RefiError


def check_unique_guids(project: RefiProject, label: str) -> None:
    """Refuse a file in which one GUID names two things of a kind: whichever one the import
    chose, codings would land on the wrong code or in the wrong document. Never guess."""
    kinds: list[tuple[str, list[tuple[str, str]]]] = [
        ("code", [(c.guid, c.name) for c in project.all_codes()]),
        ("source", [(s.guid, s.name) for s in project.sources] + [(o.guid, o.name) for o in project.other_sources]),
        ("selection", [(sel.guid, f"{sel.start}-{sel.end} in {s.name!r}") for s in project.sources
                       for sel in s.selections]),
        ("coding", [(c.guid, c.code_guid) for s in project.sources for sel in s.selections for c in sel.codings]
         + [(c.guid, c.code_guid) for s in project.sources for c in s.codings]),
        ("note", [(n.guid, n.name or "") for n in project.notes]),
        ("case", [(c.guid, c.name or "") for c in project.cases]),
        ("variable", [(v.guid, v.name) for v in project.variables]),
        ("user", [(u.guid, u.name or "") for u in project.users]),
        ("set", [(s.guid, s.name) for s in project.sets]),
    ]
    for kind, pairs in kinds:
        seen: dict[str, str] = {}
        for guid, name in pairs:
            if guid in seen:
                raise RefiError(f"{label}: refused: two {kind}s have the same GUID {guid} "
                                f"({seen[guid]!r} and {name!r}); importing it would put data in the wrong place")
            seen[guid] = name
