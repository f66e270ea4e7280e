"""Codebooks and participant lists from YAML: codes, themes, codings, each file one action."""
from __future__ import annotations

from pathlib import Path

from themecoder.core.coding import PALETTE, check_colour, check_label, trim_span
from themecoder.core.documents import ATTRIBUTE_TYPES, _check_value, _participant_id
from themecoder.errors import UserError
from themecoder.core.project import Project, new_id
from themecoder.core.text import context, find_quote
from themecoder import store
from themecoder.store.db import now


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
            pid = _participant_id(conn, pseudonym)
            if item.get("document"):
                conn.execute("UPDATE documents SET participant_id = ? WHERE lower(title) = lower(?)",
                             (pid, str(item["document"])))
            for name, spec in (item.get("attributes") or {}).items():
                type_ = spec.get("type", "text") if isinstance(spec, dict) else "text"
                value = spec.get("value") if isinstance(spec, dict) else spec
                if type_ not in ATTRIBUTE_TYPES:
                    raise UserError(f"{path.name}: attribute {name}: unknown type {type_!r}")
                row = conn.execute("SELECT id FROM attributes WHERE name = ?", (name,)).fetchone()
                attr_id = row[0] if row else new_id()
                if row is None:
                    conn.execute("INSERT INTO attributes(id, name, type) VALUES (?, ?, ?)", (attr_id, name, type_))
                conn.execute(
                    "INSERT OR REPLACE INTO participant_attributes(participant_id, attribute_id, value) VALUES (?, ?, ?)",
                    (pid, attr_id, _check_value(value, type_, name)),
                )
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
        n_codes = len(code_ids)
        for item in data.get("codes") or []:
            label = check_label(str(item.get("label", "")))
            if label in code_ids:
                continue
            colour = item.get("colour") or item.get("color")
            colour = check_colour(colour) if colour else _palette(n_codes)
            code_ids[label] = new_id()
            n_codes += 1
            conn.execute(
                "INSERT INTO codes(id, label, description, colour, in_vivo, author, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (code_ids[label], label, str(item.get("description") or ""), colour,
                 int(bool(item.get("in_vivo"))), project.coder, now()),
            )
            stats["codes"] += 1

        def code_id(label: str) -> str:
            label = check_label(label)
            if label not in code_ids:
                raise UserError(f"{path.name}: unknown code {label!r}")
            return code_ids[label]

        def add_theme(item: dict, parent: str | None, position: int) -> None:
            name = " ".join(str(item.get("name", "")).split())
            if not name:
                raise UserError(f"{path.name}: a theme without a name")
            row = conn.execute("SELECT id FROM themes WHERE parent_id IS ? AND name = ?", (parent, name)).fetchone()
            if row:
                theme_id = row[0]
            else:
                theme_id = new_id()
                conn.execute(
                    "INSERT INTO themes(id, parent_id, name, description, analytic_text, condensate, position, created) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (theme_id, parent, name, str(item.get("description") or ""),
                     str(item.get("analytic_text") or ""), str(item.get("condensate") or ""), position, now()),
                )
                stats["themes"] += 1
            for i, label in enumerate(item.get("codes") or [], 1):
                cur = conn.execute(
                    "INSERT OR IGNORE INTO code_themes(code_id, theme_id, position, created) VALUES (?, ?, ?, ?)",
                    (code_id(label), theme_id, i, now()),
                )
                stats["mappings"] += cur.rowcount
            for i, sub in enumerate(item.get("subthemes") or [], 1):
                add_theme(sub, theme_id, i)

        for i, item in enumerate(data.get("themes") or [], 1):
            add_theme(item, None, i)

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
            start, end = trim_span(text, *places[min(occurrence, len(places)) - 1])
            before, after = context(text, start, end)
            cur = conn.execute(
                "INSERT OR IGNORE INTO codings(id, document_id, code_id, start, end, quote, context_before, "
                "context_after, coder, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (new_id(), doc.id, code_id(str(item.get("code", ""))), start, end, text[start:end],
                 before, after, item.get("coder") or project.coder, now()),
            )
            stats["codings"] += cur.rowcount
        stats["memos"] = 0
        for n, item in enumerate(data.get("memos") or [], 1):
            target_type = str(item.get("on", "project"))
            target = str(item.get("target", ""))
            if target_type == "project":
                target_id = None
            elif target_type == "document" and target.casefold() in docs:
                target_id = docs[target.casefold()].id
            elif target_type == "code" and check_label(target) in code_ids:
                target_id = code_ids[check_label(target)]
            elif target_type == "theme":
                row = conn.execute("SELECT id FROM themes WHERE name = ?", (target,)).fetchone()
                target_id = row[0] if row else None
                if target_id is None:
                    raise UserError(f"{path.name}: memo {n}: no theme {target!r}")
            else:
                raise UserError(f"{path.name}: memo {n}: no {target_type} {target!r}")
            stamp = now()
            conn.execute(
                "INSERT INTO memos(id, target_type, target_id, title, text, author, created, modified) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (new_id(), target_type, target_id, str(item.get("title") or ""), str(item.get("text") or ""),
                 item.get("author") or project.coder, stamp, stamp),
            )
            stats["memos"] += 1
        project.db.update_action_summary(
            conn, f"codebook from {path.name}: {stats['codes']} codes, {stats['themes']} themes, "
            f"{stats['codings']} codings", stats)
    return stats


def _palette(n: int) -> str:
    return PALETTE[n % len(PALETTE)]
