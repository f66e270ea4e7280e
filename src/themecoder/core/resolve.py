"""One resolver for every reference a person types: documents, participants, codes, themes,
codings.

The CLI, the TUI and the importers all call these, so a reference means the same thing
whichever door it came in by, and "not found" and "ambiguous" are worded once:

    no code 'tilit'; did you mean 'tillit'?
    'rel' fits several themes: 'Relasjoner', 'Relasjoner › Tillit'; give more of the name or the id

Matching order, first hit wins: the exact id; the exact name; the name ignoring case and
spacing; for themes a path ("Relasjoner › Tillit", "Relasjoner/Tillit", "Relasjoner > Tillit");
a unique id prefix (6+ characters); a unique name prefix (3+ characters).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from themecoder import store
from themecoder.errors import Ambiguous, NotFound, UserError
from themecoder.model import Code, Coding, Document, Participant, Theme

if TYPE_CHECKING:
    from themecoder.core.project import Project

T = TypeVar("T")

PATH_SEPARATOR = " › "
_PATH_SPLIT = re.compile(r"\s*(?:›|>|/)\s*")
MIN_ID_PREFIX = 6
MIN_NAME_PREFIX = 3


@dataclass(frozen=True, slots=True)
class Candidate(Generic[T]):
    """Something a reference may name: its id, the names it answers to, the record itself."""

    id: str
    names: tuple[str, ...]
    item: T

    @property
    def shown(self) -> str:
        return self.names[0] if self.names else self.id


def fold(text: str) -> str:
    """Case- and spacing-insensitive form of a name."""
    return " ".join((text or "").split()).casefold()


def pick(kind: str, ref: str, candidates: Sequence[Candidate[T]], *, plural: str | None = None,
         prefix: bool = True) -> T:
    """The one candidate that `ref` names, or NotFound / Ambiguous with the standard wording.

    `prefix=False` accepts only whole ids and names: for "use this code, or create it".
    """
    ref = " ".join((ref or "").split())
    if not ref:
        raise UserError(f"which {kind}? give its name or id")
    for match in (
        lambda c: c.id == ref,
        lambda c: ref in c.names,
        lambda c: fold(ref) in {fold(n) for n in c.names},
    ):
        hits = [c for c in candidates if match(c)]
        if len(hits) == 1:
            return hits[0].item
        if hits:
            raise ambiguous(kind, ref, hits, plural=plural)
    if prefix and len(ref) >= MIN_ID_PREFIX:
        hits = [c for c in candidates if c.id.startswith(ref)]
        if len(hits) == 1:
            return hits[0].item
        if hits:
            raise ambiguous(kind, ref, hits, plural=plural)
    if prefix and len(ref) >= MIN_NAME_PREFIX:
        key = fold(ref)
        hits = [c for c in candidates if any(fold(n).startswith(key) for n in c.names)]
        if len(hits) == 1:
            return hits[0].item
        if hits:
            raise ambiguous(kind, ref, hits, plural=plural)
    raise not_found(kind, ref, [n for c in candidates for n in c.names[:1]])


def not_found(kind: str, ref: str, names: Iterable[str] = ()) -> NotFound:
    """`no code 'x'`, with up to three close names as a did-you-mean."""
    close = did_you_mean(ref, names)
    hint = f"; did you mean {', '.join(repr(n) for n in close)}?" if close else ""
    return NotFound(f"no {kind} {ref!r}{hint}")


def ambiguous(kind: str, ref: str, hits: Sequence[Candidate], *, plural: str | None = None) -> Ambiguous:
    shown = ", ".join(repr(c.shown) for c in hits[:5]) + (" ..." if len(hits) > 5 else "")
    return Ambiguous(f"{ref!r} fits several {plural or kind + 's'}: {shown}; "
                     "give more of the name or the id")


def did_you_mean(ref: str, names: Iterable[str], limit: int = 3) -> list[str]:
    from rapidfuzz import fuzz, process

    choices = list(dict.fromkeys(n for n in names if n))
    if not choices or not ref:
        return []
    found = process.extract(fold(ref), choices, scorer=fuzz.WRatio, processor=fold, limit=limit,
                            score_cutoff=70)
    return [name for name, _score, _i in found]


# -- the things a person names ---------------------------------------------------------------
def document(project: Project, ref: str) -> Document:
    """A document by id, title, source file name, unique id prefix or unique title prefix."""
    docs = store.documents.documents(project.db)
    return pick("document", ref, [Candidate(d.id, (d.title, d.source_name), d) for d in docs])


def documents(project: Project, refs: Iterable[str] | None) -> list[Document] | None:
    """Each of `refs` resolved; None (meaning all) when no refs are given."""
    refs = list(refs or [])
    return [document(project, r) for r in refs] if refs else None


def participant(project: Project, ref: str) -> Participant:
    """A participant by id, pseudonym, unique id prefix or unique pseudonym prefix."""
    people = store.participants.participants(project.db)
    return pick("participant", ref, [Candidate(p.id, (p.pseudonym,), p) for p in people])


def code(project: Project, ref: str, *, prefix: bool = True) -> Code:
    """A code by id, label, unique id prefix or unique label prefix."""
    codes = store.codes.codes(project.db)
    return pick("code", ref, [Candidate(c.id, (c.label,), c) for c in codes], prefix=prefix)


def theme(project: Project, ref: str) -> Theme:
    """A theme by id, name, path ("Theme › Subtheme", "/" or ">" also), or unique prefix."""
    themes = store.themes.themes(project.db)
    paths = theme_paths(themes)
    cands = [Candidate(t.id, (paths[t.id], t.name), t) for t in themes]
    parts = [p for p in _PATH_SPLIT.split(" ".join((ref or "").split())) if p]
    if len(parts) > 1:
        wanted = fold(PATH_SEPARATOR.join(parts))
        hits = [c for c in cands if fold(paths[c.id]) == wanted]
        if len(hits) == 1:
            return hits[0].item
    return pick("theme", ref, cands)


def theme_paths(themes: Sequence[Theme]) -> dict[str, str]:
    """Theme id -> "Theme › Subtheme"."""
    by_id = {t.id: t for t in themes}
    out: dict[str, str] = {}
    for t in themes:
        names: list[str] = []
        seen: set[str] = set()
        cur: Theme | None = t
        while cur is not None and cur.id not in seen:
            seen.add(cur.id)
            names.append(cur.name)
            cur = by_id.get(cur.parent_id) if cur.parent_id else None
        out[t.id] = PATH_SEPARATOR.join(reversed(names))
    return out


def coding(project: Project, ref: str) -> Coding:
    """A coding by id or unique id prefix (6+ characters)."""
    ref = (ref or "").strip()
    if not ref:
        raise UserError("which coding? give its id")
    try:
        return store.codings.coding(project.db, ref)
    except NotFound:
        pass
    ids = store.codings.ids_with_prefix(project.db, ref) if len(ref) >= MIN_ID_PREFIX else []
    if len(ids) == 1:
        return store.codings.coding(project.db, ids[0])
    if ids:
        raise Ambiguous(f"{ref!r} fits several codings: {', '.join(i[:10] for i in ids)}; give more of the id")
    raise NotFound(f"no coding {ref!r}")
