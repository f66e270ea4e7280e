"""The grouping view (Tjora's step): group codes into themes from the code list alone,
without opening transcripts.

Left, the theme tree: themes, subthemes and their codes with counts. Right, the codes in no
theme and the codes in several themes. Mark codes with space (in any list), then m moves
them to a theme chosen with a fuzzy picker (which can also make a new theme or subtheme).
Every change is one action: ctrl+z undoes it.
"""
from __future__ import annotations

from contextlib import suppress
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from themecoder.core import codebook, review, themes, views
from themecoder.errors import NotFound
from themecoder.model import Theme
from themecoder.tui.dialogs.ask_text import AskText
from themecoder.tui.dialogs.confirm import Confirm
from themecoder.tui.dialogs.key_quote_picker import KeyQuotePicker
from themecoder.tui.dialogs.theme_picker import ThemePick, ThemePicker
from themecoder.tui.dialogs.theme_texts_editor import ThemeTextsEditor
from themecoder.tui.screens.base import WorkbenchScreen
from themecoder.tui.widgets.hanging import hanging
from themecoder.tui.widgets.key_footer import KeyFooter
from themecoder.tui.widgets.status_bar import StatusBar

STATUS_MARK = {"approved": ("✓ ", "green"), "needs-revision": ("! ", "red"), "proposed": ("", "")}


class ThemesScreen(WorkbenchScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=True),
        Binding("space", "mark", "Mark", show=True),
        Binding("m", "move", "Move to…", show=True),
        Binding("n", "new_theme", "New theme", show=True),
        Binding("s", "new_subtheme", "New subtheme", show=True),
        Binding("r,f2", "rename", "Rename", show=True),
        Binding("e", "edit", "Texts", show=True),
        Binding("k", "key_quote", "Key quote", show=False),
        Binding("ctrl+up,left_square_bracket", "shift(-1)", "Up", show=False),
        Binding("ctrl+down,right_square_bracket", "shift(1)", "Down", show=False),
        Binding("delete,x", "remove", "Remove", show=True),
        Binding("u", "clear_marks", "Unmark all", show=False),
    ]
    DEFAULT_CSS = """
    ThemesScreen #tg-body { height: 1fr; }
    ThemesScreen #tg-tree-pane { width: 1fr; }
    ThemesScreen #tg-side { width: 1fr; min-width: 36; }
    ThemesScreen #tg-tree { height: 1fr; }
    ThemesScreen #tg-unthemed { height: 1fr; }
    ThemesScreen #tg-several { height: 1fr; max-height: 12; }
    ThemesScreen .tg-title { padding: 0 1; height: 1; width: 1fr; text-style: bold; }
    ThemesScreen #tg-detail { height: auto; max-height: 7; padding: 0 1; color: $text-muted; }
    ThemesScreen #tg-hint { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, app=None) -> None:
        super().__init__()
        self.marked: dict[tuple[str, str | None], str] = {}   # (code id, from theme) -> label
        self.theme_by_id: dict[str, Theme] = {}
        self.paths: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        with Horizontal(id="tg-body"):
            with Vertical(id="tg-tree-pane"):
                yield Label("", id="tg-tree-title", classes="tg-title")
                yield OptionList(id="tg-tree")
            with Vertical(id="tg-side"):
                yield Label("", id="tg-unthemed-title", classes="tg-title")
                yield OptionList(id="tg-unthemed")
                yield Label("", id="tg-several-title", classes="tg-title")
                yield OptionList(id="tg-several")
                yield Static("", id="tg-detail")
        yield Label("space marks · m moves the marked codes (or the highlighted one) · tab switches lists",
                    id="tg-hint")
        yield StatusBar()
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = "Themes"
        self.sub_title = self.app.project.name
        self.refresh_data()
        self.query_one("#tg-tree", OptionList).focus()

    # -- data ----------------------------------------------------------------------------
    def refresh_data(self) -> None:
        project = self.app.project
        seen = self.app.visible_coder  # blind coding: only this coder's codings are counted
        tree = themes.flatten(themes.theme_tree(project, coder=seen))
        stats = {s.code.id: s for s in views.code_stats(project, coder=seen)}
        statuses = {(i.target_type, i.theme_id, i.code_id): i.status for i in review.review_items(project)}
        self.theme_by_id = {n.theme.id: n.theme for n in tree}
        self.paths = {}
        for n in tree:
            parent = self.paths.get(n.theme.parent_id or "")
            self.paths[n.theme.id] = f"{parent} › {n.theme.name}" if parent else n.theme.name
        # Marks of codes or mappings that no longer exist are dropped.
        live = set(views.code_theme_pairs(project))
        self.marked = {k: v for k, v in self.marked.items()
                       if k[0] in stats and (k[1] is None or (k[0], k[1]) in live)}
        rows: list[Option] = []
        for n in tree:
            mark, colour = STATUS_MARK[statuses.get(("theme", n.theme.id, ""), "proposed")]
            rows.append(Option(hanging(
                ["  " * n.depth, (mark, colour), ("▸ " if n.children else "• ", "bold")],
                [(n.theme.name, "bold"),
                 (f"  {n.codings} codings · {n.participants} inf." + (f" · {len(n.codes)} codes" if n.codes else ""),
                  "dim")],
            ), id=f"t|{n.theme.id}"))
            for c in n.codes:
                rows.append(Option(self._code_row(c, n.theme.id, n.depth + 1, stats[c.id].codings,
                                                   statuses.get(("mapping", n.theme.id, c.id), "proposed")),
                                   id=f"c|{n.theme.id}|{c.id}"))
        self._fill("#tg-tree", rows)
        self.query_one("#tg-tree-title", Label).update(
            f"Themes ({len(tree)})" + (f" · {len(self.marked)} marked" if self.marked else ""))
        unthemed = themes.unthemed_codes(project)
        self._fill("#tg-unthemed", [Option(self._code_row(c, None, 0, stats[c.id].codings), id=f"u|{c.id}")
                                    for c in unthemed])
        self.query_one("#tg-unthemed-title", Label).update(f"Codes in no theme ({len(unthemed)})")
        several = themes.codes_in_several_themes(project)
        self._fill("#tg-several", [Option(self._code_row(
            c, None, 0, stats[c.id].codings,
            more=[[(", ".join(self.paths.get(t.id, t.name) for t in ts), "dim")]]), id=f"s|{c.id}") for c, ts in several])
        self.query_one("#tg-several-title", Label).update(f"In several themes ({len(several)})")
        self._show_detail()

    def _code_row(self, code, theme_id: str | None, depth: int, count: int, status: str = "proposed",
                  more: list | None = None):
        """A code's row; a long label wraps under itself, not under the marks."""
        marked = (code.id, theme_id) in self.marked
        mark, colour = STATUS_MARK[status]
        return hanging(
            ["  " * depth, ("[x] " if marked else "[ ] ", "bold" if marked else "dim"), (mark, colour or ""),
             ("■ ", code.colour)],
            [code.label, (f"  {count}", "dim")], *(more or []))

    def _fill(self, selector: str, rows: list[Option]) -> None:
        options = self.query_one(selector, OptionList)
        keep = None
        if options.highlighted is not None and options.option_count:
            keep = options.get_option_at_index(options.highlighted).id
        old_index = options.highlighted
        options.set_options(rows)
        ids = [r.id for r in rows]
        if ids:
            if keep in ids:
                options.highlighted = ids.index(keep)
            else:
                options.highlighted = min(old_index or 0, len(ids) - 1)

    # -- what the cursor is on ---------------------------------------------------------------
    def _current(self) -> tuple[str, str | None, str | None]:
        """(kind, theme id, code id) of the highlighted row of the focused list; kind is
        'theme', 'code' (in a theme), 'free' (a code outside the tree) or ''."""
        focused = self.focused
        if not isinstance(focused, OptionList) or focused.highlighted is None or not focused.option_count:
            return "", None, None
        option_id = focused.get_option_at_index(focused.highlighted).id or ""
        parts = option_id.split("|")
        if parts[0] == "t":
            return "theme", parts[1], None
        if parts[0] == "c":
            return "code", parts[1], parts[2]
        if parts[0] in ("u", "s"):
            return "free", None, parts[1]
        return "", None, None

    def _current_theme(self) -> Theme | None:
        _, theme_id, _ = self._current()
        return self.theme_by_id.get(theme_id or "")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_detail()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind, _, _ = self._current()
        if kind in ("code", "free"):
            self.action_move()
        elif kind == "theme":
            self.action_edit()

    def on_descendant_focus(self, _event) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#tg-detail", Static)
        kind, theme_id, code_id = self._current()
        project = self.app.project
        if kind == "theme" and theme_id in self.theme_by_id:
            t = self.theme_by_id[theme_id]
            bits = [Content.assemble((self.paths.get(t.id, t.name), "bold"))]
            if t.description:
                bits.append(Content(t.description))
            if t.key_coding_id:
                with suppress(NotFound):  # the key quote's coding was just removed
                    key = views.coding(project, t.key_coding_id)
                    if self.app.visible_coder in (None, key.coder):  # another coder's: hidden while blind
                        bits.append(Content.assemble(("Key quote: ", "italic"), f"«{key.quote}»"))
            detail.update(Content("\n").join(bits))
        elif code_id:
            try:
                code = views.code(project, code_id)
            except NotFound:  # the code was just merged or deleted
                detail.update("")
                return
            where = [self.paths.get(t, "") for c, t in views.code_theme_pairs(project) if c == code_id]
            bits = [Content.assemble(("■ ", code.colour), (code.label, "bold"))]
            if code.description:
                bits.append(Content(code.description))
            bits.append(Content.assemble(("In: ", "dim"), ", ".join(where) if where else "no theme"))
            detail.update(Content("\n").join(bits))
        else:
            detail.update("")

    # -- marking and moving ----------------------------------------------------------------
    def action_mark(self) -> None:
        kind, theme_id, code_id = self._current()
        if kind not in ("code", "free") or code_id is None:
            return
        key = (code_id, theme_id if kind == "code" else None)
        if key in self.marked:
            del self.marked[key]
        else:
            self.marked[key] = views.code(self.app.project, code_id).label
        focused = self.focused
        self.refresh_data()
        if isinstance(focused, OptionList) and focused.highlighted is not None:
            focused.highlighted = min(focused.option_count - 1, focused.highlighted + 1)

    def action_clear_marks(self) -> None:
        self.marked.clear()
        self.refresh_data()

    def _theme_choices(self, exclude: set[str] | None = None) -> list[tuple[Theme, str]]:
        return [(t, self.paths[t.id]) for t in self.theme_by_id.values() if not exclude or t.id not in exclude]

    def action_move(self) -> None:
        kind, theme_id, code_id = self._current()
        if self.marked:
            items = list(self.marked)
        elif kind == "code":
            items = [(code_id, theme_id)]
        elif kind == "free":
            items = [(code_id, None)]
        elif kind == "theme":
            self._move_theme(theme_id)
            return
        else:
            self.notify("Mark codes with space first, or highlight one.", severity="warning")
            return
        n = len(items)
        heading = f"Move {n} codes to …" if n > 1 else f"Move «{views.code(self.app.project, items[0][0]).label}» to …"
        context = self.theme_by_id.get(theme_id or "")

        def done(pick: ThemePick | None) -> None:
            if pick is None:
                return
            target = pick.theme_id
            if pick.new_name:
                created = self.app.act(themes.create_theme, pick.new_name, parent_id=pick.parent_id)
                if created is None:
                    return
                target = created.id
            if target is None:
                return
            moved = self.app.act(themes.move_mappings, items, target,
                                 done=f"{n} codes moved to «{self.paths.get(target) or pick.new_name}».")
            if moved is not None:
                self.marked.clear()
                self.refresh_data()
                self._highlight(f"t|{target}")

        self.app.push_screen(ThemePicker(heading, self._theme_choices(), context=context), done)

    def _move_theme(self, theme_id: str) -> None:
        project = self.app.project
        theme = self.theme_by_id[theme_id]
        exclude = {theme_id, *themes.descendants(project, theme_id)}

        def done(pick: ThemePick | None) -> None:
            if pick is None:
                return
            parent = pick.theme_id
            if pick.new_name:
                created = self.app.act(themes.create_theme, pick.new_name, parent_id=pick.parent_id)
                if created is None:
                    return
                parent = created.id
            self.app.act(themes.move_theme, theme_id, None if pick.top_level else parent,
                         done=f"«{theme.name}» moved.")
            self._highlight(f"t|{theme_id}")

        self.app.push_screen(ThemePicker(f"Move theme «{theme.name}» under …", self._theme_choices(exclude),
                                         allow_top=True), done)

    def _highlight(self, option_id: str) -> None:
        tree = self.query_one("#tg-tree", OptionList)
        for i in range(tree.option_count):
            if tree.get_option_at_index(i).id == option_id:
                tree.highlighted = i
                tree.focus()
                return

    # -- creating, renaming, texts -----------------------------------------------------------
    def action_new_theme(self) -> None:
        def done(name: str | None) -> None:
            if name:
                t = self.app.act(themes.create_theme, name, done=f"Theme «{name}» created.")
                if t is not None:
                    self._highlight(f"t|{t.id}")

        self.app.push_screen(AskText("New theme", placeholder="name of the theme"), done)

    def action_new_subtheme(self) -> None:
        parent = self._current_theme()
        if parent is None:
            self.notify("Highlight the theme the subtheme goes under.", severity="warning")
            return

        def done(name: str | None) -> None:
            if name:
                t = self.app.act(themes.create_theme, name, parent_id=parent.id,
                                 done=f"Subtheme «{name}» created under «{parent.name}».")
                if t is not None:
                    self._highlight(f"t|{t.id}")

        self.app.push_screen(AskText(f"New subtheme under «{parent.name}»", placeholder="name of the subtheme"), done)

    def action_rename(self) -> None:
        kind, theme_id, code_id = self._current()
        if kind == "theme":
            theme = self.theme_by_id[theme_id]
            self.app.push_screen(AskText("Rename theme", theme.name), lambda name: name and self.app.act(
                themes.rename_theme, theme.id, name, done="Theme renamed."))
        elif code_id:
            code = views.code(self.app.project, code_id)
            self.app.push_screen(AskText("Rename code", code.label), lambda label: label and self.app.act(
                codebook.rename_code, code.id, label, done="Code renamed."))

    def action_edit(self) -> None:
        theme = self._current_theme()
        if theme is None:
            return

        def done(texts) -> None:
            if texts is not None:
                self.app.act(themes.update_theme, theme.id, description=texts.description,
                             analytic_text=texts.analytic_text, condensate=texts.condensate,
                             done="Theme texts saved.")

        self.app.push_screen(ThemeTextsEditor(views.theme(self.app.project, theme.id)), done)

    def action_key_quote(self) -> None:
        theme = self._current_theme()
        if theme is None:
            return
        project = self.app.project
        rows = views.key_quote_rows(project, theme.id, coder=self.app.visible_coder)
        if not rows:
            self.notify("The theme has no quotes yet.", severity="warning")
            return

        def done(coding_id: str | None) -> None:
            if coding_id is not None:
                self.app.act(themes.set_key_quote, theme.id, coding_id or None, done="Key quote set.")

        self.app.push_screen(KeyQuotePicker(views.theme(project, theme.id), rows), done)

    # -- order and removal --------------------------------------------------------------------
    def action_shift(self, delta: int) -> None:
        kind, theme_id, code_id = self._current()
        if kind == "theme":
            self.app.act(themes.shift_theme, theme_id, delta)
        elif kind == "code":
            order = [c.id for c in views.theme_codes(self.app.project, theme_id)]
            pos = order.index(code_id) + 1 + delta
            if 1 <= pos <= len(order):
                self.app.act(themes.reorder_code, theme_id, code_id, pos)

    def action_remove(self) -> None:
        kind, theme_id, code_id = self._current()
        project = self.app.project
        if kind == "code":
            code = views.code(project, code_id)
            self.app.act(themes.remove_code_from_theme, code_id, theme_id,
                         done=f"«{code.label}» taken out of «{self.theme_by_id[theme_id].name}» (the code stays).")
        elif kind == "theme":
            theme = self.theme_by_id[theme_id]
            subs = len(themes.descendants(project, theme_id))
            detail = "Its codes stay; only their mappings go." + (f" Its {subs} subthemes go too." if subs else "")

            def done(yes: bool | None) -> None:
                if yes:
                    self.app.act(themes.delete_theme, theme_id, done=f"Theme «{theme.name}» deleted (ctrl+z undoes).")

            self.app.push_screen(Confirm(f"Delete theme «{theme.name}»?", detail), done)

    def action_back(self) -> None:
        self.app.pop_screen()
