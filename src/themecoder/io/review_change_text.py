"""What changed since the last review, as text in nb or en.

core.review_changes returns structured records (kind, target, old and new names, who, when);
this module renders them through the one string table (io.i18n, keys "change.*"), for the
review pack, the review summary, the CLI (`review changes`) and the TUI's Review screen.
Names are put in « » in both languages; the English wording is the one the tool has always
printed.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from themecoder.io.i18n import check_lang, format_int, t

if TYPE_CHECKING:
    from themecoder.core.review_changes import Change, ChangeReport, ReviewPoint


def _theme(name: str | None, lang: str) -> str:
    return t("change.top_level", lang) if name is None else f"«{name}»"


def _themes(names: tuple[str | None, ...], lang: str) -> str:
    return ", ".join(_theme(n, lang) for n in names)


def _count(n: int | None, lang: str) -> str:
    return t("change.unknown", lang) if n is None else format_int(n, lang)


def change_text(c: Change, lang: str = "en") -> str:
    """One change as one line of text."""
    lang = check_lang(lang)
    kind = c.category
    key = "change." + kind
    if kind in ("code-added", "code-deleted", "theme-deleted"):
        return t(key, lang, name=c.name)
    if kind in ("code-renamed", "theme-renamed"):
        return t(key, lang, old=c.old_name, new=c.new_name)
    if kind == "code-merged":
        return t(key, lang, merged=", ".join(f"«{m}»" for m in c.merged), into=c.new_name or c.name)
    if kind == "code-split":
        return t(key, lang, n=_count(c.count, lang), code=c.old_name or c.name, new=c.new_name)
    if kind in ("code-moved", "code-mapped", "code-unmapped"):
        return t(key, lang, code=c.name, froms=_themes(c.from_themes, lang), tos=_themes(c.to_themes, lang))
    if kind == "theme-added":
        if c.parent is None:
            return t(key, lang, name=c.name)
        return t("change.theme-added-under", lang, name=c.name, parent=_theme(c.parent, lang))
    if kind == "theme-moved":
        return t(key, lang, name=c.name, froms=_themes(c.from_themes, lang), tos=_themes(c.to_themes, lang))
    if kind == "theme-edited":
        return t(key, lang, name=c.name, fields=", ".join(t("change.field." + f, lang) for f in c.fields))
    if kind in ("codings-added", "codings-removed"):
        text = t(f"{key}.{'one' if c.count == 1 else 'many'}", lang, n=_count(c.count, lang))
        return t("change.by", lang, text=text, who=c.coder) if c.coder else text
    raise KeyError(kind)   # a kind core added without a text here is a bug


def change_lines(report: ChangeReport, lang: str = "en") -> list[str]:
    """Every change of the report, one line each."""
    return [change_text(c, lang) for c in report.changes]


def since_line(since: ReviewPoint | None, lang: str = "en") -> str:
    """The heading: since whose review, or that there was none."""
    if since is None:
        return t("change.no_review", lang)
    return t("change.since", lang, who=since.reviewer or "?", time=since.time[:16])


def nothing_line(lang: str = "en") -> str:
    return t("change.nothing", lang)
