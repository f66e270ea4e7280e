"""The outcome of comparing a theme with a finding: confirmation, expansion, discordance."""
from __future__ import annotations

from themecoder.core.findings import OUTCOMES
from themecoder.tui.dialogs.joint_choice import JointChoice

OUTCOME_HELP = {
    "confirmation": "the two strands point the same way",
    "expansion": "one strand elaborates on or explains the other",
    "discordance": "the strands diverge or contradict each other",
}


class JointOutcomeChooser(JointChoice):
    CHOICES = OUTCOMES
    HELP = OUTCOME_HELP
