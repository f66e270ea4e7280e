"""Anonymisation: every suspected identifier with its kind, place, context and reason, and
the analyst's decision for each — replace it (everywhere or here) with a pseudonym or a
[category], mark its text as not identifying, or add it to the known-names list. Every
decision is one action (ctrl+z undoes it). The check runs in a worker when the screen opens
and again after each change (it only redoes documents whose text changed).

Registry line for the integrator (tui/registry.py):

    ScreenEntry("A", "Anonymisation", "themecoder.tui.screens.anonymisation:AnonymisationScreen",
                "Find identifiers; pseudonymise or replace with [categories]; the key file"),
"""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from themecoder.core import anonymise as an
from themecoder.errors import UserError
from themecoder.tui.dialogs.confirm_hits import ConfirmHitsDialog
from themecoder.tui.dialogs.replace_identifier import ReplaceChoice, ReplaceDialog
from themecoder.tui.screens.base import WorkbenchScreen
from themecoder.tui.widgets.key_footer import KeyFooter
from themecoder.tui.widgets.status_bar import StatusBar

KIND_STYLE = {"national_id": "bold red", "d_number": "bold red", "phone": "red", "email": "red",
              "address": "red", "person": "yellow", "place": "cyan", "workplace": "magenta"}


def finding_prompt(f: an.IdentifierFinding) -> Content:
    flag = ("BLOCKS ", "bold reverse red") if f.blocking else ("review ", "dim")
    return Content.assemble(
        flag, (f"{an.kind_label(f.kind):<13}", KIND_STYLE.get(f.kind, "")), (f"«{f.text}»", "bold"),
        (f"  {f.document}" + (f", turn {f.turn} ({f.speaker})" if f.turn else ""), "dim"),
    )


class AnonymisationScreen(WorkbenchScreen):
    DEFAULT_CSS = """
    #anon-status { height: 1; padding: 0 1; color: $text-muted; }
    #anon-body { height: 1fr; }
    #anon-findings { width: 3fr; height: 1fr; }
    #anon-detail { width: 2fr; height: 1fr; padding: 0 1; border-left: solid $panel; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=True),
        Binding("enter", "show", "Show in transcript", show=False),
        Binding("p", "pseudonym", "Pseudonym", show=True),
        Binding("k", "category", "[Category]", show=True),
        Binding("n", "not_identifying", "Not identifying", show=True),
        Binding("a", "known_name", "Known name", show=True),
        Binding("b", "toggle_blocking", "Blocking only", show=False),
        Binding("r", "recheck", "Check again", show=False),
    ]

    def __init__(self, app=None) -> None:
        super().__init__()
        self.found: list[an.IdentifierFinding] = []
        self.blocking_only = False
        self.checking = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        yield Label("", id="anon-status")
        with Horizontal(id="anon-body"):
            yield OptionList(id="anon-findings")
            yield Static("", id="anon-detail")
        yield StatusBar()
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = "Anonymisation"
        self.sub_title = self.app.project.name
        self.query_one("#anon-findings", OptionList).focus()
        self.run_check()

    # -- data ------------------------------------------------------------------------------
    def run_check(self, force: bool = False) -> None:
        app = self.app
        self.checking = True
        self.query_one("#anon-status", Label).update("Checking the documents for identifiers …")

        def job(progress):
            return an.check(app.project, force=force, pipeline=getattr(app, "pipeline", None),
                            progress=lambda i, n: progress(i, n))

        def done(summary) -> None:
            self.checking = False
            self.refresh_data()

        app.run_in_thread(job, "checking for identifiers", done=done)

    def refresh_data(self) -> None:
        project = self.app.project
        if an.stale_documents(project, pipeline=getattr(self.app, "pipeline", None)) and not self.checking:
            self.run_check()
            return
        self.found = an.findings(project, blocking_only=self.blocking_only)
        # titles, labels, memos, theme texts and review comments: what the exports guard too
        self.found += [f for f in an.text_findings(project, an.analyst_texts(project, memos=True, reviews=True,
                                                                             attributes=True))
                       if f.blocking or not self.blocking_only]
        status = an.anonymisation_status(project)
        blocking = sum(f.blocking for f in self.found)
        self.query_one("#anon-status", Label).update(
            f"{status['label']} — {len(self.found)} open, {blocking} block exports"
            + (" (blocking only)" if self.blocking_only else "")
            + ("  ·  key: " + str(status["key_path"]) if status["key"] else ""))
        options = self.query_one("#anon-findings", OptionList)
        keep = options.highlighted
        options.set_options([Option(finding_prompt(f), id=f.id) for f in self.found])
        if self.found:
            options.highlighted = min(keep or 0, len(self.found) - 1)
        self._detail()

    def current(self) -> an.IdentifierFinding | None:
        options = self.query_one("#anon-findings", OptionList)
        if options.highlighted is None or not self.found:
            return None
        return self.found[options.highlighted]

    def _detail(self) -> None:
        f = self.current()
        detail = self.query_one("#anon-detail", Static)
        if f is None:
            detail.update("No open findings." if not self.checking else "")
            return
        detail.update(Content.assemble(
            (f"{an.kind_name(f.kind)} ({an.kind_label(f.kind)})", "bold"), f"  confidence {f.confidence:.2f}\n",
            (f.place() + "\n\n", "dim"),
            f.snippet(120), "\n\n",
            ("why: ", "dim"), f.reason, "\n\n",
            ("p", "bold"), " pseudonym · ", ("k", "bold"), f" {an.category_for(f.kind)} · ",
            ("n", "bold"), " not identifying · ", ("a", "bold"), " known name · ",
            ("enter", "bold"), " show in transcript",
        ))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._detail()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_show()

    # -- decisions -------------------------------------------------------------------------
    def action_show(self) -> None:
        f = self.current()
        if f is not None and not f.document_id:
            self.app.notify(f"In {f.document}: not in a transcript.", timeout=4)
            return
        if f is not None:
            self.app.show_document(f.document_id, (f.start, f.end))

    def action_pseudonym(self) -> None:
        self._replace("pseudonym")

    def action_category(self) -> None:
        self._replace("category")

    def _replace(self, mode: str) -> None:
        f = self.current()
        if f is None:
            return
        app = self.app
        project = app.project
        key_path = an.key_path(project)
        key = None
        if mode == "pseudonym":
            if f.kind != "person":
                app.notify("Pseudonyms are for names; use k for a category.", severity="warning")
                return
            if key_path:
                from themecoder.core.key_file import open_key

                try:
                    key = open_key(key_path, project=project)
                except UserError as exc:
                    app.notify(str(exc), severity="error")
                    return
            try:
                suggestion = an.suggest_pseudonym(project, _name_of(f), key=key)
            except UserError:
                suggestion = ""
        else:
            suggestion = an.category_for(f.kind)

        def chosen(choice: ReplaceChoice | None) -> None:
            if choice is None:
                return
            use_key = key
            if choice.mode == "pseudonym" and use_key is None:
                from themecoder.core.key_file import open_key

                try:
                    use_key = open_key(choice.key_path or "", project=project)
                except UserError as exc:
                    app.notify(str(exc), severity="error")
                    return
                for w in use_key.warnings:
                    app.notify(w, severity="warning", timeout=8)

            def run(confirm) -> None:
                if not f.document_id:  # in a title, label, memo or comment: replace it everywhere
                    result = app.act(an.replace_identifier, an.suggestion_source(f)[0], choice.replacement,
                                     mode=choice.mode, kind=f.kind, key=use_key, confirm=confirm,
                                     cover_texts=True, pipeline=getattr(app, "pipeline", None))
                else:
                    result = app.act(an.replace_finding, f.id, choice.replacement, mode=choice.mode,
                                     everywhere=choice.everywhere, key=use_key, confirm=confirm,
                                     pipeline=getattr(app, "pipeline", None))
                if result is not None:
                    n_docs = len(result.documents)
                    people = (f", {result.participants} participant label(s)" if result.participants else "") \
                        + (f", {result.attributes} attribute value(s)" if result.attributes else "") \
                        + (f", {result.speaker_labels} speaker label(s)" if result.speaker_labels else "")
                    app.notify(f"Replaced with «{result.replacement}» in {result.occurrences} place(s), "
                               f"{n_docs} document(s){people}. ctrl+z undoes it.", timeout=5)

            unsure = []
            if choice.everywhere and f.document_id:
                own = (f.document_id, f.start)
                original = an.suggestion_source(f)[0]
                unsure = [h for h in an.find_hits(project, original, f.kind) if h.ambiguous and h.place() != own]
            if not unsure:
                run("none")
                return

            def confirmed(places) -> None:
                if places is not None:
                    run(places)

            app.push_screen(ConfirmHitsDialog(an.suggestion_source(f)[0], unsure), confirmed)

        self.app.push_screen(ReplaceDialog(f, mode, suggestion, needs_key=mode == "pseudonym" and not key_path),
                             chosen)

    def action_not_identifying(self) -> None:
        f = self.current()
        if f is None:
            return
        n = self.app.act(an.ignore_text, f.text, kind=f.kind)
        if n is not None:
            self.app.notify(f"«{f.text}» is not identifying (everywhere): {n} finding(s) resolved.", timeout=4)

    def action_known_name(self) -> None:
        f = self.current()
        if f is None:
            return
        added = self.app.act(an.add_known_name, _name_of(f), kind=f.kind)
        if added is not None:
            self.app.notify(f"«{_name_of(f)}» is on the known-names list; checking every document again.",
                            timeout=4)

    def action_toggle_blocking(self) -> None:
        self.blocking_only = not self.blocking_only
        self.refresh_data()

    def action_recheck(self) -> None:
        self.run_check(force=True)

    def action_back(self) -> None:
        self.app.pop_screen()


def _name_of(f: an.IdentifierFinding) -> str:
    """The name without a genitive -s («Karis» -> «Kari») for names from the lists."""
    if f.kind == "person" and (f.text.endswith(("'s", "’s")) or f.source == "known_names"):
        return an.strip_genitive(f.text)
    return f.text
