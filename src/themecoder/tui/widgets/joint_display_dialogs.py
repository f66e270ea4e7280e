"""Dialogs of the joint display screen: choose a finding, choose an outcome or a design,
write a meta-inference, enter a quantitative finding in a form, confirm a removal."""
from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from themecoder.core.findings import DESIGNS, OUTCOMES, StoredFinding
from themecoder.core.quant import TESTS, Finding, FindingError
from themecoder.tui.screens.base import FilterPicker

NEW_FINDING = "__new__"

OUTCOME_HELP = {
    "confirmation": "the two strands point the same way",
    "expansion": "one strand elaborates on or explains the other",
    "discordance": "the strands diverge or contradict each other",
}
DESIGN_HELP = {
    "convergent": "survey and interviews in parallel, compared afterwards",
    "explanatory-sequential": "survey first; interviews explain its results",
    "exploratory-sequential": "interviews first; they shape what is measured",
}


class JointFindingChooser(FilterPicker, ModalScreen[str | None]):
    """Type to filter the findings; Enter chooses one (or the form for a new finding)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", show=True),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, heading: str, findings: list[tuple[StoredFinding, str]], *,
                 exclude: set[str] | None = None) -> None:
        super().__init__()
        self.heading = heading
        self.findings = [(sf, apa) for sf, apa in findings if not exclude or sf.id not in exclude]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="jd-chooser"):
            yield Label(self.heading, classes="dialog-title")
            yield Input(placeholder="type to filter: F5, a scale, a comparison …", id="jd-chooser-input")
            yield OptionList(id="jd-chooser-options")
            yield Label("↑↓ choose · Enter links · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._filter("")

    def _filter(self, query: str) -> None:
        q = query.casefold().strip()
        items = [Option(Content.assemble(("＋ ", "green"), ("Enter a new finding …", "bold")), id=NEW_FINDING)]
        for sf, apa in self.findings:
            hay = f"{sf.label} {sf.title} {sf.finding.test} {sf.finding.statement}".casefold()
            if q and q not in hay:
                continue
            items.append(Option(Content.assemble((f"{sf.label:<4} ", "bold"), sf.title,
                                                 (f"  [{sf.finding.test}]", "dim"), "\n     ", (apa, "italic")),
                                id=sf.id))
        options = self.query_one(OptionList)
        options.set_options(items)
        options.highlighted = 1 if len(items) > 1 and q else 0

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _choose(self, option_id: str | None) -> None:
        self.dismiss(option_id)


class _Choice(ModalScreen[str | None]):
    """A short list: 1, 2, 3 or Enter chooses."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", show=True),
        Binding("1", "pick(0)", show=False),
        Binding("2", "pick(1)", show=False),
        Binding("3", "pick(2)", show=False),
    ]
    CHOICES: tuple[str, ...] = ()
    HELP: dict[str, str] = {}

    def __init__(self, heading: str, current: str | None = None) -> None:
        super().__init__()
        self.heading, self.current = heading, current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield OptionList(*[
                Option(Content.assemble((f"{i}  ", "dim"), (c, "bold"), ("  ✓" if c == self.current else "", "green"),
                                        (f"  {self.HELP.get(c, '')}", "dim")), id=c)
                for i, c in enumerate(self.CHOICES, 1)], id="jd-choice")
            yield Label("1–3 or ↑↓ Enter choose · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.CHOICES.index(self.current) if self.current in self.CHOICES else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_pick(self, index: int) -> None:
        if index < len(self.CHOICES):
            self.dismiss(self.CHOICES[index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class JointOutcomeChooser(_Choice):
    CHOICES = OUTCOMES
    HELP = OUTCOME_HELP


class JointDesignChooser(_Choice):
    CHOICES = DESIGNS
    HELP = DESIGN_HELP


class JointMetaInferenceEditor(ModalScreen[str | None]):
    """The meta-inference: what the two strands say together. ctrl+s saves."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", show=True),
        Binding("escape", "cancel", "Cancel", show=True),
    ]

    def __init__(self, heading: str, text: str = "", context: str = "") -> None:
        super().__init__()
        self.heading, self.text, self.context = heading, text, context

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="jd-meta"):
            yield Label(self.heading, classes="dialog-title")
            if self.context:
                yield Static(self.context, id="jd-meta-context")
            yield TextArea(self.text, id="jd-meta-text", soft_wrap=True)
            yield Label("ctrl+s saves · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class JointConfirm(ModalScreen[bool]):
    BINDINGS = [
        Binding("y,j", "answer(True)", "Yes", show=True),
        Binding("n,escape", "answer(False)", "No", show=True),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-title")
            yield Label("y yes · n no", classes="dialog-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


# -- the finding form ---------------------------------------------------------------------------
FIELDS = [
    # (id, label, placeholder)
    ("instrument", "Instrument", "e.g. QPS Nordic"),
    ("scale", "Scale", "e.g. Støtte fra leder"),
    ("comparison", "Comparison", "e.g. med vs. uten brukererfaring (empty for one group)"),
    ("statistic", "Statistic", "t, U, r, ρ or α as printed: -2,51"),
    ("df", "df", "e.g. 38"),
    ("p_reported", "p as printed", ",02 or < ,001"),
    ("n", "N", "total sample size, e.g. 42"),
    ("effect_size", "Effect size", "e.g. 0,83"),
    ("effect_label", "Effect label", "d, g, r …"),
    ("statement", "Statement", "the finding in words"),
]
GROUP_PARTS = (("name", "group name"), ("n", "n"), ("mean", "M"), ("sd", "SD"))


class JointFindingForm(ModalScreen[Finding | None]):
    """Enter (or correct) a quantitative finding. ctrl+s checks and saves; a problem is
    shown in the form, which stays open."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", show=True),
        Binding("escape", "cancel", "Cancel", show=True),
    ]
    DEFAULT_CSS = """
    JointFindingForm #jd-form { max-height: 95%; }
    JointFindingForm .jd-row { height: auto; }
    JointFindingForm .jd-field-label { width: 14; padding: 1 1 0 0; }
    JointFindingForm .jd-row Input { width: 1fr; }
    JointFindingForm .jd-row Select { width: 1fr; }
    JointFindingForm #jd-form-error { color: $error; height: auto; }
    """

    def __init__(self, heading: str, finding: Finding | None = None) -> None:
        super().__init__()
        self.heading = heading
        self.initial = finding

    def _value(self, name: str) -> str:
        f = self.initial
        if f is None:
            return ""
        if name == "statistic" and f.statistic_reported:
            return f.statistic_reported
        value = getattr(f, name)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer() and name in ("df",):
            return str(int(value))
        return str(value)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="jd-form"):
            yield Label(self.heading, classes="dialog-title")
            with VerticalScroll():
                with Horizontal(classes="jd-row"):
                    yield Label("Test", classes="jd-field-label")
                    yield Select([(t, t) for t in TESTS], value=self.initial.test if self.initial else "t-test",
                                 allow_blank=False, id="jd-f-test")
                for name, label, placeholder in FIELDS[:3]:
                    with Horizontal(classes="jd-row"):
                        yield Label(label, classes="jd-field-label")
                        yield Input(self._value(name), placeholder=placeholder, id=f"jd-f-{name}")
                groups = list(self.initial.groups) if self.initial else []
                for k in (1, 2):
                    g = groups[k - 1] if len(groups) >= k else None
                    with Horizontal(classes="jd-row"):
                        yield Label(f"Group {k}", classes="jd-field-label")
                        for part, placeholder in GROUP_PARTS:
                            value = "" if g is None or getattr(g, part) is None else str(getattr(g, part))
                            yield Input(value, placeholder=placeholder, id=f"jd-g{k}-{part}")
                for name, label, placeholder in FIELDS[3:]:
                    with Horizontal(classes="jd-row"):
                        yield Label(label, classes="jd-field-label")
                        yield Input(self._value(name), placeholder=placeholder, id=f"jd-f-{name}")
            yield Static("", id="jd-form-error")
            yield Label("Tab moves · decimal comma or point · ctrl+s saves · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#jd-f-instrument", Input).focus()

    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"test": self.query_one("#jd-f-test", Select).value}
        for name, _, _ in FIELDS:
            value = self.query_one(f"#jd-f-{name}", Input).value.strip()
            if value:
                out[name] = value
        groups = []
        for k in (1, 2):
            g = {part: self.query_one(f"#jd-g{k}-{part}", Input).value.strip() for part, _ in GROUP_PARTS}
            if any(g.values()):
                groups.append({key: v for key, v in g.items() if v} | {"name": g["name"] or f"Gruppe {k}"})
        if groups:
            out["groups"] = groups
        if self.initial is not None:
            out["source"] = self.initial.source
            out["variables"] = list(self.initial.variables)
            out["details"] = dict(self.initial.details)
        return out

    def action_save(self) -> None:
        try:
            finding = Finding.from_dict(self.data(), where="the finding")
        except FindingError as exc:
            self.query_one("#jd-form-error", Static).update(str(exc))
            return
        if self.initial is not None:
            finding.id = self.initial.id
        self.dismiss(finding)

    def action_cancel(self) -> None:
        self.dismiss(None)
