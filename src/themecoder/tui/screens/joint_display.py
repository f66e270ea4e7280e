"""The joint display (Fetters, Curry & Creswell 2013): each theme beside the quantitative
findings it speaks to, with the outcome of the comparison and the meta-inference.

One table row per theme and linked finding (a theme without links has one row); the panel
on the right shows the highlighted row in full: the theme's quotes, its participants and
codings (⚠ n ≤ 5 where the cell rests on five or fewer), the finding in APA form, the
outcome and the meta-inference. A finding the consistency check flags carries ⚑ in the
table and the reason in the panel, in the project's language.

Keys: a link the theme to a finding (or enter a new one), o outcome, e meta-inference,
x remove the link, f enter a finding in a form, u correct the highlighted finding,
d design, s subthemes on/off, Enter edits the meta-inference (or links, on a theme without
links). Every change is one action: ctrl+z undoes it.
"""
from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Header, Label, Static

from themecoder.core import findings as F
from themecoder.core import resolve
from themecoder.core.apa import format_finding_runs, runs_to_text
from themecoder.core.text import plural
from themecoder.tui.dialogs.joint_confirm import JointConfirm
from themecoder.tui.dialogs.joint_design_chooser import JointDesignChooser
from themecoder.tui.dialogs.joint_finding_chooser import NEW_FINDING, JointFindingChooser
from themecoder.tui.dialogs.joint_finding_form import JointFindingForm
from themecoder.tui.dialogs.joint_meta_inference_editor import JointMetaInferenceEditor
from themecoder.tui.dialogs.joint_outcome_chooser import JointOutcomeChooser
from themecoder.tui.screens.base import WorkbenchScreen
from themecoder.tui.widgets.key_footer import KeyFooter
from themecoder.tui.widgets.status_bar import StatusBar

OUTCOME_STYLE = {"confirmation": "green", "expansion": "cyan", "discordance": "magenta"}
WARN = "⚠ n ≤ 5"


def apa_text(sf: F.StoredSurveyFinding, lang: str = "nb") -> str:
    return runs_to_text(format_finding_runs(sf.finding, lang))  # a one-tailed p says so (core.apa)


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def flag_text(checked, lang: str) -> str:
    """``⚑ Inkonsistent: <reason>`` for a flagged finding, else ''."""
    from themecoder.io.report_check import flag_runs, runs_text

    return runs_text(flag_runs(checked, lang))


def _apa_rich(sf: F.StoredSurveyFinding, lang: str = "nb") -> Text:
    text = Text()
    for part, italic in format_finding_runs(sf.finding, lang):
        text.append(part, style="italic" if italic else "")
    return text


class JointDisplayScreen(WorkbenchScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=True),
        Binding("a", "add_link", "Link finding", show=True),
        Binding("o", "outcome", "Outcome", show=True),
        Binding("e", "meta", "Meta-inference", show=True),
        Binding("x,delete", "remove_link", "Unlink", show=True),
        Binding("f", "new_finding", "New finding", show=True),
        Binding("u", "edit_finding", "Correct finding", show=False),
        Binding("d", "design", "Design", show=True),
        Binding("s", "toggle_subthemes", "Subthemes", show=False),
    ]
    DEFAULT_CSS = """
    JointDisplayScreen #jd-title { padding: 0 1; height: 1; width: 1fr; text-style: bold; }
    JointDisplayScreen #jd-body { height: 1fr; }
    JointDisplayScreen #jd-table { width: 1fr; height: 1fr; }
    JointDisplayScreen #jd-side { width: 50; max-width: 45%; height: 1fr; border-left: solid $primary-darken-2; }
    JointDisplayScreen #jd-detail { padding: 0 1; height: auto; }
    """

    def __init__(self, app=None) -> None:
        super().__init__()
        self.include_subthemes = False
        self.jd: F.JointDisplay | None = None
        self.keys: list[tuple[str, str | None]] = []   # per table row: (theme id, link id or None)
        self.checks: dict = {}                          # finding id: its consistency check
        self.lang = "nb"

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        yield Label("", id="jd-title")
        with Horizontal(id="jd-body"):
            yield DataTable(id="jd-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="jd-side"):
                yield Static("", id="jd-detail")
        yield StatusBar()
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = "Joint display"
        self.sub_title = self.app.project.name
        lang = self.app.project.setting("language", "nb")
        self.lang = lang if lang in ("nb", "en") else "nb"
        table = self.query_one(DataTable)
        table.add_column("Theme", key="theme")
        table.add_column("Qual.", key="n")
        table.add_column("Finding", key="finding")
        table.add_column("Outcome", key="outcome")
        table.add_column("Meta-inference", key="meta")
        self.refresh_data()
        table.focus()

    # -- data ------------------------------------------------------------------------------
    def refresh_data(self) -> None:
        project = self.app.project
        table = self.query_one(DataTable)
        current = self.current_key()
        jd = F.joint_display(project, include_subthemes=self.include_subthemes, coder=self.app.visible_coder)
        self.jd = jd
        self.checks = F.checks_by_id(project) if jd.findings else {}
        table.clear()
        self.keys = []
        for row in jd.rows:
            name = Text(("  " * row.level) + row.theme.name, style="bold" if row.level == 0 else "")
            n = Text(f"{row.n_participants}/{row.codings}", style="yellow" if row.small_n else "")
            if row.small_n:
                n.append(" ⚠", style="bold yellow")
            entries = row.entries or [None]
            for i, e in enumerate(entries):
                first = i == 0
                if e is None:
                    cells = [name, n, Text("–", style="dim"), Text(""), Text("a: link a finding", style="dim")]
                else:
                    finding = Text(f"{e.finding.label} ", style="bold")
                    checked = self.checks.get(e.finding.id)
                    if checked is not None and checked.flagged:
                        finding.append("⚑ ", style="bold red")
                    finding.append(_clip(e.finding.title, 30))
                    meta = " ".join(e.meta_inference.split())
                    cells = [name if first else Text(""), n if first else Text(""), finding,
                             Text(e.outcome, style=OUTCOME_STYLE.get(e.outcome, "")),
                             Text(_clip(meta, 60) if meta else "–",
                                  style="" if meta else "dim")]
                key = (row.theme.id, e.link.id if e else None)
                self.keys.append(key)
                table.add_row(*cells, key=f"{key[0]}|{key[1] or ''}")
        design = jd.design or "not set (d)"
        linked = sum(1 for r in jd.rows if r.entries)
        self.query_one("#jd-title", Label).update(
            f"Design: {design} · {plural(len(jd.rows), 'themes')}, {linked} linked · "
            f"{plural(len(jd.findings), 'findings')}, {plural(len(jd.links), 'links')}" + (" · subthemes shown" if self.include_subthemes else ""))
        if self.keys:
            index = self.keys.index(current) if current in self.keys else (
                next((i for i, k in enumerate(self.keys) if current and k[0] == current[0]), 0))
            table.move_cursor(row=min(index, len(self.keys) - 1))
        self._show_detail()

    def current_key(self) -> tuple[str, str | None] | None:
        table = self.query_one(DataTable)
        if not self.keys or table.cursor_row is None or table.cursor_row >= len(self.keys):
            return None
        return self.keys[table.cursor_row]

    def current(self) -> tuple[F.JointRow | None, F.JointEntry | None]:
        key = self.current_key()
        if key is None or self.jd is None:
            return None, None
        theme_id, link_id = key
        row = next((r for r in self.jd.rows if r.theme.id == theme_id), None)
        entry = next((e for e in row.entries if e.link.id == link_id), None) if row and link_id else None
        return row, entry

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row, entry = self.current()
        if entry is not None:
            self.action_meta()
        elif row is not None:
            self.action_add_link()

    def _show_detail(self) -> None:
        from themecoder.io.tabular import citation, quote_display

        detail = self.query_one("#jd-detail", Static)
        row, entry = self.current()
        if row is None:
            detail.update(Text("No themes yet: group codes into themes first (T).", style="dim"))
            return
        text = Text()
        text.append(row.path + "\n", style="bold")
        text.append(f"{row.n_participants} participants, {row.codings} codings",
                    style="yellow" if row.small_n else "")
        if row.small_n:
            text.append(f"  {WARN}", style="bold yellow")
        text.append("\n")
        if row.theme.analytic_text or row.theme.description:
            text.append((row.theme.analytic_text or row.theme.description).strip() + "\n", style="dim")
        text.append("\n")
        for q in row.quotes:
            key = " ★" if q.coding.id == row.key_coding_id else ""
            text.append(quote_display(q, self.lang) + "\n")
            text.append(f"  ({citation(q, self.lang)}){key}\n", style="dim")
        if entry is not None:
            sf = entry.finding
            text.append("\n")
            text.append(f"{sf.label} ", style="bold")
            text.append(sf.title + "\n")
            if sf.finding.statement:
                text.append(sf.finding.statement + "\n", style="dim")
            text.append_text(_apa_rich(sf, self.lang))
            if sf.small_n:
                text.append(f"  {WARN}", style="bold yellow")
            flag = flag_text(self.checks.get(sf.id), self.lang)
            if flag:
                text.append("\n" + flag, style="bold red")
            text.append("\n\nOutcome: ", style="bold")
            text.append(entry.outcome + "\n", style=OUTCOME_STYLE.get(entry.outcome, ""))
            text.append("Meta-inference: ", style="bold")
            text.append(entry.meta_inference or "– (e to write it)")
        elif not row.entries:
            text.append("\nNo linked finding: a links one.", style="dim")
        detail.update(text)

    # -- actions ---------------------------------------------------------------------------
    def _findings_for_chooser(self) -> list[tuple[F.StoredSurveyFinding, str]]:
        return [(sf, " ".join(x for x in (apa_text(sf, self.lang),
                                          flag_text(self.checks.get(sf.id), self.lang)) if x))
                for sf in F.list_findings(self.app.project)]

    def action_add_link(self) -> None:
        row, _ = self.current()
        if row is None:
            return
        theme_id = row.theme.id
        linked = {e.finding.id for e in row.entries}

        def chosen(finding_id: str | None) -> None:
            if finding_id is None:
                return
            if finding_id == NEW_FINDING:
                self.app.push_screen(JointFindingForm(f"New finding for «{row.theme.name}»"), entered)
                return
            ask_outcome(finding_id)

        def entered(finding) -> None:
            if finding is None:
                return
            stored = self.app.act(F.add_finding, finding, done="Finding added.")
            if stored is not None:
                ask_outcome(stored.id)

        def ask_outcome(finding_id: str) -> None:
            self.app.push_screen(JointOutcomeChooser(f"Outcome: «{row.theme.name}» and the finding"),
                                 lambda outcome: outcome and ask_text(finding_id, outcome))

        def ask_text(finding_id: str, outcome: str) -> None:
            sf = F.get_finding(self.app.project, finding_id)
            context = f"{row.path}  ↔  {sf.label} {sf.title}: {apa_text(sf, self.lang)}  [{outcome}]"
            self.app.push_screen(
                JointMetaInferenceEditor("Meta-inference: what do the two strands say together?", "", context),
                lambda text: save(finding_id, outcome, text))

        def save(finding_id: str, outcome: str, text: str | None) -> None:
            link = self.app.act(F.link_theme, theme_id, finding_id, outcome, text or "",
                                done="Linked.")
            if link is not None:
                self._select(theme_id, link.id)

        self.app.push_screen(JointFindingChooser(f"Link «{row.theme.name}» to a finding",
                                                 self._findings_for_chooser(), exclude=linked), chosen)

    def action_outcome(self) -> None:
        row, entry = self.current()
        if entry is None:
            self.notify("Highlight a linked finding first (a links one).", timeout=3)
            return
        link_id = entry.link.id

        def chosen(outcome: str | None) -> None:
            if outcome and outcome != entry.outcome:
                self.app.act(F.update_link, link_id, outcome=outcome, done=f"Outcome: {outcome}.")

        self.app.push_screen(JointOutcomeChooser(f"Outcome: «{row.theme.name}» ↔ {entry.finding.label}",
                                                 entry.outcome), chosen)

    def action_meta(self) -> None:
        row, entry = self.current()
        if entry is None:
            self.notify("Highlight a linked finding first (a links one).", timeout=3)
            return
        link_id = entry.link.id
        context = (f"{row.path}  ↔  {entry.finding.label} {entry.finding.title}: "
                   f"{apa_text(entry.finding, self.lang)}  [{entry.outcome}]")

        def save(text: str | None) -> None:
            if text is not None and text != entry.meta_inference:
                self.app.act(F.update_link, link_id, meta_inference=text, done="Meta-inference saved.")

        self.app.push_screen(JointMetaInferenceEditor("Meta-inference", entry.meta_inference, context), save)

    def action_remove_link(self) -> None:
        row, entry = self.current()
        if entry is None:
            return
        link_id = entry.link.id

        def answer(yes: bool) -> None:
            if yes:
                self.app.act(F.delete_link, link_id, done="Link removed (ctrl+z brings it back).")

        self.app.push_screen(JointConfirm(f"Remove the link «{row.theme.name}» ↔ {entry.finding.label}?"), answer)

    def action_new_finding(self) -> None:
        def entered(finding) -> None:
            if finding is not None:
                stored = self.app.act(F.add_finding, finding)
                if stored is not None:
                    self.notify(f"{stored.label} added: {stored.title}. a links it to a theme.", timeout=4)

        self.app.push_screen(JointFindingForm("New quantitative finding"), entered)

    def action_edit_finding(self) -> None:
        _, entry = self.current()
        if entry is None:
            self.notify("Highlight a linked finding to correct it.", timeout=3)
            return
        finding_id = entry.finding.id

        def entered(finding) -> None:
            if finding is not None:
                self.app.act(F.replace_finding, finding_id, finding, done="Finding corrected.")

        self.app.push_screen(JointFindingForm(f"Correct {entry.finding.label}", entry.finding.finding), entered)

    def action_design(self) -> None:
        current = F.get_design(self.app.project)

        def chosen(design: str | None) -> None:
            if design and design != current:
                self.app.act(F.set_design, design, done=f"Design: {design}.")

        self.app.push_screen(JointDesignChooser("Mixed-methods design", current), chosen)

    def action_toggle_subthemes(self) -> None:
        self.include_subthemes = not self.include_subthemes
        self.refresh_data()

    def action_back(self) -> None:
        self.app.pop_screen()

    def _select(self, theme_id: str, link_id: str | None) -> None:
        key = (theme_id, link_id)
        if key in self.keys:
            self.query_one(DataTable).move_cursor(row=self.keys.index(key))

    def select_theme(self, theme_ref: str) -> None:
        """Move the cursor to a theme's first row (by id, name or path, as core.resolve reads
        them). A subtheme has no row while subthemes are hidden."""
        if self.jd is None:
            return
        theme = resolve.theme(self.app.project, theme_ref)
        for i, (theme_id, _) in enumerate(self.keys):
            if theme_id == theme.id:
                self.query_one(DataTable).move_cursor(row=i)
                return
