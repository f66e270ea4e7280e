"""The review pack: one self-contained HTML file the student e-mails to the supervisor.

``themecoder review pack PROJECT -o veiledning.html [--for NAME]`` (through the one export
service, kind "review-pack", so the path check, the identifier guard and the stamp apply).
Opened from disk in any current browser, offline, it shows the theme tree (descriptions,
analytic text, condensate, key quote), each theme's codes with their quotes (verbatim, with
pseudonym and turn or timestamp), the status and comment threads of every theme and
code-to-theme mapping, and what changed since the last review. The supervisor sets statuses
and writes comments; the work is kept in the browser's local storage (keyed by project id
and reviewer) and "Save review" downloads ``NAME.review.json``, the format `review export`
writes (core.review_exchange), which ``review import`` merges by the usual rules.

What is embedded is what is shown: the themes, the codes in them and those codes' quotes.
Codes in no theme and the transcripts themselves stay out. Data sits in an inline
``application/json`` block (``<`` escaped), the page's script and style are inline with a
per-file nonce under a Content-Security-Policy that allows nothing else: no network at all.
The page builds its DOM with ``textContent`` only, so no project text is ever parsed as HTML.
The assets live beside this module (io/assets/review_pack.{html,css,js}).
"""
from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from themecoder.io.i18n import STRINGS, check_lang, t
from themecoder.io.tabular import write_text

if TYPE_CHECKING:
    from themecoder.core.project import Project

PACK_FORMAT = "themecoder-review-pack"
PACK_VERSION = 1
STRING_PREFIX = "pack."


@dataclass(frozen=True, slots=True)
class PackStats:
    themes: int
    mappings: int
    quotes: int
    size: int        # bytes written


def asset(name: str) -> str:
    """One of the pack's assets (package data, read through importlib.resources)."""
    return resources.files("themecoder.io").joinpath("assets", name).read_text(encoding="utf-8")


def _place(q: Any, lang: str) -> str:
    from themecoder.core.turns import format_timestamp

    p = q.place
    if p.turn is not None:
        stamp = format_timestamp(p.timestamp) if p.timestamp is not None else ""
        return t("pack.turn", lang, n=p.turn) + (f", {stamp}" if stamp else "")
    if p.paragraph is not None:
        return t("pack.paragraph", lang, n=p.paragraph)
    return ""


def _quote(q: Any, lang: str) -> dict:
    """A quote as shown: verbatim (the coding's text), who said it and where."""
    return {"id": q.coding.id, "text": q.coding.quote, "who": q.informant, "where": _place(q, lang)}


def _threads(item: Any) -> list[dict]:
    if item is None:
        return []
    return [{"resolved": th.resolved,
             "comments": [{"id": c.id, "parent_id": c.parent_id, "author": c.author, "text": c.text,
                           "created": c.created} for c in th.comments]}
            for th in item.threads]


def _item(step_kind: str, theme: Any, code: Any, item: Any, changed: bool, mapping: str | None) -> dict:
    return {
        "key": f"{step_kind}|{theme.id}|{code.id if code else ''}",
        "target": step_kind,
        "theme_id": theme.id,
        "code_id": code.id if code else None,
        "theme_name": theme.name,
        "code_label": code.label if code else None,
        "mapping_id": mapping,
        "item_id": item.id if item else None,
        "created": item.created if item else None,
        "status": item.status if item else "proposed",
        "status_by": item.status_by if item else None,
        "status_set": item.status_set if item else None,
        "threads": _threads(item),
        "changed": changed,
    }


def pack_data(project: Project, *, reviewer: str | None = None, lang: str = "nb") -> dict:
    """Everything the page shows, as one JSON-able dict (and nothing more)."""
    from themecoder.core import review, review_exchange
    from themecoder.core.quotes import QuoteSource
    from themecoder.core.review_changes import changed_targets, changes_since
    from themecoder.core.themes import flatten, theme_tree
    from themecoder.io.review_change_text import change_lines
    from themecoder.store.db import now

    lang = check_lang(lang)
    items = {(i.target_type, i.theme_id, i.code_id): i for i in review.review_items(project)}
    report = changes_since(project)
    # Before the first review everything is new: nothing is highlighted, no list of everything.
    first_review = report.since is None
    changed = changed_targets(project) if not first_review else None
    src = QuoteSource(project)
    by_coding = {q.coding.id: q for qs in src.quotes_by_code.values() for q in qs}
    themes: list[dict] = []
    out_items: list[dict] = []
    codes: dict[str, dict] = {}
    for node in flatten(theme_tree(project)):
        th = node.theme
        theme_changed = changed is not None and th.id in changed.themes
        out_items.append(_item("theme", th, None, items.get(("theme", th.id, "")), theme_changed, None))
        themes.append({"id": th.id, "name": th.name, "parent": th.parent_id, "depth": node.depth,
                       "description": th.description or "", "analytic_text": th.analytic_text or "",
                       "condensate": th.condensate or "", "key_coding": th.key_coding_id,
                       "key_quote": _quote(by_coding[th.key_coding_id], lang)
                       if th.key_coding_id in by_coding else None,
                       "codes": [c.id for c in node.codes]})
        for c in node.codes:
            mapping_changed = changed is not None and ((c.id, th.id) in changed.mappings or c.id in changed.codes)
            out_items.append(_item("mapping", th, c, items.get(("mapping", th.id, c.id)), mapping_changed,
                                   review.mapping_id(c.id, th.id)))
            if c.id not in codes:
                codes[c.id] = {"label": c.label, "description": c.description or "",
                               "quotes": [_quote(q, lang) for q in src.quotes_by_code.get(c.id, [])]}
    since = None
    if report.since is not None:
        since = {"who": report.since.reviewer or "?", "date": (report.since.time or "")[:10]}
    base = review_exchange.export_review(project)["base_action"]
    return {
        "format": PACK_FORMAT,
        "version": PACK_VERSION,
        "project": {"id": project.id, "name": project.name},
        "reviewer": (reviewer or "").strip() or None,
        "lang": lang,
        "generated": now(),
        "base_action": base,
        "review_format": {"format": review_exchange.FORMAT, "version": review_exchange.FORMAT_VERSION},
        "themes": themes,
        "codes": codes,
        "items": out_items,
        "changes": {"since": since, "lines": [] if first_review else change_lines(report, lang)},
        "strings": strings(lang),
    }


def strings(lang: str) -> dict[str, str]:
    """The page's texts from the one string table (placeholders like {n} stay for the script)."""
    out = {}
    for key, entry in STRINGS.items():
        if key.startswith(STRING_PREFIX):
            out[key[len(STRING_PREFIX):]] = entry.get(lang) or entry["en"]
    return out


def _json_for_script(data: dict) -> str:
    """JSON that cannot end its <script> element or break the page: every '<' is escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def render_pack(data: dict) -> str:
    """The HTML page: the template with the style, script and data put in, in one pass."""
    lang = data["lang"]
    nonce = secrets.token_urlsafe(18)
    values = {
        "LANG": "nb" if lang == "nb" else "en",
        "TITLE": escape(t("pack.title", lang, project=data["project"]["name"])),
        "NONCE": nonce,
        "CSS": asset("review_pack.css"),
        "JS": asset("review_pack.js").replace("</", "<\\/"),
        "DATA": _json_for_script(data),
        "NOSCRIPT": escape(t("pack.noscript", lang)),
    }
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: values[m.group(1)], asset("review_pack.html"))


def write_review_pack(project: Project, path: str | Path, *, reviewer: str | None = None,
                      lang: str = "nb") -> PackStats:
    """Write the pack to `path` (atomically). The export service calls this after its checks."""
    data = pack_data(project, reviewer=reviewer, lang=lang)
    html = render_pack(data)
    write_text(Path(path), html)
    mappings = sum(1 for i in data["items"] if i["target"] == "mapping")
    quotes = sum(len(c["quotes"]) for c in data["codes"].values())
    return PackStats(len(data["themes"]), mappings, quotes, len(html.encode("utf-8")))
