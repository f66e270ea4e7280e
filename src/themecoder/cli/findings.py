"""Mixed methods: `findings` (import, compute, list, check, add, edit, delete), `link`, `unlink`,
`links`, `design`, `joint-display` and `report` (through io.export)."""
from __future__ import annotations

import argparse
from collections import Counter

from themecoder.cli.args import check_text_file, float_between, int_at_least
from themecoder.cli.common import (
    EXIT_ERROR,
    Commands,
    Option,
    allow_unreviewed_option,
    blind_option,
    emit_json,
    json_option,
    open_project,
    option,
    plural,
    project_argument,
    seen_coder,
)
from themecoder.cli.export import run_export_command
from themecoder.errors import UserError

commands = Commands()
register = commands.register
findings_cmd = commands.group(
    "findings", dest="findings_command", subparsers_kw={"metavar": "WHAT"},
    help="quantitative findings: import, compute from survey data, list, check, add, edit, delete",
    description="Quantitative findings stored in the project, numbered F1, F2 ... A finding is referred "
                "to by its number (F3 or 3), its id, or a text matching one finding's scale/comparison.")
OUTCOMES = "confirmation, expansion or discordance"
CHECK_RULES = """\
Recomputes each p value from the statistic and df (and from M, SD, n where given) and flags
a finding whose reported p does not match, whose numbers do not add up, or whose significance
decision flips. The rules, as statcheck (Nuijten et al. 2016) applies them:

  rounding   a value printed with k decimals stands for value +/- 0.5 * 10^-k: t = 2.51 is
             2.505-2.515, p = .02 is .015-.025. The reported p is consistent when its range
             meets the range of p values the rounded statistic allows. A p stored as a
             number is compared as a number (p = 0.00005 is fine; printed as p < .001).
  p = 0      a p reported as 0 (p = .00, p = .000) is an error: p is never 0; write p < .001.
  p < .05    p < .05, p < .01, p < .001, p > .05 and ns are read as the ranges they state.
  tails      --tails 1 (a 'tails' column or field in an import file) marks a one-tailed
             test: it is consistent when p matches the two-tailed p or half of it, and the
             decision is judged on the one-tailed p.
  decision   a decision error: the reported and the recomputed p fall on different sides
             of --alpha (p = .05 counts as significant).
  M, SD, n   for t-tests, t and df are recomputed from the printed means, SDs and group
             sizes (Student or Welch). A mismatch may also mean that the analysis n was
             smaller than the group n printed, when there were missing data.
  problems   an impossible value in an imported file (p = -.16) flags that finding only.
  warnings   a negative Cronbach's alpha or a negative corrected item-total correlation
             (a reverse-worded item not declared reverse) is shown as WARN (nb ADVARSEL).
  language   verdicts and notes in nb (decimal comma, minus sign, « ») or en: --lang,
             default the project's language. --json is the same in both: keys and numbers
             (each note as its key and values under "messages").

Exit status: 0 when no finding is flagged, 1 when at least one is (or on an error)."""


def finding_options(*, adding: bool) -> tuple[Option, ...]:
    """The fields of a finding; `findings add` needs --test."""
    return (
        option("--test", required=adding,
               help="t-test, welch, mann-whitney, pearson, spearman, descriptive or cronbach-alpha"),
        option("--instrument", help="e.g. QPS Nordic"),
        option("--scale", help="e.g. Støtte fra leder"),
        option("--comparison", help="e.g. 'med vs. uten brukererfaring'"),
        option("--variables", help="names separated by ';'"),
        option("--group", action="append", metavar="NAME:N:M:SD",
               help="a group with n, mean and SD (repeat for each group; replaces all groups)"),
        option("--statistic", help="t, U, r, rho or alpha as printed (\"-2.51\")"),
        option("--df", help="degrees of freedom"),
        option("--p", help="the exact p value, if known"),
        option("--p-reported", dest="p_reported", help="p as printed in the source: '.02', '< .001'"),
        option("--effect-size", dest="effect_size", help="e.g. 0.83"),
        option("--effect-label", dest="effect_label", help="d, g, r, rho, rank-biserial ..."),
        option("--n", help="total sample size"),
        option("--statement", help="the finding in words"),
        option("--source", choices=["reported", "computed"]),
        option("--tails", choices=["1", "2"],
               help="2 (two-tailed, the default) or 1: a one-tailed test, judged as statcheck does"),
    )


def finding_json(sf, lang: str, links: int = 0) -> dict:
    from themecoder.core.apa import format_finding, format_finding_runs, runs_to_text

    return {"number": sf.number, "label": sf.label, "title": sf.title, **sf.finding.to_dict(),
            "apa": format_finding(sf.finding, lang),
            "apa_text": runs_to_text(format_finding_runs(sf.finding, lang)),
            "small_n": sf.small_n, "links": links, "created": sf.created, "modified": sf.modified}


def print_import(result, verb: str) -> None:
    for sf in result.added:
        print(f"  + {sf.label:<4} {sf.title} ({sf.finding.test})")
    for sf in result.updated:
        print(f"  ~ {sf.label:<4} {sf.title} ({sf.finding.test})")
    print(f"{verb} {plural(result.total, 'findings')}: {result.summary()}")


def parse_group(text: str) -> dict:
    """``NAME:N:M:SD`` (empty parts allowed; the name may not contain ':')."""
    parts = text.rsplit(":", 3)
    if len(parts) != 4:
        raise UserError(f"--group takes NAME:N:MEAN:SD (empty parts allowed), not {text!r}")
    name, n, mean, sd = (p.strip() for p in parts)
    return {"name": name, "n": n or None, "mean": mean or None, "sd": sd or None}


FINDING_FIELDS = ("instrument", "scale", "comparison", "test", "statistic", "df", "p", "p_reported",
              "effect_size", "effect_label", "n", "statement", "source", "variables", "tails")


def finding_fields(args) -> dict:
    """The finding fields given on the command line ('' clears a field when editing)."""
    out = {}
    for name in FINDING_FIELDS:
        value = getattr(args, name, None)
        if value is not None:
            out[name] = value if value != "" else None
    if getattr(args, "group", None):
        out["groups"] = [parse_group(g) for g in args.group]
    return out


@findings_cmd.command(
    "import",
    project_argument,
    option("file", help="findings file (.csv or .yaml)"),
    help="import findings from a .csv or .yaml file",
    description="Formats: see the documentation of themecoder.core.quant. A finding whose "
                "id is already in the project is updated; its number and links are kept."
)
def cmd_findings_import(args) -> int:
    from themecoder.core.findings import import_findings_file

    check_text_file(args.file, "findings file")
    with open_project(args.project, args.coder) as project:
        result = import_findings_file(project, args.file)
        print_import(result, "imported")
        print_problems(result)
    return 0


def print_problems(result) -> None:
    """One line per finding that came in with an impossible value or could not be computed,
    and per warning (a negative alpha or item-total correlation, as SPSS warns)."""
    from themecoder.core.statcheck import check_finding

    for sf in result.added + result.updated + result.unchanged:
        for problem in sf.finding.problems:
            print(f"  ⚑ {sf.label} {sf.title}: {problem}")
        if sf.finding.test == "cronbach-alpha":
            for warning in check_finding(sf.finding).warnings:
                print(f"  ⚑ {sf.label} {sf.title}: {warning}")


@findings_cmd.command(
    "compute",
    project_argument,
    option("data", help="survey data, one row per respondent: .csv, SPSS .sav, Stata .dta or Excel .xlsx"),
    option("--scales", required=True, help="scoring key (scales.yaml)"),
    help="score a survey and store its findings (source 'computed')",
    description="Runs the scoring key over the data: descriptives and Cronbach's alpha per "
                "scale, the comparisons and correlations it names. Re-running after a data "
                "correction updates the same findings (stable ids). SPSS and Stata files keep "
                "their value labels (a group may be 'where: brukererfaring == ja'), their "
                "user-missing values count as missing, and the scoring key may name an item by "
                "its variable label. A comparison that cannot be computed (a group with fewer "
                "than 2 answers) is stored flagged, and the rest is computed."
)
def cmd_findings_compute(args) -> int:
    from themecoder.core.findings import compute_survey_findings
    from themecoder.io.tabular import read_survey_table

    if str(args.data).lower().endswith((".csv", ".txt")):  # .sav .dta .xlsx are binary by nature
        check_text_file(args.data, "survey data")
    check_text_file(args.scales, "--scales")
    table = read_survey_table(args.data)
    with open_project(args.project, args.coder) as project:
        result = compute_survey_findings(project, table, args.scales)
        print_import(result, "computed")
        print_problems(result)
    return 0


@findings_cmd.command(
    "list",
    project_argument,
    json_option,
    option("--lang", choices=["nb", "en"], help="APA style: nb (decimal comma) or en (default: project)"),
    help="list findings with their APA result"
)
def cmd_findings_list(args) -> int:
    from themecoder.core.apa import format_finding_runs, runs_to_text
    from themecoder.core.findings import checks_by_id, list_findings, list_links
    from themecoder.io.export import export_lang
    from themecoder.io.report_check import flag_runs, runs_text

    with open_project(args.project) as project:
        lang = export_lang(project, args.lang)
        stored = list_findings(project)
        n_links = Counter(link.finding_id for link in list_links(project))
        checks = checks_by_id(project) if stored else {}
        if args.json:
            emit_json([{**finding_json(sf, lang, n_links.get(sf.id, 0)),
                        "flagged": checks[sf.id].flagged, "status": checks[sf.id].status,
                        "flag": runs_text(flag_runs(checks[sf.id], lang))} for sf in stored])
            return 0
        for sf in stored:
            links = n_links.get(sf.id, 0)
            extra = f", {links} link{'s' if links != 1 else ''}" if links else ""
            print(f"{sf.label:<4} {sf.title}  [{sf.finding.test}, {sf.finding.source}{extra}]")
            apa = runs_to_text(format_finding_runs(sf.finding, lang))
            if apa:
                print(f"     {apa}" + ("  ⚠ n ≤ 5" if sf.small_n else ""))
            flag = runs_text(flag_runs(checks.get(sf.id), lang))
            if flag:
                print(f"     {flag}")
        print(f"{plural(len(stored), 'findings')}")
    return 0


@findings_cmd.command(
    "check",
    project_argument,
    json_option,
    option("--alpha", type=float_between(0, 1, open_low=True), default=0.05, help="significance level (default .05)"),
    option("--lang", choices=["nb", "en"],
           help="language of the verdicts and notes: nb (decimal comma, minus sign, « ») or en "
                "(default: the project's language, as exports; --json is the same in both)"),
    help="recompute p values and flag inconsistent findings (statcheck-style)",
    description=CHECK_RULES,
    formatter_class=argparse.RawDescriptionHelpFormatter,
)
def cmd_findings_check(args) -> int:
    from themecoder.core.findings import check_project_findings
    from themecoder.io.export import export_lang

    with open_project(args.project) as project:
        lang = export_lang(project, args.lang)
        checked = check_project_findings(project, alpha=args.alpha)
    flagged = [c for c in checked if c.flagged]
    if args.json:
        emit_json([{"number": c.finding.number, "label": c.finding.label, "id": c.finding.id,
                    "title": c.finding.title, "status": c.status, "flagged": c.flagged,
                    "consistent": c.result.consistent, "decision_error": c.result.decision_error,
                    "checked": c.result.checked, "recomputed_p": c.result.recomputed_p,
                    "recomputed_range": c.result.recomputed_range, "reported_p": c.result.reported_p,
                    "recomputed_from": c.result.recomputed_from, "issues": c.result.issues,
                    "warnings": c.result.warnings, "tails": c.finding.finding.tails,
                    "note": c.result.note, "messages": [message_json(m) for m in c.result.messages]}
                   for c in checked])
    else:
        for line in check_lines(checked, lang, args.alpha):
            print(line)
    return EXIT_ERROR if flagged else 0


def message_json(msg) -> dict:
    """A note of the check without words: its i18n key (``statcheck.<key>``) and its values
    as numbers (a statistic as symbol, df and the value as printed; a p range as [lo, hi])."""
    import dataclasses

    from themecoder.core.survey_findings import json_safe

    def value(v):
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return {k: x for k, x in dataclasses.asdict(v).items() if k != "text"}
        return v
    return {"key": msg.key, "issue": msg.issue,
            "values": json_safe({k: value(v) for k, v in msg.args.items()})}


def check_lines(checked, lang: str, alpha: float = 0.05) -> list[str]:
    """`findings check` as text in ``lang``: per finding its verdict, label and title, then
    the notes (worded by io.report_check, the one place a note is worded per language), and
    a closing count."""
    from themecoder.core.apa import format_number
    from themecoder.core.statcheck import decimals_of
    from themecoder.io.i18n import format_int, quote_marks, t
    from themecoder.io.report_check import check_runs, runs_text

    statuses = ("ok", "not-checked", "inconsistent", "decision-error", "warning")
    words = {s: t("findings_check.status." + s, lang) for s in statuses}
    width = max(len(w) for w in words.values())
    lq, rq = quote_marks(lang)
    lines = []
    if abs(alpha - 0.05) > 1e-12:
        lines.append(t("findings_check.alpha", lang,
                       alpha=format_number(alpha, decimals_of(alpha), lang, leading_zero=False)))
    for c in checked:
        lines.append(f"{words[c.status]:<{width}} {c.finding.label:<4} {lq}{c.finding.title}{rq}")
        if c.status != "not-checked" or c.result.issues:
            lines.append(" " * (width + 1) + runs_text(check_runs(c.result, lang)))

    def count(n: int) -> str:
        return format_int(n, lang)
    n = len(checked)
    lines.append(t("findings_check.summary", lang,
                   findings=t("findings_check.findings_one" if n == 1 else "findings_check.findings_many",
                              lang, n=count(n)),
                   ok=count(sum(c.status == "ok" for c in checked)),
                   flagged=count(sum(c.flagged for c in checked)),
                   decision=count(sum(c.result.decision_error for c in checked)),
                   unchecked=count(sum(c.status == "not-checked" for c in checked))))
    return lines


@findings_cmd.command(
    "add",
    project_argument,
    *finding_options(adding=True),
    help="add a finding by hand (one undoable action)"
)
def cmd_findings_add(args) -> int:
    from themecoder.core.findings import add_finding

    fields = {k: v for k, v in finding_fields(args).items() if v is not None}
    with open_project(args.project, args.coder) as project:
        sf = add_finding(project, fields)
        print(f"added {sf.label}: {sf.title}")
    return 0


@findings_cmd.command(
    "edit",
    project_argument,
    option("finding", help="F3, 3, id or scale"),
    *finding_options(adding=False),
    help="change fields of a finding ('' clears a field)"
)
def cmd_findings_edit(args) -> int:
    from themecoder.core.findings import update_finding

    fields = finding_fields(args)
    if not fields:
        raise UserError("nothing to change: give the fields to set (e.g. --p-reported .03)")
    with open_project(args.project, args.coder) as project:
        sf = update_finding(project, args.finding, **fields)
        print(f"changed {sf.label}: {', '.join(sorted(fields))}")
    return 0


@findings_cmd.command(
    "delete",
    project_argument,
    option("finding", help="F3, 3, id or scale"),
    help="delete a finding and its links (undo brings them back)"
)
def cmd_findings_delete(args) -> int:
    from themecoder.core.findings import delete_finding

    with open_project(args.project, args.coder) as project:
        sf = delete_finding(project, args.finding)
        print(f"deleted {sf.label}: {sf.title} (undo brings it back)")
    return 0


@commands.command(
    "link",
    project_argument,
    option("--theme", required=True, help="theme or subtheme: name, 'Theme › Subtheme' or id"),
    option("--finding", required=True, help="F3, 3, id or scale"),
    option("--outcome", help=OUTCOMES),
    option("--text", help="the meta-inference: what the two strands say together"),
    help="link a theme to a finding with an outcome and a meta-inference",
    description=f"Outcome: {OUTCOMES} (Fetters, Curry & Creswell 2013; Norwegian "
                "bekreftelse, utvidelse, uoverensstemmelse also work). Linking again "
                "changes the outcome and, with --text, the meta-inference."
)
def cmd_link(args) -> int:
    from themecoder.core import resolve
    from themecoder.core.findings import find_finding, get_link, link_theme

    with open_project(args.project, args.coder) as project:
        theme = resolve.theme(project, args.theme)
        sf = find_finding(project, args.finding)
        outcome = args.outcome
        if outcome is None:
            existing = get_link(project, theme.id, sf.id)
            if existing is None:
                raise UserError("a new link needs --outcome confirmation, expansion or discordance")
            outcome = existing.outcome
        link = link_theme(project, theme.id, sf.id, outcome, args.text)
        print(f"linked «{theme.name}» ↔ {sf.label} {sf.title}: {link.outcome}")
    return 0


@commands.command(
    "unlink",
    project_argument,
    option("--theme", required=True),
    option("--finding", required=True),
    help="remove the link between a theme and a finding"
)
def cmd_unlink(args) -> int:
    from themecoder.core import resolve
    from themecoder.core.findings import unlink_theme

    with open_project(args.project, args.coder) as project:
        done = unlink_theme(project, resolve.theme(project, args.theme).id, args.finding)
        print("unlinked" if done else "there was no such link")
    return 0


@commands.command(
    "links",
    project_argument,
    json_option,
    help="list the links between themes and findings"
)
def cmd_links(args) -> int:
    from themecoder.core import views
    from themecoder.core.findings import get_finding, list_links

    with open_project(args.project) as project:
        paths = views.theme_paths(project)
        rows = []
        for link in list_links(project):
            sf = get_finding(project, link.finding_id)
            rows.append((link, sf, paths.get(link.theme_id, link.theme_id)))
        if args.json:
            emit_json([{"id": lk.id, "theme_id": lk.theme_id, "theme": path, "finding_id": lk.finding_id,
                        "finding": sf.label, "finding_title": sf.title, "outcome": lk.outcome,
                        "meta_inference": lk.meta_inference, "created": lk.created, "modified": lk.modified}
                       for lk, sf, path in rows])
            return 0
        for lk, sf, path in rows:
            print(f"{path}  ↔  {sf.label} {sf.title}  [{lk.outcome}]")
            if lk.meta_inference:
                print(f"    {lk.meta_inference}")
        print(f"{plural(len(rows), 'links')}")
    return 0


@commands.command(
    "design",
    project_argument,
    option("design", nargs="?", help="convergent | explanatory-sequential | exploratory-sequential"),
    option("--clear", action="store_true", help="forget the design"),
    help="show or set the mixed-methods design",
    description="convergent, explanatory-sequential or exploratory-sequential "
                "(Creswell & Plano Clark). Without a design: show the current one."
)
def cmd_design(args) -> int:
    from themecoder.core.findings import get_design, set_design

    with open_project(args.project, args.coder) as project:
        if args.clear:
            set_design(project, None)
            print("design cleared")
        elif args.design:
            print(f"design: {set_design(project, args.design)}")
        else:
            print(f"design: {get_design(project) or '(not set)'}")
    return 0


@commands.command(
    "joint-display",
    project_argument,
    json_option,
    blind_option,
    option("--lang", choices=["nb", "en"]),
    option("--subthemes", action="store_true", help="a row for every subtheme (default: linked ones)"),
    option("--max-quotes", type=int_at_least(0, "--max-quotes"), default=3, help="quotes per theme (default 3)"),
    help="the joint display as text or JSON: themes, quotes, linked findings"
)
def cmd_joint_display(args) -> int:
    from themecoder.core.apa import format_finding_runs, runs_to_text
    from themecoder.core.findings import checks_by_id, joint_display
    from themecoder.io.export import export_lang
    from themecoder.io.report_check import flag_runs, runs_text
    from themecoder.io.tabular import citation, quote_display

    with open_project(args.project, args.coder) as project:
        lang = export_lang(project, args.lang)
        jd = joint_display(project, include_subthemes=args.subthemes, max_quotes=args.max_quotes,
                           coder=seen_coder(project, args))
        checks = checks_by_id(project) if jd.findings else {}

        def flag(sf) -> str:
            return runs_text(flag_runs(checks.get(sf.id), lang))
        if args.json:
            emit_json({"design": jd.design, "participants": jd.participants, "rows": [{
                "theme_id": r.theme.id, "theme": r.path, "level": r.level,
                "participants": r.participants, "n_participants": r.n_participants,
                "codings": r.codings, "small_n": r.small_n,
                "quotes": [{"coding_id": q.coding.id, "text": quote_display(q, lang, marks=False),
                            "participant": q.participant, "document": q.document,
                            "citation": citation(q, lang), "key": q.coding.id == r.key_coding_id}
                           for q in r.quotes],
                "findings": [{"finding": e.finding.label, "finding_id": e.finding.id,
                              "title": e.finding.title,
                              "apa": runs_to_text(format_finding_runs(e.finding.finding, lang)),
                              "outcome": e.outcome, "meta_inference": e.meta_inference,
                              "small_n": e.finding.small_n, "flag": flag(e.finding),
                              "tails": e.finding.finding.tails}
                             for e in r.entries],
            } for r in jd.rows]})
            return 0
        print(f"design: {jd.design or '(not set)'}")
        for r in jd.rows:
            warn = "  ⚠ n ≤ 5" if r.small_n else ""
            print(f"\n{r.path}  ({plural(r.n_participants, 'participants')}, {plural(r.codings, 'codings')}){warn}")
            for q in r.quotes:
                print(f"    {quote_display(q, lang)} ({citation(q, lang)})")
            for e in r.entries:
                apa = runs_to_text(format_finding_runs(e.finding.finding, lang))
                print(f"  ↔ {e.finding.label} {e.finding.title}: {apa}  [{e.outcome}]")
                if flag(e.finding):
                    print(f"      {flag(e.finding)}")
                if e.meta_inference:
                    print(f"      {e.meta_inference}")
    return 0


@commands.command(
    "report",
    project_argument,
    option("-o", "--output", help="output file: .docx, .md or .html"),
    option("--format", help="docx, md or html (default: from -o, else docx)"),
    option("--lang", choices=["nb", "en"], help="language and typography (default: the project's, nb)"),
    option("--layout", choices=["side-by-side", "stats-by-themes"], default="side-by-side",
    help="joint display: a row per theme (default) or a row per finding"),
    option("--subthemes", action="store_true", help="a joint-display row for every subtheme"),
    option("--max-quotes", type=int_at_least(0, "--max-quotes"), default=3, help="quotes per theme (default 3)"),
    option("--no-check", action="store_true", help="leave out the consistency check"),
    allow_unreviewed_option,
    help="the mixed-methods report (.docx, .md, .html): design, joint display, themes, findings",
    description="Design, the joint display table, a figure of themes per participant, each theme's "
                "analytic text and quotes, the findings table and the consistency check. Without -o the "
                "report goes to exports/<project>-rapport.docx beside the project. Cells resting on "
                "five or fewer participants are marked ⚠ n ≤ 5. Written atomically."
)
def cmd_report(args) -> int:
    from themecoder.io.export import ExportOptions

    return run_export_command(args, "report", ExportOptions(
        layout=args.layout, include_subthemes=args.subthemes, max_quotes=args.max_quotes,
        check=not args.no_check))
