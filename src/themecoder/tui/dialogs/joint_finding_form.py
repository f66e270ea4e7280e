"""Enter or correct a quantitative finding in a form."""
from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from themecoder.core.quant import TESTS, SurveyFinding, SurveyFindingError

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
TAILS = [("two-tailed (the default)", 2), ("one-tailed", 1)]  # a one-tailed test is judged as statcheck does


class JointFindingForm(ModalScreen[SurveyFinding | None]):
    """Enter (or correct) a quantitative finding. ctrl+s checks and saves; a problem is
    shown in the form, which stays open."""

    BINDINGS: ClassVar[list[BindingType]] = [
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

    def __init__(self, heading: str, finding: SurveyFinding | None = None) -> None:
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
                    if name == "p_reported":
                        with Horizontal(classes="jd-row"):
                            yield Label("Tails", classes="jd-field-label")
                            yield Select(TAILS, value=self.initial.tails if self.initial else 2,
                                         allow_blank=False, id="jd-f-tails")
            yield Static("", id="jd-form-error")
            yield Label("Tab moves · decimal comma or point · ctrl+s saves · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#jd-f-instrument", Input).focus()

    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"test": self.query_one("#jd-f-test", Select).value,
                               "tails": self.query_one("#jd-f-tails", Select).value}
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
            finding = SurveyFinding.from_dict(self.data(), where="the finding")
        except SurveyFindingError as exc:
            self.query_one("#jd-form-error", Static).update(str(exc))
            return
        if self.initial is not None:
            finding.id = self.initial.id
        self.dismiss(finding)

    def action_cancel(self) -> None:
        self.dismiss(None)
