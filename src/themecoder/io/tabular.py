"""Markdown and CSV exports of quotes and the codebook, and the file writing all exports share.

Files are written atomically: into a temporary file beside the target, flushed to disk, then
renamed over it, so a crash or a full disk never leaves half a thesis table behind.

Where exports go: ``-o FILE`` is taken as given (relative to the current folder; missing
folders are created). Without ``-o`` an export goes to ``exports/`` beside the project file,
named after the project (``exports/<project>-sitater.docx`` ...).

CSV: UTF-8 *with* a byte order mark, so that Excel recognises UTF-8 (æ, ø, å); fields are
separated by ``;`` for Norwegian (Excel in a Norwegian locale expects ``;`` because ``,`` is
the decimal comma) and ``,`` for English; ``--delimiter`` overrides. Quotes keep their line
breaks inside quoted fields.
"""
from __future__ import annotations

import csv
import errno
import io
import os
import stat
import tempfile
from pathlib import Path
from typing import Callable, Sequence

from themecoder.core.quotes import PATH_SEPARATOR, Quote, QuoteSet, QuoteSource, Row, Table, display_text
from themecoder.core.turns import format_timestamp
from themecoder.errors import UserError
from themecoder.io.i18n import CSV_DELIMITER, default_ellipsis, format_int, quote_marks, t

FORMATS = ("docx", "md", "csv")


# -- files -------------------------------------------------------------------------------------
def atomic_write(path: str | Path, write: Callable[[io.BufferedWriter], object]) -> Path:
    """Call ``write(fh)`` on a temporary file, then rename it to ``path``. The new file is
    private (0600: exports hold interview data). Nothing but a regular file that is no project
    or key file is ever replaced (`refuse_to_replace`, checked again just before the rename), and
    on any failure (a full disk, a refused target) the temporary file is removed."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the folder {path.parent}: {exc.strerror}") from None
    refuse_to_replace(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {_why(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        refuse_to_replace(path)  # it may have changed while we wrote
        os.replace(tmp, path)
    except PermissionError:
        _remove(tmp)
        raise UserError(f"cannot write {path}: permission denied (is it open in Word or Excel? "
                        f"close it and try again)") from None
    except OSError as exc:
        _remove(tmp)
        raise UserError(f"cannot write {path}: {_why(exc)}") from None
    except BaseException:
        _remove(tmp)
        raise
    return path


SQLITE_MAGIC = b"SQLite format 3\x00"
WAL_MAGIC = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")


def refuse_to_replace(path: str | Path) -> None:
    """UserError unless `path` is absent or a regular file that holds no project, project
    journal (-wal, -shm, -journal) or anonymisation key: a rename over it would destroy it, or
    (a link, FIFO, device, folder) replace something that is not ours to replace."""
    path = Path(path)
    name = path.name.lower()
    refuse_project_name(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        raise UserError(f"{path} is a folder; give a file name")
    if not stat.S_ISREG(st.st_mode):
        what = "a link" if stat.S_ISLNK(st.st_mode) else "not a regular file (a FIFO, socket or device)"
        raise UserError(f"refusing to write {path}: it is {what}; choose another output")
    for suffix in ("-wal", "-shm", "-journal"):
        if name.endswith(suffix) and _head(path.with_name(path.name[:-len(suffix)])).startswith(SQLITE_MAGIC):
            raise UserError(f"refusing to write {path}: it belongs to the database beside it; "
                            "choose another output")
    head = _head(path)
    if head.startswith(SQLITE_MAGIC) or head[:4] in WAL_MAGIC:
        raise UserError(f"refusing to write {path}: it is a database (a project?); choose another output")
    if b'"themecoder-key"' in head:
        raise UserError(f"refusing to write {path}: it is an anonymisation key file; choose another output")


def refuse_project_name(path: str | Path) -> None:
    """No export is ever named like a project file (``*.themecoder`` and its -wal/-shm)."""
    if Path(path).name.lower().endswith((".themecoder", ".themecoder-wal", ".themecoder-shm",
                                         ".themecoder-journal")):
        raise UserError(f"refusing to write {path}: that is a project file name; choose another output")


def _head(path: Path, n: int = 256) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(n)
    except OSError:
        return b""


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "disk full; nothing was written (free some space and try again)"
    if exc.errno == errno.EDQUOT:
        return "disk quota exceeded; nothing was written"
    return str(exc.strerror or exc)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def write_text(path: str | Path, text: str, *, bom: bool = False) -> Path:
    data = text.encode("utf-8-sig" if bom else "utf-8")
    return atomic_write(path, lambda fh: fh.write(data))


def default_output(project_path: Path, stem: str, suffix: str) -> Path:
    """``exports/<project>-<stem><suffix>`` beside the project file."""
    return Path(project_path).parent / "exports" / f"{Path(project_path).stem}-{stem}{suffix}"


def pick_format(fmt: str | None, output: str | None, allowed: Sequence[str] = FORMATS) -> str:
    """``--format`` wins; else the suffix of ``-o``; else the first allowed format."""
    if fmt:
        fmt = fmt.lower().lstrip(".")
        if fmt == "markdown":
            fmt = "md"
        if fmt not in allowed:
            raise UserError(f"unknown format {fmt!r}; use {', '.join(allowed)}")
        return fmt
    if output:
        suffix = Path(output).suffix.lower().lstrip(".")
        if suffix == "markdown":
            suffix = "md"
        if suffix in allowed:
            return suffix
        if suffix:
            raise UserError(f"cannot tell the format from {Path(output).name!r}; give --format "
                            f"({', '.join(allowed)})")
    return allowed[0]


# -- shared wording ----------------------------------------------------------------------------
def where_text(q: Quote, lang: str) -> str:
    """``taletur 12`` / ``00:12:31`` / ``avsnitt 3``."""
    p = q.place
    if p.timestamp is not None:
        return format_timestamp(p.timestamp)
    if p.turn is not None:
        return t("turn", lang, n=p.turn)
    return t("paragraph", lang, n=p.paragraph or 1)


def place_text(q: Quote, lang: str) -> str:
    """``anna, taletur 12``; the document is left out when it is named after the participant."""
    if q.participant and q.document.casefold() == q.participant.casefold():
        return where_text(q, lang)
    return f"{q.document}, {where_text(q, lang)}"


def citation(q: Quote, lang: str) -> str:
    """``Anna, taletur 12`` or ``Anna, intervju 2, taletur 12`` (no parentheses)."""
    if q.participant:
        return f"{q.participant}, {place_text(q, lang)}"
    return place_text(q, lang)


def quote_display(q: Quote, lang: str, ellipsis: str | None = None, *, marks: bool | None = None) -> str:
    """The quote as printed: inline in «» / “” under 40 words, bare for a block quote."""
    body = display_text(q.segments, ellipsis or default_ellipsis(lang))
    if marks is None:
        marks = not q.is_block
    if marks:
        left, right = quote_marks(lang)
        return f"{left}{nest_quotes(body, lang)}{right}"
    return body


# the marks for a quote inside a quote: ‹ › inside « » in Norwegian, ‘ ’ inside “ ” in English
INNER_QUOTES = {"nb": ("\u2039", "\u203a"), "en": ("\u2018", "\u2019")}


def nest_quotes(text: str, lang: str) -> str:
    """``text`` as it goes inside the outer quotation marks: its own quotation marks become
    the inner ones (nb: «… «Bra at du er her.»» -> «… ‹Bra at du er her.›»; en: “ ” -> ‘ ’).
    «», “”, „“ and paired straight double quotes are turned; apostrophes are left alone."""
    left, right = INNER_QUOTES.get(lang, INNER_QUOTES["en"])
    out = []
    straight_open = False
    for ch in text:
        if ch in "«\u201c\u201e":
            out.append(left)
        elif ch in "»\u201d":
            out.append(right)
        elif ch == '"':
            out.append(right if straight_open else left)
            straight_open = not straight_open
        else:
            out.append(ch)
    return "".join(out)


def table_note(table: Table, lang: str, ellipsis: str) -> str:
    parts = [t("note_place", lang)]
    if table.shortened:
        parts.append(t("note_ellipsis", lang, ellipsis=ellipsis))
    if table.has_block:
        parts.append(t("note_block", lang))
    return " ".join(parts)


def table_title(table: Table, lang: str) -> str:
    left, right = quote_marks(lang)
    return t("quotes_title", lang, theme=f"{left}{nest_quotes(table.path, lang)}{right}")


# -- markdown ----------------------------------------------------------------------------------
def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def quotes_markdown(qs: QuoteSet, src: QuoteSource, *, lang: str, ellipsis: str | None = None,
                    appendix: bool = False) -> str:
    ellipsis = ellipsis or default_ellipsis(lang)
    out: list[str] = [f"# {t('quotes_heading', lang, project=src.project_name)}", ""]
    for n, table in enumerate(qs.tables, 1):
        out += [f"**{t('table', lang)} {n}**", "", f"*{table_title(table, lang)}*", ""]
        head = [t("theme", lang), t("subtheme", lang), t("quote", lang), t("participant", lang)]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "---|" * len(head))
        last_group = None
        for i, row in enumerate(table.rows):
            theme = row.theme if i == 0 else ""
            sub = row.subtheme if row.theme_id != last_group else ""
            last_group = row.theme_id
            cells = [theme, sub, quote_display(row.quote, lang, ellipsis), citation(row.quote, lang)]
            out.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
        out += ["", f"*{t('note', lang)}* {table_note(table, lang, ellipsis)}", ""]
    if appendix:
        out += [f"## {t('appendix', lang)}", "", t("appendix_intro", lang), ""]
        for _theme, path, codes in src.appendix([tb.theme for tb in qs.tables]):
            out += [f"### {path}", ""]
            for code, quotes in codes:
                out += [f"#### {code.label}", ""]
                for q in quotes:
                    if q.is_block:
                        body = quote_display(q, lang, ellipsis).split("\n")
                        out += [f"> {line}" if line else ">" for line in body]
                        out += [">", f"> ({citation(q, lang)})", ""]
                    else:
                        out += [f"{quote_display(q, lang, ellipsis)} ({citation(q, lang)})", ""]
    return "\n".join(out).rstrip() + "\n"


# -- CSV ---------------------------------------------------------------------------------------
CSV_COLUMNS = ("theme", "subtheme", "code", "quote", "shortened", "participant", "document",
               "place", "start", "end", "coding_id")


def quotes_csv(rows: Sequence[Row], *, lang: str, ellipsis: str | None = None,
               delimiter: str | None = None) -> str:
    """One row per coding and theme: theme, subtheme, code, the verbatim quote, the shortened
    quote (when the user shortened it and it still matches), participant, document, place,
    start and end offsets (code points) and the coding's id."""
    ellipsis = ellipsis or default_ellipsis(lang)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter or CSV_DELIMITER.get(lang, ","), lineterminator="\r\n")
    w.writerow([t(f"csv_{c}" if c != "shortened" else "csv_shortened", lang) for c in CSV_COLUMNS])
    for row in rows:
        q = row.quote
        w.writerow([
            row.theme, row.subtheme, q.code, q.coding.quote,
            display_text(q.segments, ellipsis) if q.shortened else "",
            q.participant or "", q.document, where_text(q, lang),
            q.coding.start, q.coding.end, q.coding.id,
        ])
    return buf.getvalue()


# -- codebook ----------------------------------------------------------------------------------
def codebook_markdown(entries, *, project_name: str, lang: str) -> str:
    out = [f"# {t('codebook_title', lang, project=project_name)}", "",
           f"**{t('table', lang)} 1**", "", f"*{t('codebook', lang)}*", ""]
    head = [t(k, lang) for k in ("theme", "subtheme", "code", "description", "codings", "participants")]
    out.append("| " + " | ".join(head) + " |")
    out.append("|---|---|---|---|--:|--:|")
    for e in entries:
        cells = [e.theme, e.subtheme, e.label, e.description,
                 format_int(e.codings, lang), format_int(e.participants, lang)]
        out.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    out += ["", f"*{t('note', lang)}* {t('codebook_note', lang)}", ""]
    return "\n".join(out)


def codebook_csv(entries, *, lang: str, delimiter: str | None = None) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter or CSV_DELIMITER.get(lang, ","), lineterminator="\r\n")
    w.writerow([t(k, lang) for k in ("csv_theme", "csv_subtheme", "csv_code", "csv_description",
                                     "csv_codings", "csv_participants")])
    for e in entries:
        w.writerow([e.theme, e.subtheme, e.label, e.description, e.codings, e.participants])
    return buf.getvalue()


# -- survey data ---------------------------------------------------------------------------------
SURVEY_FORMATS = (".csv", ".sav", ".zsav", ".dta", ".xlsx")


def read_survey_table(path: str | Path):
    """Survey data from ``.csv``, SPSS ``.sav``/``.zsav``, Stata ``.dta`` or Excel ``.xlsx``
    as a :class:`themecoder.core.survey_data.SurveyTable`.

    SPSS and Stata (pyreadstat): the numeric codes are kept, with their value labels in
    ``value_labels`` and the variable labels in ``labels`` (a scoring key may name an item
    by its label); user-missing values (SPSS's "missing values", Stata's ``.a``–``.z``) are
    missing, and counted per column. Excel (openpyxl): the first sheet, the first row
    holds the column names; formulas give their cached values."""
    from themecoder.core.survey_data import SurveyDataError, csv_table

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SURVEY_FORMATS:
        raise UserError(f"{path.name}: unknown survey data format {suffix or '(none)'!r}; use "
                        f"{', '.join(SURVEY_FORMATS)}")
    if not path.is_file():
        raise UserError(f"{path.name}: file not found")
    if suffix == ".csv":
        try:
            return csv_table(path)
        except SurveyDataError as exc:
            raise UserError(str(exc)) from None
    if suffix == ".xlsx":
        return _xlsx_table(path)
    return _readstat_table(path, suffix)


def _readstat_table(path: Path, suffix: str):
    import math

    import pyreadstat

    from themecoder.core.survey_data import SurveyTable

    reader = pyreadstat.read_dta if suffix == ".dta" else pyreadstat.read_sav
    try:
        # user_missing=True: the codes come as they are, and meta says which are missing
        data, meta = reader(str(path), user_missing=True, output_format="dict")
    except Exception as exc:  # pyreadstat raises its own ReadstatError and friends
        kind = "Stata" if suffix == ".dta" else "SPSS"
        raise UserError(f"{path.name}: not a readable {kind} file ({type(exc).__name__})") from None
    columns = list(meta.column_names)
    ranges = getattr(meta, "missing_ranges", None) or {}
    user_values = getattr(meta, "missing_user_values", None) or {}
    missing: dict[str, int] = {}

    def is_missing(col: str, value) -> bool:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return False
        if isinstance(value, str) and suffix == ".dta":
            return len(value) == 1 and value.isalpha()  # Stata's .a - .z
        for r in ranges.get(col, []):
            lo, hi = (r["lo"], r["hi"]) if isinstance(r, dict) else (r.lo, r.hi)
            try:
                if lo <= value <= hi:
                    return True
            except TypeError:
                continue
        return value in user_values.get(col, [])

    cols = [list(data[c]) for c in columns]
    n = len(cols[0]) if cols else 0
    rows = []
    for i in range(n):
        row = []
        for c, values in zip(columns, cols):
            v = values[i]
            if is_missing(c, v):
                missing[c] = missing.get(c, 0) + 1
                v = None
            elif isinstance(v, float) and math.isnan(v):
                v = None
            row.append(v)
        rows.append(row)
    labels = {c: str(lbl) for c, lbl in zip(columns, meta.column_labels or []) if lbl}
    value_labels = {c: {float(k): str(v) for k, v in (meta.variable_value_labels or {}).get(c, {}).items()
                        if isinstance(k, (int, float))}
                    for c in columns if (meta.variable_value_labels or {}).get(c)}
    return SurveyTable(path.name, columns, rows, list(range(2, n + 2)), labels=labels,
                       value_labels=value_labels, missing=missing)


def _xlsx_table(path: Path):
    import zipfile

    import openpyxl

    from themecoder.core.survey_data import SurveyTable

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UserError(f"{path.name}: not a readable Excel file ({type(exc).__name__})") from None
    try:
        sheet = book.worksheets[0]
        it = sheet.iter_rows(values_only=True)
        header = next(it, None)
        if header is None:
            raise UserError(f"{path.name}: the first sheet is empty")
        width = len(header)
        while width and (header[width - 1] is None or str(header[width - 1]).strip() == ""):
            width -= 1
        columns = [str(c).strip() if c is not None else "" for c in header[:width]]
        rows, lines = [], []
        for line, values in enumerate(it, start=2):
            cells = [None if v is None or (isinstance(v, str) and not v.strip()) else v
                     for v in list(values[:width]) + [None] * (width - len(values))]
            if all(v is None for v in cells):
                continue
            rows.append(cells)
            lines.append(line)
    finally:
        book.close()
    # a number typed as text in a Norwegian sheet has a decimal comma ("3,5")
    return SurveyTable(path.name, columns, rows, lines, decimal_comma=True)


__all__ = [
    "FORMATS", "PATH_SEPARATOR", "atomic_write", "write_text", "default_output", "pick_format",
    "place_text", "where_text", "citation", "quote_display", "quotes_markdown", "quotes_csv",
    "codebook_markdown", "codebook_csv", "table_note", "table_title", "read_survey_table",
    "SURVEY_FORMATS", "nest_quotes",
]
