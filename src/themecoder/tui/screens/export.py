"""Export: every export the CLI has (quote tables, codebook, REFI-QDA project, the mixed-methods
report, the review summary, the review file and the supervisor's review pack) with the same
options, through the same service (io.export.run_export), so the same identifier guard applies
and the same metadata is stamped. The export runs in a worker thread; the screen then says
where the file went, or shows the one line that says why it was refused.

Keyboard: tab moves between the controls, space opens a list or ticks a box, Enter exports
(on a list it opens the list), escape goes back.

Registry line (tui/registry.py):

    ScreenEntry("E", "Export", "themecoder.tui.screens.export:ExportScreen",
                "Quote tables, codebook, REFI-QDA, report, review summary or file; with the identifier guard"),
"""
from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Header, Input, Label, Select, SelectionList, Static

from themecoder.core import themes as core_themes
from themecoder.errors import UserError
from themecoder.io import export as service
from themecoder.tui.screens.base import WorkbenchScreen
from themecoder.tui.widgets.key_footer import KeyFooter
from themecoder.tui.widgets.status_bar import StatusBar

FORMAT_LABELS = {
    "docx": "Word (.docx)", "md": "Markdown (.md)", "csv": "CSV for Excel (.csv)", "html": "Web page (.html)",
    "qdc": "REFI-QDA codebook (.qdc)", "qdpx": "REFI-QDA project (.qdpx)", "json": "JSON (.json)",
}
LANGS = [("Norsk bokmål (nb)", "nb"), ("English (en)", "en")]
# option groups shown for each kind (the CSV separator also depends on the format)
GROUPS = {"quotes": "#export-quotes", "qdpx": "#export-qdpx", "report": "#export-report",
          "review": "#export-review", "review-pack": "#export-review"}


class ExportScreen(WorkbenchScreen):
    DEFAULT_CSS = """
    #export-form { height: 1fr; padding: 1 1 0 1; }
    #export-form .export-row { height: auto; margin-bottom: 1; }
    #export-form .export-label { width: 22; padding-right: 1; color: $text-muted; }
    #export-form Select, #export-form Input { width: 1fr; }
    #export-form SelectionList { width: 1fr; height: auto; max-height: 8; }
    #export-form .export-group { height: auto; }
    #export-form Checkbox { margin: 0 0 1 22; }
    #export-actions { height: auto; margin-left: 22; }
    #export-hint { padding: 0 2; color: $text-muted; }
    #export-result { height: auto; min-height: 2; max-height: 8; overflow-y: auto; padding: 0 1;
                     border-top: solid $panel; }
    #export-result.-error { color: $text-error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=True),
        # priority: Enter exports from any control (boxes tick with space), except on a list
        Binding("enter", "export", "Export", show=True, priority=True),
    ]

    def __init__(self, app=None) -> None:
        super().__init__()
        self.exporting = False
        self.last_result: service.ExportResult | None = None
        self.last_error: str | None = None
        self._auto_path = ""   # the path this screen filled in; replaced while the user keeps it

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        with VerticalScroll(id="export-form"):
            yield from self._row("What to export", Select(
                [(k.title, k.name) for k in service.KINDS.values()], allow_blank=False, compact=True, id="export-kind"))
            yield from self._row("Format", Select([("Word (.docx)", "docx")], allow_blank=False, compact=True, id="export-format"))
            yield from self._row("Language", Select(LANGS, allow_blank=False, compact=True, id="export-lang"))
            yield from self._row("Output file", Input(compact=True, id="export-path", placeholder="exports/<project>-....docx"))
            with Vertical(id="export-quotes", classes="export-group"):
                yield from self._row("Themes (space marks; none: every top-level theme)",
                                     SelectionList[str](id="export-themes"))
                yield from self._row("Quotes per code", Input(compact=True, id="export-max-per-code", type="integer",
                                                              placeholder="all (a theme's key quote is always kept)"))
                yield from self._row("Ellipsis", Input(compact=True, id="export-ellipsis",
                                                       placeholder="marks omitted text: […] (nb), [...] (en)"))
                yield Checkbox("Appendix: theme › code › every quote", compact=True, id="export-appendix")
            with Vertical(id="export-delimiter-group", classes="export-group"):
                yield from self._row("CSV separator", Input(compact=True, id="export-delimiter",
                                                            placeholder="; (nb) or , (en); 'tab' for a tab"))
            with Vertical(id="export-qdpx", classes="export-group"):
                yield from self._row("Themes as", Select(
                    [("parent codes (every QDA program shows a code tree)", "codes"),
                     ("sets of codes (the codes stay flat)", "sets")], allow_blank=False, compact=True, id="export-themes-as"))
            with Vertical(id="export-report", classes="export-group"):
                yield from self._row("Joint display", Select(
                    [("a row per theme (side by side)", "side-by-side"),
                     ("a row per finding (statistics by themes)", "stats-by-themes")],
                    allow_blank=False, compact=True, id="export-layout"))
                yield from self._row("Quotes per theme", Input("3", compact=True, id="export-max-quotes", type="integer"))
                yield Checkbox("A joint-display row for every subtheme", compact=True, id="export-subthemes")
                yield Checkbox("Consistency check", True, compact=True, id="export-check")
            with Vertical(id="export-review", classes="export-group"):
                yield from self._row("Reviewer", Input(compact=True, id="export-reviewer",
                                                       placeholder="everyone (or one reviewer's name; a pack: who it is for)"))
            yield Checkbox("Export even though identifier findings are open", compact=True, id="export-allow")
            with Horizontal(id="export-actions"):
                yield Button("Export", id="export-go", variant="primary", compact=True)
                yield Label("tab moves · space opens a list or ticks · Enter exports · esc back",
                            id="export-hint")
        yield Static("", id="export-result")
        yield StatusBar()
        yield KeyFooter()

    @staticmethod
    def _row(label: str, control) -> ComposeResult:
        with Horizontal(classes="export-row"):
            yield Label(label, classes="export-label")
            yield control

    def on_mount(self) -> None:
        super().on_mount()
        project = self.app.project
        self.title = "Export"
        self.sub_title = project.name
        self.query_one("#export-lang", Select).value = service.export_lang(project, None)
        self.refresh_data()
        self._sync_kind()
        self.query_one("#export-kind", Select).focus()

    def refresh_data(self) -> None:
        """The themes to choose from (marks kept across a refresh)."""
        picker = self.query_one("#export-themes", SelectionList)
        marked = set(picker.selected)
        nodes = core_themes.flatten(core_themes.theme_tree(self.app.project))
        picker.clear_options()
        picker.add_options([("  " * n.depth + n.theme.name, n.theme.id, n.theme.id in marked) for n in nodes])

    # -- keeping the form consistent -------------------------------------------------------
    def _value(self, selector: str) -> str:
        return str(self.query_one(selector, Select).value)

    def _sync_kind(self) -> None:
        kind = service.KINDS[self._value("#export-kind")]
        fmt = self.query_one("#export-format", Select)
        keep = fmt.value if fmt.value in kind.formats else kind.formats[0]
        fmt.set_options([(FORMAT_LABELS.get(f, f), f) for f in kind.formats])
        fmt.value = keep
        self._sync_form()

    def _sync_form(self) -> None:
        """Show the options of the chosen kind and format; keep the path's name in step."""
        kind, fmt = self._value("#export-kind"), self._value("#export-format")
        if fmt not in service.KINDS[kind].formats:
            return  # the format list is being replaced; its Changed message follows
        for selector in dict.fromkeys(GROUPS.values()):   # the review file and pack share the reviewer
            self.query_one(selector).display = GROUPS.get(kind) == selector
        self.query_one("#export-delimiter-group").display = fmt == "csv"
        self.query_one("#export-format").parent.display = len(service.KINDS[kind].formats) > 1
        path = self.query_one("#export-path", Input)
        current = path.value.strip()
        if not current or current == self._auto_path:
            default = str(service.default_path(self.app.project, kind, fmt, self._value("#export-lang")))
            self._auto_path = default
            path.value = default
        else:
            p = Path(current)
            suffix = p.suffix.lower().lstrip(".")
            if suffix in service.ALL_FORMATS and suffix != fmt:
                path.value = str(p.with_suffix("." + fmt))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "export-kind":
            self._sync_kind()
        elif event.select.id in ("export-format", "export-lang"):
            self._sync_form()

    def on_input_changed(self, event: Input.Changed) -> None:
        """A path typed with another format's name chooses that format."""
        event.stop()
        if event.input.id != "export-path":
            return
        suffix = Path(event.value.strip()).suffix.lower().lstrip(".")
        fmt = self.query_one("#export-format", Select)
        if suffix != fmt.value and suffix in service.KINDS[self._value("#export-kind")].formats:
            fmt.value = suffix

    # -- exporting -------------------------------------------------------------------------
    def options(self) -> tuple[str, str, service.ExportOptions]:
        """(kind, output path, options) from the form; UserError for a value that cannot be used."""
        def text(selector: str) -> str:
            return self.query_one(selector, Input).value.strip()

        def number(selector: str, what: str) -> int | None:
            value = text(selector)
            if not value:
                return None
            if not value.isdigit() or int(value) < 1:
                raise UserError(f"{what} must be a whole number from 1")
            return int(value)

        def ticked(selector: str) -> bool:
            return self.query_one(selector, Checkbox).value

        kind = self._value("#export-kind")
        path = text("#export-path")
        if not path:
            raise UserError("give the output file")
        delimiter = text("#export-delimiter")
        themes = list(self.query_one("#export-themes", SelectionList).selected)
        opts = service.ExportOptions(
            fmt=self._value("#export-format"), lang=self._value("#export-lang"),
            allow_unreviewed=ticked("#export-allow"),
            themes=themes or None, max_per_code=number("#export-max-per-code", "Quotes per code"),
            ellipsis=text("#export-ellipsis") or None, appendix=ticked("#export-appendix"),
            delimiter="\t" if delimiter.lower() in ("tab", "\\t") else (delimiter or None),
            themes_as=self._value("#export-themes-as"),
            layout=self._value("#export-layout"), include_subthemes=ticked("#export-subthemes"),
            max_quotes=number("#export-max-quotes", "Quotes per theme") or 3, check=ticked("#export-check"),
            reviewer=text("#export-reviewer") or None, blind=self.app.blind,
        )
        return kind, path, opts

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export":
            # On a list, Enter opens it (and chooses in it): let the key through.
            focused = self.app.focused
            if focused is not None and any(isinstance(n, Select) for n in focused.ancestors_with_self):
                return False
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-go":
            self.action_export()

    def action_export(self) -> None:
        if self.exporting:
            self.app.notify("An export is running; wait for it to finish.", timeout=3)
            return
        try:
            kind, path, opts = self.options()
        except UserError as exc:
            self._show_error(str(exc))
            return
        self.exporting = True
        self.query_one("#export-result", Static).update(f"Exporting {service.KINDS[kind].title.lower()} …")
        project = self.app.project

        def job(progress):
            try:
                return service.run_export(project, kind, path, opts)
            except Exception as exc:  # noqa: BLE001  shown on the screen (a refusal is a UserError)
                return exc

        self.app.run_in_thread(job, f"exporting {service.KINDS[kind].title.lower()}", done=self._finished)

    def _finished(self, outcome: service.ExportResult | Exception) -> None:
        self.exporting = False
        if isinstance(outcome, Exception):
            message = str(outcome) if isinstance(outcome, UserError) else f"export failed: {outcome!r}"
            self._show_error(message)
            return
        self.last_result, self.last_error = outcome, None
        self.app.notify(f"Exported: {outcome.path}", timeout=5)
        if self.is_attached:
            meta = outcome.anonymisation
            result = self.query_one("#export-result", Static)
            result.remove_class("-error")
            result.update(Content.assemble(
                ("\n".join(outcome.lines()), "bold"), "\n",
                (f"anonymisation: {meta.get('anonymisation', '')} (stamped in the file)", "dim")))
        self.app.data_changed()  # the guard's check may have changed the anonymisation state

    def _show_error(self, message: str) -> None:
        self.last_result, self.last_error = None, message
        self.app.notify(message, severity="error", timeout=8)
        if not self.is_attached:
            return
        result = self.query_one("#export-result", Static)
        result.add_class("-error")
        hint = ("Press A for the Anonymisation screen, or tick “Export even though identifier findings "
                "are open” (the file then says so).\n" if message.startswith("export refused") else "")
        result.update(Content.assemble((hint, "bold"), message))
        if hint:  # space ticks the box from here, A opens the Anonymisation screen
            self.query_one("#export-allow", Checkbox).focus()

    def action_back(self) -> None:
        self.app.pop_screen()
