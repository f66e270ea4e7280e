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


def load_yaml(path: Path):
    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.safe_load(fh)
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
    """Codes, themes (with subthemes) and codings from a YAML codebook, as one action.

    Existing codes and themes with the same label/name are reused, so a codebook can be
    loaded into a project that already has some of it.
    """
    path = Path(path)
    data = load_yaml(path) or {}
    if not isinstance(data, dict):
        raise UserError(f"{path.name}: expected a mapping with codes, themes and codings")
    stats = {"codes": 0, "themes": 0, "mappings": 0, "codings": 0}
    docs = {d.title.casefold(): d for d in store.documents.documents(project.db)}
    texts: dict[str, str] = {}
    with project.action("import-codebook", f"codebook from {path.name}") as conn:
        code_ids: dict[str, str] = {c.label: c.id for c in store.codes.codes(project.db)}
        for item in data.get("codes") or []:
            label = check_label(str(item.get("label", "")))
            if label in code_ids:
                continue
            code_ids[label] = new_code(conn, project, label, description=str(item.get("description") or ""),
                                       colour=item.get("colour") or item.get("color"),
                                       in_vivo=bool(item.get("in_vivo")))
            stats["codes"] += 1

        def code_id(label: str) -> str:
            label = check_label(label)
            if label not in code_ids:
                raise UserError(f"{path.name}: unknown code {label!r}")
            return code_ids[label]

        def add_theme(item: dict, parent: str | None) -> None:
            try:
                name = themes.clean_name(str(item.get("name", "")))
            except UserError:
                raise UserError(f"{path.name}: a theme without a name") from None
            theme_id = store.themes.named(conn, parent, name)
            if theme_id is None:
                try:
                    theme_id = themes.new_theme(
                        conn, project, name, parent, description=str(item.get("description") or ""),
                        analytic_text=str(item.get("analytic_text") or ""),
                        condensate=str(item.get("condensate") or ""))
                except UserError as exc:
                    raise UserError(f"{path.name}: theme {name!r}: {exc}") from None
                stats["themes"] += 1
            for label in item.get("codes") or []:
                stats["mappings"] += themes.map_code(conn, code_id(label), theme_id)
            for sub in item.get("subthemes") or []:
                add_theme(sub, theme_id)

        for item in data.get("themes") or []:
            add_theme(item, None)

        for n, item in enumerate(data.get("codings") or [], 1):
            doc = docs.get(str(item.get("doc", "")).casefold())
            if doc is None:
                raise UserError(f"{path.name}: coding {n}: no document {item.get('doc')!r}")
            if doc.id not in texts:
                texts[doc.id] = store.documents.document_text(project.db, doc.id)
            text = texts[doc.id]
            places = find_quote(text, str(item.get("quote", "")))
            if not places:
                raise UserError(f"{path.name}: coding {n}: quote not found in {doc.title!r}")
            occurrence = int(item.get("occurrence", 1))
            start, end = places[min(occurrence, len(places)) - 1]
            _cid, is_new = place_coding(conn, project, doc.id, code_id(str(item.get("code", ""))), start, end,
                                        text=text, coder=item.get("coder"), reuse=True)
            stats["codings"] += is_new
        stats["memos"] = 0
        for n, item in enumerate(data.get("memos") or [], 1):
            # YAML 1.1 reads a bare `on:` key as True.
            target_type = str(item.get("on", item.get(True, "project")))
            target = str(item.get("target", ""))
            try:
                if target_type == "code":
                    target_id = code_id(target) if check_label(target) in code_ids else None
                    if target_id is None:
                        raise UserError(f"no code {target!r}")
                else:
                    target_type, target_id = memos.resolve_target(project, target_type, target)
            except UserError as exc:
                raise UserError(f"{path.name}: memo {n}: {exc}") from None
            memos.new_memo(conn, project, target_type, target_id, str(item.get("text") or ""),
                           title=str(item.get("title") or ""), author=item.get("author"), allow_empty=True)
            stats["memos"] += 1
        project.db.update_action_summary(
            conn, f"codebook from {path.name}: {stats['codes']} codes, {stats['themes']} themes, "
            f"{stats['codings']} codings", stats)
    return stats
