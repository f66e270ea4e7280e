"""Codebooks and participant lists from YAML: codes, themes, codings, each file one action."""
from __future__ import annotations

from pathlib import Path

from themecoder import store
from themecoder.core import memos, resolve, themes
from themecoder.core.coding import check_label, new_code, place_coding
from themecoder.core.documents import ATTRIBUTE_TYPES, participant_id_for, set_attribute_in
from themecoder.core.project import Project
from themecoder.core.text import find_quote
from themecoder.errors import UserError
from themecoder.model import Document


def load_yaml(path: Path):
    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            # libyaml's safe loader where PyYAML was built with it: the same result, ~10x faster
            return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UserError(f"{Path(path).name}: not valid YAML ({str(exc).splitlines()[0]})") from None


def import_participants_file(project: Project, path: Path) -> int:
    data = load_yaml(path) or []
    if not isinstance(data, list):
        raise UserError(f"{path.name}: expected a list of participants")
    with project.action("import-participants", f"participants from {path.name}") as conn:
        for item in data:
            pseudonym = str(item.get("pseudonym", "")).strip()
            if not pseudonym:
                raise UserError(f"{path.name}: a participant without pseudonym")
            pid = participant_id_for(conn, pseudonym)
            if item.get("document"):
                try:
                    doc = resolve.document(project, str(item["document"]))
                except UserError as exc:
                    raise UserError(f"{path.name}: participant {pseudonym!r}: {exc}") from None
                store.documents.set_participant(conn, doc.id, pid)
            for name, spec in (item.get("attributes") or {}).items():
                type_ = spec.get("type", "text") if isinstance(spec, dict) else "text"
                value = spec.get("value") if isinstance(spec, dict) else spec
                if type_ not in ATTRIBUTE_TYPES:
                    raise UserError(f"{path.name}: attribute {name}: unknown type {type_!r}")
                set_attribute_in(conn, pid, name, value, type_)
    return len(data)


def import_codebook_file(project: Project, path: Path) -> dict[str, int]:
    """Codes, themes (with subthemes), codings and memos from a YAML codebook, as one action.

    Existing codes and themes with the same label/name are reused, so a codebook can be
    loaded into a project that already has some of it. Every rule is the one the TUI obeys
    (the core functions that run inside an open action), and documents, themes and memo
    targets are named as anywhere else (core.resolve).
    """
    path = Path(path)
    data = load_yaml(path) or {}
    if not isinstance(data, dict):
        raise UserError(f"{path.name}: expected a mapping with codes, themes and codings")
    with project.action("import-codebook", f"codebook from {path.name}") as conn:
        stats = _CodebookImport(project, conn, path.name).run(data)
        project.db.update_action_summary(
            conn, f"codebook from {path.name}: {stats['codes']} codes, {stats['themes']} themes, "
            f"{stats['codings']} codings", stats)
    return stats


class _CodebookImport:
    """One codebook file inside one open action: codes, then themes, codings and memos."""

    def __init__(self, project: Project, conn, name: str) -> None:
        self.project, self.conn, self.name = project, conn, name
        self.stats = {"codes": 0, "themes": 0, "mappings": 0, "codings": 0, "memos": 0}
        self.code_ids: dict[str, str] = {c.label: c.id for c in store.codes.codes(project.db)}
        self.texts: dict[str, str] = {}
        self.docs: dict[str, Document] = {}  # reference -> document, resolved once per file

    def run(self, data: dict) -> dict[str, int]:
        for item in self.items(data, "codes"):
            self.add_code(item)
        for item in self.items(data, "themes"):
            self.add_theme(item, None)
        for n, item in enumerate(self.items(data, "codings"), 1):
            self.add_coding(n, item)
        for n, item in enumerate(self.items(data, "memos"), 1):
            self.add_memo(n, item)
        return self.stats

    def items(self, data: dict, key: str) -> list[dict]:
        """The entries under `key`; each must be a mapping (one clear line otherwise)."""
        items = data.get(key) or []
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise UserError(f"{self.name}: {key}: expected a list of entries, each with named fields")
        return items

    def fail(self, what: str, exc: Exception | str) -> UserError:
        return UserError(f"{self.name}: {what}: {exc}")

    def add_code(self, item: dict) -> None:
        label = check_label(str(item.get("label", "")))
        if label in self.code_ids:
            return
        self.code_ids[label] = new_code(
            self.conn, self.project, label, description=str(item.get("description") or ""),
            colour=item.get("colour") or item.get("color"), in_vivo=bool(item.get("in_vivo")))
        self.stats["codes"] += 1

    def code_id(self, label: str) -> str:
        label = check_label(label)
        if label not in self.code_ids:
            raise UserError(f"{self.name}: unknown code {label!r}")
        return self.code_ids[label]

    def add_theme(self, item: dict, parent: str | None) -> None:
        try:
            name = themes.clean_name(str(item.get("name", "")))
        except UserError:
            raise UserError(f"{self.name}: a theme without a name") from None
        theme_id = store.themes.named(self.conn, parent, name)
        if theme_id is None:
            try:
                theme_id = themes.new_theme(
                    self.conn, self.project, name, parent, description=str(item.get("description") or ""),
                    analytic_text=str(item.get("analytic_text") or ""),
                    condensate=str(item.get("condensate") or ""))
            except UserError as exc:
                raise self.fail(f"theme {name!r}", exc) from None
            self.stats["themes"] += 1
        for label in item.get("codes") or []:
            self.stats["mappings"] += themes.map_code(self.conn, self.code_id(label), theme_id)
        for sub in item.get("subthemes") or []:
            self.add_theme(sub, theme_id)

    def add_coding(self, n: int, item: dict) -> None:
        ref = str(item.get("doc", ""))
        if ref not in self.docs:
            try:
                self.docs[ref] = resolve.document(self.project, ref)
            except UserError as exc:
                raise self.fail(f"coding {n}", exc) from None
        doc = self.docs[ref]
        if doc.id not in self.texts:
            self.texts[doc.id] = store.documents.document_text(self.project.db, doc.id)
        text = self.texts[doc.id]
        places = find_quote(text, str(item.get("quote", "")))
        if not places:
            raise self.fail(f"coding {n}", f"quote not found in {doc.title!r}")
        try:
            occurrence = int(item.get("occurrence", 1))
        except (TypeError, ValueError):
            raise self.fail(f"coding {n}", "occurrence must be a whole number") from None
        if occurrence < 1:
            raise self.fail(f"coding {n}", "occurrence counts from 1")
        start, end = places[min(occurrence, len(places)) - 1]
        _cid, is_new = place_coding(self.conn, self.project, doc.id, self.code_id(str(item.get("code", ""))),
                                    start, end, text=text, coder=item.get("coder"), reuse=True)
        self.stats["codings"] += is_new

    def add_memo(self, n: int, item: dict) -> None:
        # YAML 1.1 reads a bare `on:` key as True.
        target_type = str(item.get("on", item.get(True, "project")))
        target = str(item.get("target", ""))
        try:
            if target_type == "code":
                target_id = self.code_id(target) if check_label(target) in self.code_ids else None
                if target_id is None:
                    raise UserError(f"no code {target!r}")
            else:
                target_type, target_id = memos.resolve_target(self.project, target_type, target)
        except UserError as exc:
            raise self.fail(f"memo {n}", exc) from None
        memos.new_memo(self.conn, self.project, target_type, target_id, str(item.get("text") or ""),
                       title=str(item.get("title") or ""), author=item.get("author"), allow_empty=True)
        self.stats["memos"] += 1

