"""The mixed-methods design of the project."""
from __future__ import annotations

from themecoder.core.findings import DESIGNS
from themecoder.tui.dialogs.joint_choice import JointChoice

DESIGN_HELP = {
    "convergent": "survey and interviews in parallel, compared afterwards",
    "explanatory-sequential": "survey first; interviews explain its results",
    "exploratory-sequential": "interviews first; they shape what is measured",
}


class JointDesignChooser(JointChoice):
    CHOICES = DESIGNS
    HELP = DESIGN_HELP
