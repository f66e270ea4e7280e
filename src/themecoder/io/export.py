"""The one export service: every export, from every door, goes through `run_export`.

It picks the format and the default path, refuses output paths that would destroy something
(`check_output_path`), applies the identifier guard to exactly the text the export will
contain, writes the file atomically, and stamps the guard's result into the file's metadata.
The CLI's `export`, `report` and `review export|summary` commands and the TUI's Export screen
call it, so none of them can forget a step.

    result = run_export(project, "quotes", None, ExportOptions(fmt="docx", lang="nb"))
    result.path, result.lines()
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from themecoder.core.text import plural
from themecoder.errors import UserError

if TYPE_CHECKING:
    from themecoder.core.project import Project

@dataclass(frozen=True, slots=True)
class ExportKind:
    """What one kind of export is: its formats (first = default) and what the guard checks.
    Its file name comes from the string table (`file.<name>` in io.i18n)."""

    name: str
    title: str                 # for menus: "Quote tables"
    formats: tuple[str, ...]
    guard: str                 # "coded": coded passages + analyst texts; "texts": analyst texts
                               # only; "all": whole documents + analyst texts and memos
    codings: bool = True       # shows codings or counts of them: refused while the exporter is
                               # blind (core.blind.check_export, issue 12)


KINDS: dict[str, ExportKind] = {k.name: k for k in (
    ExportKind("quotes", "Quote tables", ("docx", "md", "csv"), "coded"),
    ExportKind("codebook", "Codebook", ("docx", "csv", "md", "qdc"), "texts"),
    ExportKind("qdpx", "REFI-QDA project", ("qdpx",), "all"),
    ExportKind("report", "Mixed-methods report", ("docx", "md", "html"), "coded"),
    ExportKind("review-summary", "Review summary", ("docx", "md"), "texts"),
    ExportKind("review", "Review file (JSON)", ("json",), "texts", codings=False),
    ExportKind("review-pack", "Review pack for the supervisor (HTML)", ("html",), "coded"),
)}
# Kinds that need a request beyond the options (the agreement's coders, issue 12): run_export
# makes them like any other, but they are not offered in menus that only know ExportOptions.
REQUEST_KINDS: dict[str, ExportKind] = {k.name: k for k in (
    # Computing agreement is what lifts the project's blindness: these two are not refused.
    ExportKind("agreement", "Intercoder agreement", ("docx", "md", "csv"), "texts", codings=False),
    ExportKind("disagreements", "Disagreements between coders", ("csv", "md"), "coded", codings=False),
)}
ALL_FORMATS = frozenset(f for k in KINDS.values() for f in k.formats)


@dataclass
class ExportOptions:
    """Every option any export takes; each kind reads the ones it knows."""

    fmt: str | None = None              # None: from the path's suffix, else the kind's first format
    lang: str | None = None             # None: the project's language (nb)
    allow_unreviewed: bool = False      # export although identifier findings are open (stamped)
    blind: bool = False                 # the exporter asked for blind coding (--blind, the TUI toggle)
    # quote tables
    themes: list[str] | None = None     # theme references; None: every top-level theme
    max_per_code: int | None = None
    ellipsis: str | None = None
    appendix: bool = False
    delimiter: str | None = None        # CSV separator (default ';' nb, ',' en)
    # REFI-QDA
    themes_as: str = "codes"            # themes as parent codes or as sets
    positions: str = "codepoints"       # selection positions: code points, or UTF-16 units (NVivo)
    # mixed-methods report
    layout: str = "side-by-side"
    include_subthemes: bool = False
    max_quotes: int = 3
    check: bool = True
    # review file; review pack: who it is for
    reviewer: str | None = None
    # intercoder agreement (issue 12): core.agreement.compute's keyword arguments (coders, unit, ...)
    agreement: dict[str, Any] | None = None


@dataclass
class ExportResult:
    path: Path
    kind: str
    fmt: str
    headline: str                                   # "wrote …: 5 tables, 41 quotes"
    notes: list[str] = field(default_factory=list)  # indented lines after the headline
    anonymisation: dict[str, Any] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [self.headline, *self.notes]


# -- paths ---------------------------------------------------------------------------------
def pick_format(kind: str, fmt: str | None, path: str | Path | None) -> str:
    """The explicit format, else the path's suffix, else the kind's first format. A path named
    as another export format (``x.md`` with format docx) is refused: the file would hold the
    wrong content under a name that promises something else (and could not be stamped)."""
    from themecoder.io.tabular import pick_format as _pick

    chosen = _pick(fmt, str(path) if path else None, export_kind(kind).formats)
    suffix = _suffix(path)
    if suffix != chosen and suffix in ALL_FORMATS:
        raise UserError(f"{Path(path or '').name!r} is named .{suffix} but the format is {chosen}; "
                        f"name the file .{chosen} or choose the format {suffix}")
    return chosen


def _suffix(path: str | Path | None) -> str:
    suffix = Path(path).suffix.lower().lstrip(".") if path else ""
    return {"markdown": "md", "htm": "html"}.get(suffix, suffix)


def export_kind(kind: str) -> ExportKind:
    try:
        return KINDS[kind] if kind in KINDS else REQUEST_KINDS[kind]
    except KeyError:
        raise UserError(f"unknown export {kind!r}; use {', '.join(KINDS)}") from None


def export_lang(project: Project, lang: str | None) -> str:
    from themecoder.io.i18n import check_lang

    lang = lang or project.setting("language", "nb") or "nb"
    return check_lang(lang if lang in ("nb", "en") else "nb")


def default_path(project: Project, kind: str, fmt: str, lang: str) -> Path:
    """``exports/<project>-<stem>.<fmt>`` beside the project file."""
    from themecoder.io.i18n import t
    from themecoder.io.tabular import default_output

    export_kind(kind)
    return default_output(project.path, t("file." + kind, lang), "." + fmt)


def check_output_path(project: Project | None, path: str | Path) -> Path:
    """The one check of every output path (issue 18.1): refuse any path whose replacement
    would destroy something: a project file (any ``*.themecoder``, or any SQLite database) or
    its -wal/-shm/-journal, this project's anonymisation key (or any key file), or anything
    that is not a regular file (links, FIFOs, devices, folders). The atomic writer repeats the
    file checks just before its rename (io.tabular.refuse_to_replace)."""
    from themecoder.io.tabular import refuse_project_name, refuse_to_replace

    path = Path(path).expanduser()
    refuse_project_name(path)
    if project is not None:
        base = Path(project.path).resolve()
        guarded = {base, *(base.with_name(base.name + s) for s in ("-wal", "-shm", "-journal"))}
        key = project.setting("anonymisation.key_path")
        if key:
            guarded.add(Path(key).expanduser().resolve())
        try:
            same = path.resolve() in guarded or (
                path.exists() and any(g.exists() and os.path.samefile(path, g) for g in guarded))
        except OSError:
            same = False
        if same:
            raise UserError(f"refusing to write {path}: it is this project's file or its key; "
                            "choose another output")
    refuse_to_replace(path)
    return path


# -- the guard and the stamp -----------------------------------------------------------------
def guard(project: Project, kind: str, *, allow_unreviewed: bool = False) -> dict[str, Any]:
    """The identifier guard over exactly what `kind` exports; UserError while findings are open
    (unless allowed). Returns the metadata to stamp into the file."""
    from themecoder.core.anonymise import analyst_texts, coding_spans, export_guard

    scope = export_kind(kind).guard
    if scope == "texts":  # review exports print the review comments too (issue 18)
        texts = analyst_texts(project, reviews=kind in ("review-summary", "review"))
        return export_guard(project, [], texts=texts, allow_unreviewed=allow_unreviewed)
    if scope == "all":
        return export_guard(project, texts=analyst_texts(project, memos=True, attributes=True),
                            allow_unreviewed=allow_unreviewed)
    return export_guard(project, spans=coding_spans(project), texts=analyst_texts(project),
                        allow_unreviewed=allow_unreviewed)


def stamp(path: str | Path, meta: dict[str, Any], fmt: str | None = None) -> None:
    """Write the guard's result into an export's metadata (see io.stamping); `fmt` (default:
    the suffix) says what the file holds, e.g. CSV written as ``data.txt``."""
    from themecoder.io import stamping

    if meta and path is not None and Path(path).is_file():
        stamping.stamp_file(Path(path), meta, fmt or _suffix(path))


# -- the service -----------------------------------------------------------------------------
def run_export(project: Project, kind: str, path: str | Path | None = None,
               options: ExportOptions | None = None) -> ExportResult:
    """Make one export: format, path check, guard, write, stamp. Raises UserError (one line)."""
    from themecoder.core.team import check_may_export

    check_may_export(project)  # on a team server exports are the owner's (issue 17)
    opts = options or ExportOptions()
    fmt = pick_format(kind, opts.fmt, path)
    lang = export_lang(project, opts.lang)
    target = Path(path) if path else default_path(project, kind, fmt, lang)
    check_output_path(project, target)
    if export_kind(kind).codings:  # blind coding: the one rule for every export (core.blind)
        from themecoder.core.blind import check_export

        check_export(project, opts.blind, export_kind(kind).title)
    project.check_intact()  # a damaged file is said so, not exported in part (issue 18.7)
    meta = guard(project, kind, allow_unreviewed=opts.allow_unreviewed)
    try:  # only after the guard: a refused export leaves nothing behind, not even a folder
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the folder {target.parent}: {exc.strerror}") from None
    result = _WRITERS[kind](project, target, fmt, lang, opts)
    result.anonymisation = meta
    stamp(result.path, meta, fmt)
    return result


def _quotes(project: Project, path: Path, fmt: str, lang: str, o: ExportOptions) -> ExportResult:
    from themecoder.core.quotes import QuoteSource
    from themecoder.io.tabular import quotes_csv, quotes_markdown, write_text

    started = time.perf_counter()
    src = QuoteSource(project)
    if fmt == "csv":
        rows = src.coding_rows(o.themes, o.max_per_code)
        write_text(path, quotes_csv(rows, lang=lang, ellipsis=o.ellipsis, delimiter=o.delimiter), bom=True)
        sep = o.delimiter or (";" if lang == "nb" else ",")
        notes = [f"  note: {p}" for p in src.problems if not o.themes]
        return ExportResult(path, "quotes", fmt,
                            f"wrote {path}: {len(rows)} rows (UTF-8 with BOM, separator {sep!r})", notes)
    qs = src.quote_set(o.themes, o.max_per_code)
    if fmt == "md":
        write_text(path, quotes_markdown(qs, src, lang=lang, ellipsis=o.ellipsis, appendix=o.appendix))
    else:
        from themecoder.io.docx_quotes import write_quotes_docx

        write_quotes_docx(path, qs, src, lang=lang, ellipsis=o.ellipsis, appendix=o.appendix)
    headline = (f"wrote {path}: {plural(len(qs.tables), 'tables')}, {plural(qs.quote_count, 'quotes')}"
                + (", with appendix" if o.appendix else "")
                + f" ({time.perf_counter() - started:.1f} s)")
    notes = [f"  no quotes for: {', '.join(th.name for th in qs.empty)}"] if qs.empty else []
    notes += [f"  left out: {p}" for p in qs.problems]
    return ExportResult(path, "quotes", fmt, headline, notes)


def _codebook(project: Project, path: Path, fmt: str, lang: str, o: ExportOptions) -> ExportResult:
    from themecoder.io.codebook_export import write_codebook

    path, n = write_codebook(project, path, fmt=fmt, lang=lang, delimiter=o.delimiter)
    return ExportResult(Path(path), "codebook", fmt, f"wrote {path}: {plural(n, 'codes')}")


def _qdpx(project: Project, path: Path, fmt: str, lang: str, o: ExportOptions) -> ExportResult:
    from themecoder.io.refi_export import qdpx_export

    summary, notes = qdpx_export(project, path, themes_as=o.themes_as, positions=o.positions)
    return ExportResult(path, "qdpx", fmt, f"wrote {path}: {summary}", notes)


def _report(project: Project, path: Path, fmt: str, lang: str, o: ExportOptions) -> ExportResult:
    from themecoder.io.report import ReportOptions, write_report

    options = ReportOptions(lang=lang, layout=o.layout, include_subthemes=o.include_subthemes,
                            max_quotes=o.max_quotes, check=o.check)
    write_report(project, path, fmt=fmt, options=options)
    return ExportResult(path, "report", fmt, f"wrote {path}")


def _review_summary(project: Project, path: Path, fmt: str, lang: str, o: ExportOptions) -> ExportResult:
    from themecoder.core import review_overview
    from themecoder.io.review_summary import write_review_summary

    write_review_summary(review_overview.summary(project), path, lang=lang, fmt=fmt)
    return ExportResult(path, "review-summary", fmt, f"wrote {path}")


def _review_file(project: Project, path: Path, fmt: str, lang: str, o: ExportOptions) -> ExportResult:
    from themecoder.core import review_exchange

    data = review_exchange.export_review(project, path, reviewer=o.reviewer)
    return ExportResult(path, "review", fmt,
                        f"wrote {path}: {len(data['items'])} items, {len(data['comments'])} comments "
                        f"by {', '.join(data['reviewers']) or 'nobody yet'}")


def _agreement(project: Project, path: Path, fmt: str, lang: str, o: ExportOptions) -> ExportResult:
    from themecoder.io.agreement_report import export_agreement

    return export_agreement(project, path, fmt, lang, o.agreement or {}, o.delimiter)


def _disagreements(project: Project, path: Path, fmt: str, lang: str, o: ExportOptions) -> ExportResult:
    from themecoder.io.agreement_report import export_disagreements

    return export_disagreements(project, path, fmt, lang, o.agreement or {}, o.delimiter)


def _review_pack(project: Project, path: Path, fmt: str, lang: str, o: ExportOptions) -> ExportResult:
    from themecoder.io.review_pack import write_review_pack

    n = write_review_pack(project, path, reviewer=o.reviewer, lang=lang)
    return ExportResult(path, "review-pack", fmt,
                        f"wrote {path}: {plural(n.themes, 'themes')}, {plural(n.mappings, 'codes')} in them, {plural(n.quotes, 'quotes')} "
                        f"({n.size / 1e6:.1f} MB); e-mail it to the supervisor")


_WRITERS: dict[str, Callable[[Project, Path, str, str, ExportOptions], ExportResult]] = {
    "quotes": _quotes, "codebook": _codebook, "qdpx": _qdpx, "report": _report,
    "review-summary": _review_summary, "review": _review_file, "review-pack": _review_pack,
    "agreement": _agreement, "disagreements": _disagreements,
}
