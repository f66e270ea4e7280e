"""Merge another copy of the project: bring in its codings (and the codes they need) with their
coder, as ONE undoable action.

Two people may code separate copies of a project and merge them before computing agreement.
Documents are matched by content (the SHA-256 of the normalised text, else the text itself),
codes by label (exactly, else ignoring case); a code the project lacks is created with its
description and colour. A coding the project already has (same document, code, span and coder)
is skipped, so merging the same file twice adds nothing. Codings in documents this project
does not have are counted and left out. The other file is only read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from themecoder import store
from themecoder.core.coding import new_code, place_coding
from themecoder.core.project import Project
from themecoder.errors import UserError
from themecoder.store.db import Database


@dataclass
class MergeResult:
    codings: int = 0                 # new codings
    duplicates: int = 0              # already here
    codes: list[str] = field(default_factory=list)         # labels of new codes
    coders: list[str] = field(default_factory=list)        # whose codings came in
    missing_documents: list[str] = field(default_factory=list)  # titles in the other file only
    skipped: int = 0                 # codings in those documents

    def summary(self) -> str:
        out = f"merged {self.codings} codings"
        if self.coders:
            out += f" by {', '.join(self.coders)}"
        if self.codes:
            out += f", {len(self.codes)} new codes"
        if self.duplicates:
            out += f"; {self.duplicates} already here"
        if self.missing_documents:
            out += (f"; {self.skipped} codings left out in {len(self.missing_documents)} documents this project "
                    f"does not have ({', '.join(self.missing_documents)})")
        return out


def merge(project: Project, other_path: str | Path) -> MergeResult:
    other_path = Path(other_path)
    if other_path.resolve() == Path(project.path).resolve():
        raise UserError("cannot merge a project into itself; give the other copy")
    other = Database(other_path)
    try:
        return _merge(project, other)
    finally:
        other.close()


def _merge(project: Project, other: Database) -> MergeResult:
    db = project.db
    here_docs = store.documents.documents(db)
    by_hash = {d.sha256: d.id for d in here_docs}
    texts: dict[str, str] = {}
    by_text: dict[str, str] | None = None
    doc_map: dict[str, str | None] = {}
    result = MergeResult()
    for d in store.documents.documents(other):
        target = by_hash.get(d.sha256)
        if target is None:
            if by_text is None:
                by_text = {store.documents.document_text(db, h.id): h.id for h in here_docs}
            target = by_text.get(store.documents.document_text(other, d.id))
        doc_map[d.id] = target
        if target is None:
            result.missing_documents.append(d.title)
    here_codes = store.codes.codes(db)
    exact = {c.label: c.id for c in here_codes}
    folded = {c.label.casefold(): c.id for c in here_codes}
    other_codes = {c.id: c for c in store.codes.codes(other)}
    codings = store.codings.all_codings(other)
    new_codes: dict[str, str] = {}
    coders: dict[str, None] = {}
    with project.action("merge-project", "merge codings from another copy", {"file": str(other.path)}) as conn:
        for c in codings:
            doc_id = doc_map.get(c.document_id)
            if doc_id is None:
                result.skipped += 1
                continue
            code = other_codes[c.code_id]
            code_id = exact.get(code.label) or folded.get(code.label.casefold()) or new_codes.get(code.label)
            if code_id is None:
                code_id = new_code(conn, project, code.label, description=code.description, colour=code.colour,
                                   in_vivo=code.in_vivo, author=code.author)
                new_codes[code.label] = code_id
                result.codes.append(code.label)
            if doc_id not in texts:
                texts[doc_id] = store.documents.document_text(db, doc_id)
            _cid, new = place_coding(conn, project, doc_id, code_id, c.start, c.end, text=texts[doc_id],
                                     coder=c.coder or "unknown", created=c.created, reuse=True)
            if new:
                result.codings += 1
                coders[c.coder or "unknown"] = None
            else:
                result.duplicates += 1
        result.coders = list(coders)
        project.db.update_action_summary(conn, result.summary()[:300], {"file": str(other.path),
                                                                        "codings": result.codings})
    return result
