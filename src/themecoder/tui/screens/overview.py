"""The project overview: documents with participant, words, codings and share coded."""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Static

from themecoder.core import views
from themecoder.tui.screens.base import WorkbenchScreen
from themecoder.tui.widgets.key_footer import KeyFooter
from themecoder.tui.widgets.status_bar import StatusBar


def share_bar(share: float, width: int = 10) -> str:
    filled = round(share * width)
    return "█" * filled + "░" * (width - filled) + f" {share * 100:3.0f}%"


ROW_CHUNK = 100  # rows added per slice (see _add_rows): ~40 ms each at most


class OverviewScreen(WorkbenchScreen):
    _generation = 0  # of the rows being added in slices (see _add_rows)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=True),
        Binding("i", "import", "Import", show=True),
        Binding("m", "memo", "Document memo", show=False),
        Binding("p", "participant", "Participant", show=True),
        Binding("r,f2", "rename", "Rename document", show=False),
        Binding("delete", "delete", "Delete document", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        yield Static("", id="overview-summary")
        yield DataTable(id="documents", cursor_type="row", zebra_stripes=True)
        yield Static("", id="overview-hint")
        yield StatusBar()
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Document", key="title")
        table.add_column("Participant", key="participant")
        table.add_column("Words", key="words")
        table.add_column("Codings", key="codings")
        table.add_column("Coded", key="coded")
        self.refresh_data()
        table.focus()

    def refresh_data(self) -> None:
        project = self.app.project
        self.title = project.name
        self.sub_title = "Project overview"
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        seen = self.app.visible_coder  # blind coding: only this coder's codings are counted
        rows = views.document_overview(project, coder=seen)
        self._generation += 1
        self._add_rows(rows, 0, keep, self._generation)
        counts = views.counts(project, coder=seen)
        words = sum(r.words for r in rows)
        self.query_one("#overview-summary", Static).update(
            f"{counts['documents']} documents · {words:,} words · {counts['codes']} codes · "
            f"{counts['codings']} codings · {counts['memos']} memos".replace(",", " ")
        )
        hint = ("Enter opens a transcript. C lists codes, / searches, E exports, ? shows every key."
                if rows else "No documents yet: press i to import transcripts (.txt .docx .vtt .srt .md).")
        self.query_one("#overview-hint", Static).update(hint)

    def _add_rows(self, rows: list, start: int, keep: int, generation: int) -> None:
        """Rows in chunks: the table measures every row it is given, which took seconds for
        10,000 documents. The first chunk is in the first paint; the rest follow between
        keys. A newer refresh (another generation) stops an older one."""
        if generation != self._generation:
            return
        table = self.query_one(DataTable)
        end = min(len(rows), start + ROW_CHUNK)
        for r in rows[start:end]:
            table.add_row(r.title, r.participant or "—", f"{r.words:,}".replace(",", " "),
                          str(r.codings), share_bar(r.coded_share), key=r.id)
        if start <= keep < end or (end == len(rows) and keep >= len(rows) and rows):
            table.move_cursor(row=min(keep, len(rows) - 1))
        if end < len(rows):
            self.set_timer(0.01, lambda: self._add_rows(rows, end, keep, generation))

    def _current_doc(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.app.show_document(event.row_key.value)

    def action_open(self) -> None:
        doc = self._current_doc()
        if doc:
            self.app.show_document(doc)

    def action_memo(self) -> None:
        doc = self._current_doc()
        if doc:
            from themecoder.tui.dialogs.memo_editor import edit_memo_for

            title = views.document(self.app.project, doc).title
            edit_memo_for(self.app, "document", doc, f"Memo on document {title}")

    def action_participant(self) -> None:
        """Who the document is an interview with: an existing participant, a new one, none."""
        doc_id = self._current_doc()
        if not doc_id:
            return
        from themecoder.core import documents
        from themecoder.tui.dialogs.participant_picker import ParticipantPicker

        app = self.app
        doc = views.document(app.project, doc_id)

        def done(pick) -> None:
            if pick is None:
                return
            result = app.act(documents.assign_participant, doc_id, pick.participant_id, new=pick.new)
            if result is not None:
                name = views.participant_names(app.project).get(result.participant_id or "")
                app.notify(f"{result.title}: participant {name or '(none)'}.", timeout=3)

        app.push_screen(ParticipantPicker(f"Participant of «{doc.title}»", views.participant_names(app.project),
                                          doc.participant_id), done)

    def action_rename(self) -> None:
        doc_id = self._current_doc()
        if not doc_id:
            return
        from themecoder.core import documents
        from themecoder.tui.dialogs.ask_text import AskText

        app = self.app
        doc = views.document(app.project, doc_id)

        def done(title: str | None) -> None:
            if title and title != doc.title:
                app.act(documents.rename_document, doc_id, title, done=f"Renamed to «{title}».")

        app.push_screen(AskText(f"New title of «{doc.title}»", doc.title), done)

    def action_delete(self) -> None:
        doc_id = self._current_doc()
        if not doc_id:
            return
        from themecoder.core import documents
        from themecoder.tui.dialogs.confirm import Confirm

        app = self.app
        impact = documents.delete_impact(app.project, doc_id)
        n = impact.codings

        def done(yes: bool | None) -> None:
            if yes:
                app.act(documents.delete_document, doc_id,
                        done=f"Deleted «{impact.document.title}»; ctrl+z brings it back.")

        app.push_screen(Confirm(f"Delete «{impact.document.title}» with {n} coding{'' if n == 1 else 's'}?",
                                "Its codings and memos go with it; ctrl+z (undo) brings it all back."), done)

    def action_import(self) -> None:
        from themecoder.tui.dialogs.import_files import ImportScreen, run_import

        def done(result) -> None:
            if result:
                run_import(self.app, *result)

        self.app.push_screen(ImportScreen(), done)
