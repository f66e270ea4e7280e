"""Screens of the workbench, one line each. Add yours here.

Every entry becomes a key binding (everywhere in the app, shown in the help screen) and a
command in the command palette (ctrl+p). The screen's module is imported only when the user
first opens it, so adding an entry costs nothing at start-up.

    ScreenEntry(
        key="T",                                            # Textual key name(s), comma-separated
        title="Themes",                                     # palette and help title
        factory="themecoder.tui.screens.themes:ThemesScreen",  # "module:callable"
        description="Group codes into themes",
    ),

The factory is called as ``factory(app)`` and returns a ``textual.screen.Screen``; a Screen
class whose ``__init__`` takes the app works as it is. From the app you get what a screen needs:

    app.project                        the open core.project.Project (app.project.coder: who)
    app.act(fn, *args, done="…")       run a core operation fn(app.project, *args) as one user
                                       action: UserError becomes a notification, the screens
                                       refresh, returns fn's result or None on error
    app.show_document(doc_id, (s, e))  open a transcript with [s, e) selected and in view
    app.data_version                   bumps on every change (yours, undo/redo, another window);
    app.data_changed()                 call after writing outside app.act
    refresh_data()                     define it on your screen: the app calls it on the active
                                       screen after every change, and on resume when stale
    app.run_in_thread(fn, label)       long work in a worker thread with a progress bar
    StatusBar, from themecoder.tui.widgets.status_bar: compose it to show the pipeline,
                                       the coder and progress like the other screens

Screens read the project through themecoder.core.views (and other core modules), never the
store: no SQL under tui/. Dialogs (ModalScreen subclasses) go one per module in tui/dialogs/.

Screens opened from the registry replace each other (the stack stays overview → transcript →
one tool screen); escape on them goes back. Keys must not clash: tests/test_tui_registry.py
checks them against the app's own bindings and each other. Use a capital letter or a
function key: lower-case letters are taken by the transcript reader, and of the capitals
the workbench uses C (codes), S (search), O (overview) and M (memo on the document).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ScreenEntry:
    key: str
    title: str
    factory: str
    description: str = ""
    footer: bool = False  # show the key in the footer (keep the footer short: few do)

    @property
    def id(self) -> str:
        return self.factory.rsplit(":", 1)[-1]


SCREENS: list[ScreenEntry] = [
    ScreenEntry("C", "Codes", "themecoder.tui.screens.codes:CodeListScreen",
                "All codes with counts; every quote of a code; jump to a quote", footer=True),
    ScreenEntry("slash,S", "Search", "themecoder.tui.screens.search:SearchScreen",
                "Lemma-aware search with keyword in context; jump to or code a hit", footer=True),
    # Teammates: add your screens below, one line each.
    ScreenEntry("T", "Themes", "themecoder.tui.screens.themes_grouping:ThemesScreen",
                "Group codes into themes from the code list: mark, move to…, reorder, create, rename", footer=True),
    ScreenEntry("D", "Near-duplicate codes", "themecoder.tui.screens.themes_duplicates:DuplicatesScreen",
                "Clusters of similar code labels; one key merges a cluster"),
    ScreenEntry("X", "Code matrix", "themecoder.tui.screens.matrix:MatrixScreen",
                "Themes or codes by participant, counts in coloured cells; drill down to the quotes"),
    ScreenEntry("R", "Review", "themecoder.tui.screens.review:ReviewScreen",
                "Supervisor review: statuses and comments on themes and mappings; open threads; changes"),
    ScreenEntry("J", "Joint display", "themecoder.tui.screens.joint_display:JointDisplayScreen",
                "Mixed methods: themes beside survey findings; link, outcome, meta-inference, enter findings"),
    ScreenEntry("A", "Anonymisation", "themecoder.tui.screens.anonymisation:AnonymisationScreen",
                "Find identifiers; pseudonymise or replace with a category (navn, sted); the key file"),
    ScreenEntry("E", "Export", "themecoder.tui.screens.export:ExportScreen",
                "Quote tables, codebook, REFI-QDA, report, review summary or file; with the identifier guard"),
    ScreenEntry("K", "Disagreements", "themecoder.tui.screens.disagreements:DisagreementsScreen",
                "Intercoder disagreements side by side; accept one coder, both or neither (consensus)"),
]


def entry(entry_id: str) -> ScreenEntry:
    for e in SCREENS:
        if e.id == entry_id:
            return e
    raise KeyError(entry_id)


def load_factory(e: ScreenEntry):
    import importlib

    module, _, name = e.factory.partition(":")
    return getattr(importlib.import_module(module), name)
