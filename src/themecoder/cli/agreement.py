"""Intercoder agreement (issue 12): `agreement`, `blind`, and `merge` (registered on its own).

    themecoder agreement P --coders A B [--unit sentence|turn|character] [--doc D ...] [--code C ...]
                         [--min-overlap 0.9] [--json] [-o agreement.docx|md|csv] [--disagreements]
    themecoder blind P on|off          coders are blind until agreement is computed
    themecoder merge P OTHER.themecoder
"""
from __future__ import annotations

from themecoder.cli.common import (
    Commands,
    allow_unreviewed_option,
    emit_json,
    json_option,
    open_project,
    option,
    project_argument,
)

commands = Commands()
register = commands.register
merge_commands = Commands()
register_merge = merge_commands.register


def _request(args) -> dict:
    return {"coders": args.coders, "unit": args.unit, "documents": args.doc or None,
            "codes": args.code or None, "min_overlap": args.min_overlap}


@commands.command(
    "agreement", project_argument,
    option("--coders", nargs="+", required=True, metavar="CODER", help="two or more coders (names as in the log)"),
    option("--unit", choices=["sentence", "turn", "character"], default="sentence",
           help="unit of analysis (default: sentence, from the project's sentence index)"),
    option("--doc", action="append", metavar="DOC",
           help="only this document (title or id); repeatable (default: every document the coders coded)"),
    option("--code", action="append", metavar="CODE",
           help="only this code; repeatable (default: every code the coders used there)"),
    option("--min-overlap", type=float, default=0.9, metavar="SHARE",
           help="segment agreement: the overlap a matching segment needs (0.9 or 90, default 0.9)"),
    option("--disagreements", action="store_true",
           help="list the disagreements instead (with -o: write the list, .csv or .md)"),
    option("-o", "--output", help="write the report: .docx, .md or .csv (an APA table and the method)"),
    option("--format", help="docx, md or csv (default: from the -o suffix)"),
    option("--lang", choices=["nb", "en"], help="language of the report (default: the project's, nb)"),
    allow_unreviewed_option,
    json_option,
    help="intercoder agreement: percent, Cohen's/Fleiss' kappa, Krippendorff's alpha, segments",
    description="Agreement between coders per code and overall. Each unit (sentence, turn or "
                "character) is rated coded/not coded per code and coder. Undefined coefficients "
                "(everyone gave every unit the same value) are reported as undefined, never NaN. "
                "When the project keeps coders blind until agreement is computed, this lifts it.")
def cmd_agreement(args) -> int:
    from themecoder.core import agreement, blind

    with open_project(args.project, args.coder) as project:
        if args.output or args.format:
            from themecoder.io.export import ExportOptions, run_export

            kind = "disagreements" if args.disagreements else "agreement"
            opts = ExportOptions(fmt=args.format, lang=args.lang, allow_unreviewed=args.allow_unreviewed,
                                 agreement=_request(args))
            result = run_export(project, kind, args.output, opts)
            for line in result.lines():
                print(line)
            blind.record_computed(project)
            return 0
        res = agreement.compute(project, **_request(args))
        lifted = blind.record_computed(project)
        if args.disagreements:
            from themecoder.core.consensus import disagreements

            items = disagreements(project, res)
            if args.json:
                emit_json([d.as_json() for d in items])
                return 0
            for d in items:
                print(f"{d.code} · {d.document} [{d.start}, {d.end}) coded by {', '.join(d.coded_by)}, "
                      f"not by {', '.join(d.not_coded_by)}" + (f" · settled: {d.decision}" if d.decision else ""))
                print(f"    «{' '.join(d.text.split())[:200]}»")
            print(f"{len(items)} disagreements")
            return 0
        if args.json:
            emit_json(res.as_json())
            return 0
        _print(res)
        if lifted:
            print("coders are no longer blind: agreement has been computed")
    return 0


def _print(res) -> None:
    from themecoder.core.agreement import format_value

    print(f"coders {', '.join(res.coders)} · unit: {res.unit} · {len(res.documents)} documents")
    kappa_name = "kappa" if len(res.coders) == 2 else "Fleiss"
    print(f"{'code':<36} {'units':>7} {'agree':>6} {kappa_name:>9} {'alpha [95% CI]':>24} {'segments':>9}")
    for r in [*res.codes, res.overall]:
        c = r.coefficients
        ci = f" [{c.alpha_ci[0]:.2f}, {c.alpha_ci[1]:.2f}]" if c.alpha_ci else ""
        seg = r.segments.get("percent")
        print(f"{r.code[:36]:<36} {c.units:>7} {format_value(c.percent, None):>6} "
              f"{format_value(c.kappa, c.kappa_note):>9} {format_value(c.alpha, c.alpha_note) + ci:>24} "
              f"{format_value(seg, None):>9}")
    notes = sorted({n for r in [*res.codes, res.overall] for n in (r.coefficients.kappa_note,) if n})
    for n in notes:
        print(f"  kappa/alpha {n}")


@commands.command(
    "blind", project_argument, option("state", choices=["on", "off"]),
    help="keep coders blind to each other's codings until agreement is computed (on|off)")
def cmd_blind(args) -> int:
    from themecoder.core import blind

    with open_project(args.project, args.coder) as project:
        blind.set_blind_until_agreement(project, args.state == "on")
        print("coders are blind until agreement is computed" if args.state == "on"
              else "coders see each other's codings")
    return 0


@merge_commands.command(
    "merge", project_argument, option("other", help="the other copy (*.themecoder), read only"),
    json_option,
    help="bring in another copy's codings (with their coder), codes, themes, mappings and memos: "
         "one undoable action",
    description="Documents are matched by content, codes by label, themes by their path of names "
                "(case ignored); codings and memos already here are skipped. A theme's texts fill "
                "empty ones here; where both differ ours is kept and the summary says so. Memos keep "
                "their author and dates. Reviews and review history are NOT merged. "
                "`themecoder undo` reverts the whole merge.")
def cmd_merge(args) -> int:
    from themecoder.core.merge import merge

    with open_project(args.project, args.coder) as project:
        result = merge(project, args.other)
    if args.json:
        emit_json(result.as_json())
    else:
        print(result.summary())
    return 0
