"""Merge another copy of the project: bring in its codings (and the codes they need) with their
coder, its themes with their code mappings, and its memos, as ONE undoable action.

Two people may code separate copies of a project and merge them before computing agreement.

- Documents are matched by content (the SHA-256 of the normalised text, else the text itself);
  codings, and memos on documents, in documents this project does not have are counted and
  left out.
- Codes are matched by label (exactly, else by ``core.text.label_key``: canonical form, case
  folded); a code the project lacks is created with its description, colour and author when a
  merged coding, theme mapping or memo needs it.
- A coding the project already has (same document, code, span and coder) is skipped, so merging
  the same file twice adds nothing.
- Themes are matched by their path of names ("Relasjoner › Tillit"), each name compared by
  ``label_key``; a theme the project lacks is created under the matching parent. A theme's
  description, analytic text and condensate fill the ones that are empty here; when both are
  set and differ, ours is kept and the difference is reported. A key quote fills an empty one
  when its coding came along. Mappings of codes to themes are added when missing.
- Memos (on the project, a document, a code, a theme or a coding) keep their author and dates
  and attach to the matching object here; a memo whose text is already on that object is
  skipped. A memo on a coding follows the coding (also when the coding was already here).
- Reviews and their history are not merged.

The other file is only read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from themecoder import store
from themecoder.core import themes as themes_core
from themecoder.core.coding import new_code, place_coding
from themecoder.core.memos import new_memo
from themecoder.core.project import Project
from themecoder.core.text import clean_text, label_key, plural
from themecoder.errors import UserError
from themecoder.model import Code, Memo, Theme
from themecoder.store.db import Database

_TEXTS = {"description": "description", "analytic_text": "analytic text", "condensate": "condensate"}


@dataclass
class MergeResult:
    codings: int = 0                 # new codings
    duplicates: int = 0              # already here
    codes: list[str] = field(default_factory=list)         # labels of new codes
    coders: list[str] = field(default_factory=list)        # whose codings came in
    missing_documents: list[str] = field(default_factory=list)  # titles in the other file only
    skipped: int = 0                 # codings in those documents
    memos: int = 0                   # new memos
    memo_duplicates: int = 0         # memos whose text was already on that object
    memos_left_out: int = 0          # memos on things that did not come in
    themes: list[str] = field(default_factory=list)        # paths of new themes
    mappings: int = 0                # new code-to-theme mappings
    theme_texts_filled: list[str] = field(default_factory=list)    # "path: field" filled here
    theme_texts_differed: list[str] = field(default_factory=list)  # "path: field", ours kept

    def summary(self) -> str:
        out = f"merged {plural(self.codings, 'codings')}"
        if self.coders:
            out += f" by {', '.join(self.coders)}"
        out += (f", {plural(len(self.codes), 'codes')}, {plural(self.memos, 'memos')}, "
                f"{plural(len(self.themes), 'themes')}, {plural(self.mappings, 'mappings')}")
        if self.theme_texts_filled:
            out += f", {plural(len(self.theme_texts_filled), 'theme texts')} filled"
        if self.duplicates or self.memo_duplicates:
            out += f"; already here: {plural(self.duplicates, 'codings')}, {plural(self.memo_duplicates, 'memos')}"
        if self.theme_texts_differed:
            n = len(self.theme_texts_differed)
            out += (f"; {plural(n, 'theme texts')} differed: kept ours "
                    f"({'; '.join(self.theme_texts_differed)})")
        if self.missing_documents:
            out += (f"; {self.skipped} codings left out in {len(self.missing_documents)} documents this project "
                    f"does not have ({', '.join(self.missing_documents)})")
        if self.memos_left_out:
            out += f"; {plural(self.memos_left_out, 'memos')} left out (on something that did not come in)"
        return out

    def as_json(self) -> dict:
        return {"codings": self.codings, "duplicates": self.duplicates, "codes": self.codes,
                "coders": self.coders, "missing_documents": self.missing_documents, "skipped": self.skipped,
                "memos": self.memos, "memo_duplicates": self.memo_duplicates,
                "memos_left_out": self.memos_left_out, "themes": self.themes, "mappings": self.mappings,
                "theme_texts_filled": self.theme_texts_filled,
                "theme_texts_differed": self.theme_texts_differed}


def merge(project: Project, other_path: str | Path) -> MergeResult:
    other_path = Path(other_path)
    if other_path.resolve() == Path(project.path).resolve():
        raise UserError("cannot merge a project into itself; give the other copy")
    other = Database(other_path)
    try:
        return _Merge(project, other).run()
    finally:
        other.close()


def _memo_key(target_type: str, target_id: str | None, memo: Memo) -> tuple:
    """What makes two memos the same: the object and the text (the title when there is no text)."""
    text = clean_text(memo.text or "").strip()
    return (target_type, target_id, text or ("title", clean_text(memo.title or "").strip()))


class _Merge:
    def __init__(self, project: Project, other: Database) -> None:
        self.project, self.db, self.other = project, project.db, other
        self.result = MergeResult()
        self.doc_map: dict[str, str | None] = {}
        self.code_map: dict[str, str] = {}        # other code id -> code id here
        self.coding_map: dict[str, str] = {}      # other coding id -> coding id here
        self.theme_map: dict[str, str] = {}       # other theme id -> theme id here
        self.texts: dict[str, str] = {}

    def run(self) -> MergeResult:
        self._match_documents()
        here_codes = store.codes.codes(self.db)
        self.exact = {code.label: code.id for code in here_codes}
        self.folded: dict[str, str] = {}
        for code in here_codes:
            self.folded.setdefault(label_key(code.label), code.id)
        self.other_codes = {c.id: c for c in store.codes.codes(self.other)}
        codings = store.codings.all_codings(self.other)
        other_themes = store.themes.themes(self.other)
        pairs = store.themes.code_theme_pairs(self.other)
        memos = store.memos.memos(self.other)
        coders: dict[str, None] = {}
        with self.project.action("merge-project", "merge another copy", {"file": str(self.other.path)}) as conn:
            for c in codings:
                doc_id = self.doc_map.get(c.document_id)
                if doc_id is None:
                    self.result.skipped += 1
                    continue
                code_id = self._code(conn, c.code_id)
                if doc_id not in self.texts:
                    self.texts[doc_id] = store.documents.document_text(self.db, doc_id)
                here_id, new = place_coding(conn, self.project, doc_id, code_id, c.start, c.end,
                                            text=self.texts[doc_id], coder=c.coder or "unknown",
                                            created=c.created, reuse=True)
                self.coding_map[c.id] = here_id
                if new:
                    self.result.codings += 1
                    coders[c.coder or "unknown"] = None
                else:
                    self.result.duplicates += 1
            self.result.coders = list(coders)
            self._themes(conn, other_themes)
            for code_id, theme_id in pairs:
                if theme_id in self.theme_map and code_id in self.other_codes:
                    self.result.mappings += themes_core.map_code(conn, self._code(conn, code_id),
                                                                 self.theme_map[theme_id])
            self._key_quotes(conn, other_themes)
            self._memos(conn, memos)
            self.project.db.update_action_summary(conn, self.result.summary()[:300], {
                "file": str(self.other.path), "codings": self.result.codings, "memos": self.result.memos,
                "themes": len(self.result.themes), "mappings": self.result.mappings})
        return self.result

    # -- documents and codes ------------------------------------------------------------------
    def _match_documents(self) -> None:
        here_docs = store.documents.documents(self.db)
        by_hash = {d.sha256: d.id for d in here_docs}
        by_text: dict[str, str] | None = None
        for d in store.documents.documents(self.other):
            target = by_hash.get(d.sha256)
            if target is None:
                if by_text is None:
                    by_text = {store.documents.document_text(self.db, h.id): h.id for h in here_docs}
                target = by_text.get(store.documents.document_text(self.other, d.id))
            self.doc_map[d.id] = target
            if target is None:
                self.result.missing_documents.append(d.title)

    def _code(self, conn, other_code_id: str) -> str:
        """The code here for a code of the other file, created when the project lacks it."""
        here = self.code_map.get(other_code_id)
        if here is not None:
            return here
        code: Code = self.other_codes[other_code_id]
        here = self.exact.get(code.label) or self.folded.get(label_key(code.label))
        if here is None:
            here = new_code(conn, self.project, code.label, description=code.description, colour=code.colour,
                            in_vivo=code.in_vivo, author=code.author)
            self.exact[code.label] = here
            self.folded.setdefault(label_key(code.label), here)
            self.result.codes.append(code.label)
        self.code_map[other_code_id] = here
        return here

    # -- themes -------------------------------------------------------------------------------
    def _themes(self, conn, other_themes: list[Theme]) -> None:
        """Match each theme of the other file by its path of names (parents come first)."""
        here: dict[tuple[str | None, str], str] = {}
        for t in store.themes.themes(self.db):
            here.setdefault((t.parent_id, label_key(t.name)), t.id)
        names: dict[str, str] = {}  # other theme id -> its path, for the report
        for t in other_themes:
            if t.parent_id is not None and t.parent_id not in self.theme_map:
                continue  # cannot happen with a sound file: themes() lists parents first
            parent = None if t.parent_id is None else self.theme_map[t.parent_id]
            path = t.name if t.parent_id is None else f"{names[t.parent_id]} › {t.name}"
            names[t.id] = path
            match = here.get((parent, label_key(t.name)))
            if match is None:
                match = themes_core.new_theme(conn, self.project, t.name, parent, description=t.description,
                                              analytic_text=t.analytic_text, condensate=t.condensate)
                here[(parent, label_key(t.name))] = match
                self.result.themes.append(path)
            else:
                self._theme_texts(conn, store.themes.theme(self.db, match), t, path)
            self.theme_map[t.id] = match

    def _theme_texts(self, conn, ours: Theme, theirs: Theme, path: str) -> None:
        fill: dict[str, str] = {}
        for key, what in _TEXTS.items():
            mine = getattr(ours, key) or ""
            their = clean_text(getattr(theirs, key) or "").strip()
            if not their or their == mine.strip():
                continue
            if mine.strip():
                self.result.theme_texts_differed.append(f"«{path}»: {what}")
            else:
                fill[key] = their
                self.result.theme_texts_filled.append(f"«{path}»: {what}")
        if fill:
            themes_core.set_texts(conn, self.project, ours.id, fill, only_if_empty=True)

    def _key_quotes(self, conn, other_themes: list[Theme]) -> None:
        """A key quote fills an empty one here when its coding came along and fits the theme."""
        for t in other_themes:
            coding_id = self.coding_map.get(t.key_coding_id or "")
            theme_id = self.theme_map.get(t.id)
            if coding_id is None or theme_id is None or store.themes.theme(self.db, theme_id).key_coding_id:
                continue
            inside = {c.id for c in store.codings.codings_for_theme(self.db, theme_id, recursive=True)}
            if coding_id in inside:
                store.themes.update(conn, theme_id, key_coding_id=coding_id)

    # -- memos --------------------------------------------------------------------------------
    def _target(self, conn, memo: Memo) -> tuple[bool, str | None]:
        """(whether the memo's object is here, its id here)."""
        kind, tid = memo.target_type, memo.target_id
        if kind == "project":
            return True, None
        if tid is None:
            return False, None
        if kind == "document":
            doc = self.doc_map.get(tid)
            return doc is not None, doc
        if kind == "code":
            if tid not in self.other_codes:
                return False, None
            return True, self._code(conn, tid)
        if kind == "theme":
            return tid in self.theme_map, self.theme_map.get(tid)
        if kind == "coding":
            return tid in self.coding_map, self.coding_map.get(tid)
        return False, None

    def _memos(self, conn, memos: list[Memo]) -> None:
        seen = {_memo_key(m.target_type, m.target_id, m) for m in store.memos.memos(self.db)}
        for m in memos:
            found, target_id = self._target(conn, m)
            if not found:
                self.result.memos_left_out += 1
                continue
            key = _memo_key(m.target_type, target_id, m)
            if key in seen:
                self.result.memo_duplicates += 1
                continue
            if not (m.text or "").strip() and not (m.title or "").strip():
                continue  # nothing to bring
            new_memo(conn, self.project, m.target_type, target_id, m.text or "", title=m.title or "",
                     author=m.author or "unknown", created=m.created, modified=m.modified, allow_empty=True)
            seen.add(key)
            self.result.memos += 1
