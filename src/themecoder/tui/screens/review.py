"""Supervisor review: walk through every theme, its codes and each code's quotes; give each
theme and code-to-theme mapping a status (a approve, r needs revision, p proposed) and
comments; answer (y) and resolve (x) comment threads. o lists the open threads, g what
changed since the last review. Every status and comment is an action under the coder's name
(open the project with --coder NAME as the supervisor); ctrl+z undoes."""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import ContentSwitcher, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from themecoder.core import review, review_changes, views
from themecoder.io.review_change_text import change_text
from themecoder.tui.dialogs.ask_text import AskText
from themecoder.tui.screens.base import WorkbenchScreen
from themecoder.tui.widgets.hanging import hanging
from themecoder.tui.widgets.key_footer import KeyFooter
from themecoder.tui.widgets.status_bar import StatusBar

MARK = {"approved": ("✓", "green"), "needs-revision": ("!", "red"), "proposed": ("·", "dim")}
QUOTES_SHOWN = 50


class ReviewScreen(WorkbenchScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=True),
        Binding("a", "status('approved')", "Approve", show=True),
        Binding("r", "status('needs-revision')", "Needs revision", show=True),
        Binding("p", "status('proposed')", "Proposed", show=False),
        Binding("c", "comment", "Comment", show=True),
        Binding("y", "reply", "Reply", show=True),
        Binding("x", "resolve", "Resolve", show=True),
        Binding("w", "view('rv-walk')", "Walk", show=False),
        Binding("o", "view('rv-open')", "Open comments", show=True),
        Binding("g", "view('rv-changes')", "Changes", show=True),
        Binding("n", "next_unreviewed", "Next unreviewed", show=False),
        Binding("i", "import_review", "Import review", show=True),
    ]
    DEFAULT_CSS = """
    ReviewScreen #rv-title { padding: 0 1; height: 1; width: 1fr; text-style: bold; }
    ReviewScreen #rv-switch { height: 1fr; }
    ReviewScreen #rv-walk { height: 1fr; }
    ReviewScreen #rv-steps { width: 2fr; height: 1fr; }
    ReviewScreen #rv-side { width: 3fr; }
    ReviewScreen #rv-detail { height: auto; max-height: 6; padding: 0 1; }
    ReviewScreen #rv-quotes { height: 1fr; }
    ReviewScreen .rv-label { padding: 0 1; height: 1; width: 1fr; color: $text-muted; }
    ReviewScreen #rv-comments { height: auto; max-height: 12; }
    ReviewScreen #rv-open, ReviewScreen #rv-changes { height: 1fr; }
    """

    def __init__(self, app=None) -> None:
        super().__init__()
        self.steps: list[review.WalkStep] = []
        self.items: dict[str, review.ReviewItem] = {}
        self.orphans: list[review.ReviewItem] = []
        self._quotes_for: str | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        yield Label("", id="rv-title")
        with ContentSwitcher(initial="rv-walk", id="rv-switch"):
            with Horizontal(id="rv-walk"):
                yield OptionList(id="rv-steps")
                with Vertical(id="rv-side"):
                    yield Static("", id="rv-detail")
                    yield OptionList(id="rv-quotes")
                    yield Label("Comments", classes="rv-label")
                    yield OptionList(id="rv-comments")
            yield OptionList(id="rv-open")
            yield OptionList(id="rv-changes")
        yield StatusBar()
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = "Review"
        self.sub_title = f"{self.app.project.name} — reviewing as {self.app.project.coder}"
        self.refresh_data()
        self.query_one("#rv-steps", OptionList).focus()

    # -- data ----------------------------------------------------------------------------
    def refresh_data(self) -> None:
        project = self.app.project
        self.steps = review.walk(project, with_codings=False, coder=self.app.visible_coder)
        all_items = review.review_items(project)
        self.items = {i.id: i for i in all_items}
        self.orphans = [i for i in all_items if i.orphaned]
        rows = []
        for n, s in enumerate(self.steps):
            mark, colour = MARK[s.status]
            open_n = len(s.item.open_threads) if s.item else 0
            talk = (f"  💬{open_n}", "yellow") if open_n else ("", "")
            # long names wrap under themselves, not under the marks
            if s.kind == "theme":
                rows.append(Option(hanging(["  " * s.depth, (mark + " ", colour)], [(s.theme.name, "bold"), talk]),
                                   id=f"step:{n}"))
            else:
                rows.append(Option(hanging(["  " * (s.depth + 1), (mark + " ", colour), ("■ ", s.code.colour)],
                                           [s.code.label, talk]), id=f"step:{n}"))
        for item in self.orphans:
            mark, colour = MARK[item.status]
            open_talk = (f"  💬{len(item.open_threads)}", "yellow") if item.open_threads else ""
            rows.append(Option(Content.assemble((mark + " ", colour), ("gone: ", "red"), item.label, open_talk),
                               id=f"orphan:{item.id}"))
        self._fill("#rv-steps", rows)
        counts = {s: 0 for s in review.STATUSES}
        for s in self.steps:
            counts[s.status] += 1
        open_threads = review.open_threads(project)
        self.query_one("#rv-title", Label).update(
            f"{counts['approved']} approved · {counts['needs-revision']} need revision · "
            f"{counts['proposed']} proposed · {len(open_threads)} open comment threads"
            + (f" · {len(self.orphans)} orphaned" if self.orphans else ""))
        self._fill("#rv-open", [Option(Content.assemble(
            (item.label, "bold"), ("  (gone)" if item.orphaned else "", "red"), "\n",
            *[Content.assemble(("    ↳ " if k else "  ", "dim"), (f"{c.author}: ", "bold"), c.text, "\n")
              for k, c in enumerate(th.comments)]), id=th.root.id) for item, th in open_threads])
        changes = review_changes.changes_since(project)
        since = changes.since
        head = (f"Since the review by {since.reviewer or '?'} ({since.time[:16].replace('T', ' ')})"
                if since else "No review yet: everything is new")
        change_rows = [Option(Content.assemble((head, "bold")), id="head", disabled=True)]
        seen = self.app.visible_coder  # blind: other coders' codings are not counted here either
        shown = [c for c in changes.changes if seen is None or c.target != "codings" or c.coder == seen]
        change_rows += [Option(Content.assemble((f"{c.time[:16].replace('T', ' ')}  {c.coder or '':<10} ", "dim"),
                                                change_text(c)), id=f"chg:{k}") for k, c in enumerate(shown)]
        if not shown:
            change_rows.append(Option("nothing changed", id="none", disabled=True))
        self._fill("#rv-changes", change_rows)
        self._quotes_for = None
        self._show_step()

    def _fill(self, selector: str, rows: list[Option]) -> None:
        options = self.query_one(selector, OptionList)
        keep = options.highlighted
        options.set_options(rows)
        if rows:
            options.highlighted = min(keep or 0, len(rows) - 1)

    # -- the highlighted step ------------------------------------------------------------------
    def _step(self) -> tuple[review.WalkStep | None, review.ReviewItem | None]:
        options = self.query_one("#rv-steps", OptionList)
        if options.highlighted is None or not options.option_count:
            return None, None
        option_id = options.get_option_at_index(options.highlighted).id or ""
        if option_id.startswith("step:"):
            step = self.steps[int(option_id[5:])]
            return step, step.item
        return None, self.items.get(option_id[7:])

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "rv-steps":
            event.stop()
            self._show_step()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        list_id = event.option_list.id
        if list_id == "rv-quotes":
            c = views.coding(self.app.project, event.option.id)
            self.app.show_document(c.document_id, (c.start, c.end))
        elif list_id == "rv-open":
            root = event.option.id
            item = next((i for i in self.items.values() for th in i.threads if th.root.id == root), None)
            self.action_view("rv-walk")
            if item is not None:
                self._go_to_item(item)
        elif list_id == "rv-steps":
            self.query_one("#rv-quotes", OptionList).focus()

    def _go_to_item(self, item: review.ReviewItem) -> None:
        options = self.query_one("#rv-steps", OptionList)
        for n, s in enumerate(self.steps):
            if s.theme.id == item.theme_id and (s.code.id if s.code else "") == item.code_id:
                options.highlighted = n
                break
        else:
            for i in range(options.option_count):
                if options.get_option_at_index(i).id == f"orphan:{item.id}":
                    options.highlighted = i
        options.focus()

    def _show_step(self) -> None:
        step, item = self._step()
        detail = self.query_one("#rv-detail", Static)
        quotes = self.query_one("#rv-quotes", OptionList)
        comments = self.query_one("#rv-comments", OptionList)
        if step is None and item is None:
            detail.update("Nothing to review yet: the project has no themes." if not self.steps else "")
            quotes.clear_options()
            comments.clear_options()
            return
        status = step.status if step else item.status
        mark, colour = MARK[status]
        if step is not None and step.kind == "theme":
            bits = [Content.assemble(("THEME ", "dim"), (step.path, "bold"), "  ", (f"{mark} {status}", colour))]
            if step.theme.description:
                bits.append(Content(step.theme.description))
            detail.update(Content("\n").join(bits))
            key = f"theme:{step.theme.id}"
            if self._quotes_for != key:
                self._quotes_for = key
                codes = views.theme_codes(self.app.project, step.theme.id)
                quotes.set_options([Option(Content.assemble(("■ ", c.colour), c.label), id=f"code:{c.id}",
                                           disabled=True) for c in codes])
        elif step is not None:
            detail.update(Content.assemble(("CODE ", "dim"), ("■ ", step.code.colour), (step.code.label, "bold"),
                                           (f"  in {step.path}", "dim"), "  ", (f"{mark} {status}", colour),
                                           ("\n" + step.code.description) if step.code.description else ""))
            key = f"code:{step.code.id}"
            if self._quotes_for != key:
                self._quotes_for = key
                rows = views.quotes_for_code(self.app.project, step.code.id, coder=self.app.visible_coder)
                quotes.set_options([Option(Content.assemble((f"{q.participant or q.document} · {q.place}", "dim"),
                                                            "\n", f"«{q.quote[:300]}»"), id=q.coding.id)
                                    for q in rows[:QUOTES_SHOWN]])
        else:
            detail.update(Content.assemble(("GONE ", "red"), (item.label, "bold"), "  ", (f"{mark} {status}", colour),
                                           ("\nThis theme or mapping no longer exists; the review is kept.", "dim")))
            self._quotes_for = None
            quotes.clear_options()
        rows = []
        for th in (item.threads if item else []):
            for k, c in enumerate(th.comments):
                flag = ("  [resolved]", "green") if k == 0 and th.resolved else ("", "")
                rows.append(Option(Content.assemble(("  ↳ " if k else "", "dim"), (f"{c.author}: ", "bold"), c.text,
                                                    flag), id=c.id))
        comments.set_options(rows or [Option(Content("no comments · c adds one"), id="none", disabled=True)])

    # -- acting --------------------------------------------------------------------------------
    def _target(self) -> tuple[str, str | None] | None:
        step, _ = self._step()
        if step is None:
            self.notify("Choose a theme or a code in the walk (w).", severity="warning")
            return None
        return step.theme.id, (step.code.id if step.code else None)

    def action_status(self, status: str) -> None:
        if self.query_one(ContentSwitcher).current != "rv-walk":
            return
        target = self._target()
        if target is None:
            return
        theme_id, code_id = target

        def apply(comment: str | None) -> None:
            if comment is None:  # cancelled
                return
            done = self.app.act(review.set_status, theme_id, status, code_id=code_id, comment=comment or None)
            if done is not None:
                self._advance()

        if status == "needs-revision":
            self.app.push_screen(AskText("Needs revision: what should change?", allow_empty=True,
                                         placeholder="a comment (optional)",
                                         hint="Enter saves (an empty line: no comment) · escape cancels"), apply)
            return
        apply("")

    def _advance(self) -> None:
        options = self.query_one("#rv-steps", OptionList)
        if options.highlighted is not None and options.highlighted + 1 < len(self.steps):
            options.highlighted += 1

    def action_next_unreviewed(self) -> None:
        options = self.query_one("#rv-steps", OptionList)
        start = (options.highlighted or 0) + 1
        for n in range(start, len(self.steps)):
            if self.steps[n].item is None or self.steps[n].item.status_set is None:
                options.highlighted = n
                return
        self.notify("Everything after this has a status.", timeout=3)

    def action_comment(self) -> None:
        target = self._target()
        if target is None:
            return
        theme_id, code_id = target
        self.app.push_screen(AskText("Comment", placeholder="your comment"), lambda text: text and self.app.act(
            review.add_comment, theme_id, text, code_id=code_id, done="Comment added."))

    def _thread(self) -> str | None:
        """The comment (thread) that reply and resolve act on."""
        switcher = self.query_one(ContentSwitcher)
        if switcher.current == "rv-open":
            options = self.query_one("#rv-open", OptionList)
            if options.highlighted is not None and options.option_count:
                return options.get_option_at_index(options.highlighted).id
            return None
        comments = self.query_one("#rv-comments", OptionList)
        if self.focused is comments and comments.highlighted is not None and comments.option_count:
            cid = comments.get_option_at_index(comments.highlighted).id
            if cid != "none":
                return cid
        _, item = self._step()
        if item is None or not item.threads:
            return None
        return (item.open_threads or item.threads)[0].root.id

    def action_reply(self) -> None:
        cid = self._thread()
        if cid is None:
            self.notify("No comment to answer here.", severity="warning")
            return
        self.app.push_screen(AskText("Reply", placeholder="your answer"), lambda text: text and self.app.act(
            review.reply, cid, text, done="Reply added."))

    def action_resolve(self) -> None:
        cid = self._thread()
        if cid is None:
            self.notify("No comment thread here.", severity="warning")
            return
        root = review.comment(self.app.project, cid)
        while root.parent_id:
            root = review.comment(self.app.project, root.parent_id)
        reopen = root.resolved is not None
        self.app.act(review.resolve, cid, reopen=reopen, done="Thread reopened." if reopen else "Thread resolved.")

    def action_import_review(self) -> None:
        from themecoder.tui.dialogs.import_review import ImportReview

        self.app.push_screen(ImportReview(self.app.project.path))

    def action_view(self, view: str) -> None:
        self.query_one(ContentSwitcher).current = view
        self.query_one("#rv-steps" if view == "rv-walk" else f"#{view}", OptionList).focus()

    def action_back(self) -> None:
        if self.query_one(ContentSwitcher).current != "rv-walk":
            self.action_view("rv-walk")
            return
        self.app.pop_screen()
