"""Moved: the joint display dialogs live in themecoder.tui.dialogs, one per module."""
from __future__ import annotations

# TRANSITIONAL: remove at integration
from themecoder.tui.dialogs.joint_confirm import JointConfirm  # noqa: F401
from themecoder.tui.dialogs.joint_design_chooser import DESIGN_HELP, JointDesignChooser  # noqa: F401
from themecoder.tui.dialogs.joint_finding_chooser import NEW_FINDING, JointFindingChooser  # noqa: F401
from themecoder.tui.dialogs.joint_finding_form import FIELDS, GROUP_PARTS, JointFindingForm  # noqa: F401
from themecoder.tui.dialogs.joint_meta_inference_editor import JointMetaInferenceEditor  # noqa: F401
from themecoder.tui.dialogs.joint_outcome_chooser import OUTCOME_HELP, JointOutcomeChooser  # noqa: F401
