"""The transcript reader: read, select and code one document."""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Header, Static

from themecoder.core import coding as coding_ops
from themecoder.core import views
from themecoder.core.text import collapse_ws
from themecoder.errors import NotFound
from themecoder.model import Coding
from themecoder.tui.screens.base import WorkbenchScreen
from themecoder.tui.widgets.key_footer import KeyFooter
from themecoder.tui.widgets.status_bar import StatusBar
from themecoder.tui.widgets.transcript_view import TranscriptView


class TranscriptScreen(WorkbenchScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "code", "Code", show=True),
        Binding("v", "in_vivo", "In vivo", show=True),
        Binding("x", "remove_coding", "Uncode", show=True),
        Binding("r", "recode", "Recode", show=False),
        Binding("m", "memo_coding", "Memo", show=True),
        Binding("M", "memo_document", "Memo on the document", show=False),
        Binding("n", "next_coding(1)", "Next coded passage", show=False),
        Binding("p", "next_coding(-1)", "Previous coded passage", show=False),
        Binding("escape", "back", "Back", show=True),
    ]

    def __init__(self, doc_id: str, select: tuple[int, int] | None = None) -> None:
        super().__init__()
        self.doc_id = doc_id
        self._initial = select
        self.codings = []
        self.codes = {}
        self._quick_sentences = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        yield TranscriptView(id="transcript")
        yield Static("", id="here")
        yield StatusBar()
        yield KeyFooter()

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    def on_mount(self) -> None:
        self._load()
        view = self.view
        if self._initial:
            view.call_after_refresh(view.select_range, *self._initial)
        view.focus()

    def _sentences(self, text: str, turns, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
        self._quick_sentences = not sentences and bool(text)
        if self._quick_sentences:
            self.app.ensure_index()
            return views.quick_sentences(text, turns)
        return sentences

    def _load(self) -> None:
        data = views.transcript(self.app.project, self.doc_id, coder=self.app.visible_coder)
        self.title = data.document.title
        self.sub_title = data.participant or ""
        self.text = data.text
        self.turns = data.turns
        self.codings = data.codings
        self.codes = data.codes
        self.view.memo_codings = data.memo_codings
        self.view.load(self.text, self.turns, self._sentences(self.text, self.turns, data.sentences), self.codings,
                       self.codes)

    def refresh_data(self) -> None:
        project = self.app.project
        try:
            text = views.document_text(project, self.doc_id)
        except NotFound:
            self.notify("This document no longer exists.", severity="warning")
            self.app.pop_screen()
            return
        view = self.view
        if text != self.text:
            sel = view.selection
            self._load()
            view.select_range(*sel, center=False)
            return
        self.codings = views.codings_for_document(project, self.doc_id, coder=self.app.visible_coder)
        self.codes = views.codes_by_id(project)
        view.memo_codings = set(views.memo_counts(project, "coding"))
        if self._quick_sentences:
            sentences = views.sentences(project, self.doc_id)
            if sentences:
                self._quick_sentences = False
                view.set_sentences(sentences)
        view.set_codings(self.codings, self.codes)
        self._update_here(*view.selection)

    def select(self, start: int, end: int) -> None:
        self.view.select_range(start, end, center=True)
        self.view.focus()

    # -- the "here" line -----------------------------------------------------------------
    def on_transcript_view_selection_changed(self, event: TranscriptView.SelectionChanged) -> None:
        self._update_here(event.start, event.end)

    def _update_here(self, start: int, end: int) -> None:
        view = self.view
        n_sent = view.sentences_in(start, end)
        where = views.place_of(self.turns, start)
        turn_i = views.turn_index(self.turns, start)
        speaker = f" ({self.turns[turn_i].speaker})" if turn_i is not None else ""
        info = (f"{where}{speaker} · {n_sent} sentence{'s' if n_sent != 1 else ''}, "
                f"{end - start} characters selected")
        here = views.codings_overlapping(self.codings, start, end)
        if here:
            parts: list = [("Coded here: ", "bold")]
            seen = set()
            for c in here:
                if c.code_id in seen:
                    continue
                seen.add(c.code_id)
                code = self.codes.get(c.code_id)
                if code is None:
                    continue
                if len(seen) > 1:
                    parts.append("  ")
                memo = " ✎" if any(h.code_id == c.code_id and h.id in view.memo_codings for h in here) else ""
                parts += [("■ ", code.colour), code.label, (memo, "bold")]
            coded = Content.assemble(*parts)
        else:
            coded = Content.assemble(("Not coded. ", "dim"), ("c", "bold"), " code  ", ("v", "bold"), " in vivo")
        # fixed height: no layout pass needed on every cursor move
        self.query_one("#here", Static).update(Content.assemble(info, "\n", coded), layout=False)

    # -- coding --------------------------------------------------------------------------
    def _code_counts(self) -> dict[str, int]:
        return views.coding_counts(self.app.project, coder=self.app.visible_coder)

    def codable_span(self) -> tuple[int, int]:
        """The selection without a speaker label at either edge: a coding never starts or
        ends inside "Anna: " (it may span whole turns, labels inside included)."""
        start, end = self.view.selection
        for t in self.turns:
            if t.label_start <= start < t.start:
                start = t.start
            if t.label_start < end <= t.start:
                end = t.label_start
        return start, max(start, end)

    def action_code(self) -> None:
        start, end = self.codable_span()
        trimmed = coding_ops.trim_span(self.text, start, end)
        if trimmed[0] >= trimmed[1]:
            self.notify("Select some of the informant's or interviewer's words first.", severity="warning")
            return
        self.code_span(start, end)

    def code_span(self, start: int, end: int) -> None:
        from themecoder.tui.dialogs.code_picker import CodePicker

        app = self.app
        doc_id = self.doc_id
        quote = self.text[start:end]

        def done(pick) -> None:
            if pick is None:
                return
            if pick.code_id:
                self.code_behind(start, end, pick.code_id)
            else:
                app.act(coding_ops.apply_new_code, doc_id, start, end, pick.label,
                        done=f"New code «{pick.label}».")

        codes = views.codes(app.project)
        app.push_screen(CodePicker(codes, self._code_counts(), heading="Code the selection", quote=quote), done)

    def code_behind(self, start: int, end: int, code_id: str) -> None:
        """Code a passage with an existing code: the highlight is painted now, the action
        is written behind it (app.act_behind), and the reload afterwards confirms or removes it."""
        app = self.app
        code = views.code(app.project, code_id)
        s, e = coding_ops.trim_span(self.text, start, end)
        if e > s and not any(c.code_id == code_id and c.start == s and c.end == e for c in self.codings):
            self.codings = [*self.codings, Coding("pending", self.doc_id, code_id, s, e, self.text[s:e], "", "",
                                                  app.project.coder, "")]
            self.view.set_codings(self.codings, self.codes)
            self._update_here(*self.view.selection)
        app.act_behind(coding_ops.apply_code, self.doc_id, start, end, code_id, done=f"Coded with «{code.label}».")

    def action_in_vivo(self) -> None:
        start, end = self.codable_span()
        label = coding_ops.in_vivo_label(self.text, start, end)
        if not label:
            self.notify("Select some words first.", severity="warning")
            return
        existing = views.code_with_label(self.app.project, label)
        if existing is not None:
            self.app.act(coding_ops.apply_code, self.doc_id, start, end, existing.id,
                         done=f"Coded with the existing code «{label}».")
        else:
            self.app.act(coding_ops.apply_new_code, self.doc_id, start, end, label, in_vivo=True,
                         done=f"In-vivo code «{label}».")

    def _with_coding_here(self, verb: str, then) -> None:
        from themecoder.tui.dialogs.choose_coding import ChooseCoding

        start, end = self.view.selection
        here = views.codings_overlapping(self.codings, start, end)
        if not here:
            self.notify("No coding here: move onto a coded passage (n / p jump to one).", severity="warning")
            return
        if len(here) == 1:
            then(here[0].id)
            return
        rows = [(c.id, self.codes[c.code_id], c.quote) for c in here if c.code_id in self.codes]

        def chosen(coding_id: str | None) -> None:
            if coding_id:
                then(coding_id)

        self.app.push_screen(ChooseCoding(f"Which coding do you want to {verb}?", rows), chosen)

    def action_remove_coding(self) -> None:
        def remove(coding_id: str) -> None:
            c = views.coding(self.app.project, coding_id)
            label = self.codes[c.code_id].label if c.code_id in self.codes else "?"
            self.app.act(coding_ops.remove_coding, coding_id, done=f"Removed «{label}» from the passage.")

        self._with_coding_here("remove", remove)

    def action_recode(self) -> None:
        from themecoder.tui.dialogs.code_picker import CodePicker

        app = self.app

        def recode(coding_id: str) -> None:
            c = views.coding(app.project, coding_id)

            def done(pick) -> None:
                if pick is None:
                    return
                if pick.code_id:
                    new = views.code(app.project, pick.code_id)
                    app.act(coding_ops.recode, coding_id, pick.code_id, done=f"Recoded to «{new.label}».")
                elif pick.label:
                    app.act(coding_ops.recode_to_new_code, coding_id, pick.label,
                            done=f"Recoded to the new code «{pick.label}».")

            app.push_screen(CodePicker(views.codes(app.project), self._code_counts(), heading="Recode to …",
                                       quote=c.quote, allow_new=True, exclude={c.code_id}), done)

        self._with_coding_here("recode", recode)

    def action_memo_coding(self) -> None:
        from themecoder.tui.dialogs.memo_editor import edit_memo_for

        def memo(coding_id: str) -> None:
            c = views.coding(self.app.project, coding_id)
            label = self.codes[c.code_id].label if c.code_id in self.codes else "?"
            q = collapse_ws(c.quote)
            edit_memo_for(self.app, "coding", coding_id, f"Memo on «{label}»: {q[:50]}{'…' if len(q) > 50 else ''}")

        self._with_coding_here("write a memo on", memo)

    def action_memo_document(self) -> None:
        from themecoder.tui.dialogs.memo_editor import edit_memo_for

        edit_memo_for(self.app, "document", self.doc_id, f"Memo on document {self.title}")

    def action_next_coding(self, delta: int) -> None:
        if not self.codings:
            self.notify("Nothing is coded in this document yet.", timeout=2)
            return
        start, _end = self.view.selection
        if delta > 0:
            after = [c for c in self.codings if c.start > start]
            target = after[0] if after else None
        else:
            before = [c for c in self.codings if c.start < start]
            target = before[-1] if before else None
        if target is None:
            self.notify("No more coded passages that way.", timeout=2)
            return
        self.view.select_range(target.start, target.end, center=False)
        self.view.show_offset(target.start)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
