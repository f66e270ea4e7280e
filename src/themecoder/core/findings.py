"""Mixed methods: quantitative findings in the project, their links to themes, the design,
and the data of the joint display.

Findings
    A stored finding is a :class:`themecoder.core.quant.SurveyFinding` (every field kept; lists
    and mappings as JSON) plus a number: F1, F2, ... in the order they were added, never
    reused, so that "F3" in a draft keeps meaning the same finding. Findings are added by
    hand (:func:`add_finding`), from a CSV or YAML file (:func:`import_findings_file`), or
    computed from survey data (:func:`compute_survey_findings`, source "computed"). A
    finding whose id is already in the project is *updated* in place (its number and links
    stay): re-importing a corrected file, or re-computing after a data correction (the
    survey's ids are stable), refreshes the numbers without losing the integration work.

Links
    Any theme or subtheme can be linked to any finding, with an integration outcome
    (Fetters, Curry & Creswell 2013: the qualitative and quantitative results *confirm*
    each other, the one *expands* on the other, or they are *discordant*) and a
    meta-inference: what the two strands say together. One link per theme and finding.
    Deleting a theme or a finding deletes its links (and undo brings them back).

Design
    The project's mixed-methods design (Creswell & Plano Clark): convergent, explanatory
    sequential or exploratory sequential, stored in the project settings.

Joint display
    :func:`joint_display` gives one row per theme (top-level themes; subthemes that have
    links, or all of them on request) with a few quotes (the theme's key quote first, then
    one per participant), the numbers of participants and codings, and the linked findings
    with outcome and meta-inference; :meth:`JointDisplay.by_finding` turns it around (one
    row per finding with the themes that speak to it). A cell that rests on five or fewer
    participants (:data:`SMALL_N`) is flagged, on the quantitative side too (a finding with
    n <= 5 overall or in a group).

Every change is one action through :meth:`Project.action` (one undo). Pure Python: no
python-docx, no Textual; scipy only when findings are computed or checked.

This module gathers the mixed-methods API in one place; the code lives in
core.survey_findings (records, import, edit, check, design), core.survey_links (links),
core.joint_display (joint display, coverage) and core.survey_demo (the demo's layer).
SQL: store.survey.
"""
from __future__ import annotations

from themecoder.core.joint_display import (
    Coverage,
    CoverageRow,
    JointDisplay,
    JointEntry,
    JointRow,
    SurveyFindingRow,
    choose_quotes,
    coverage,
    joint_display,
)
from themecoder.core.survey_demo import DEMO_DESIGN, DEMO_LINKS, import_demo_survey
from themecoder.core.survey_findings import (
    COUNTER_KEY,
    DESIGN_KEY,
    DESIGNS,
    OUTCOMES,
    SMALL_N,
    CheckedSurveyFinding,
    ImportResult,
    StoredSurveyFinding,
    add_finding,
    add_findings,
    check_project_findings,
    checks_by_id,
    compute_survey_findings,
    delete_finding,
    find_finding,
    finding_small_n,
    get_design,
    get_finding,
    import_findings_file,
    list_findings,
    normalise_design,
    normalise_outcome,
    replace_finding,
    set_design,
    update_finding,
)
from themecoder.core.survey_links import (
    Link,
    delete_link,
    get_link,
    link_theme,
    list_links,
    theme_paths,
    unlink_theme,
    update_link,
)

__all__ = [
    "OUTCOMES", "DESIGNS", "SMALL_N", "DESIGN_KEY", "COUNTER_KEY", "DEMO_DESIGN", "DEMO_LINKS",
    "StoredSurveyFinding", "Link", "ImportResult", "CheckedSurveyFinding",
    "JointDisplay", "JointRow", "JointEntry", "SurveyFindingRow", "Coverage", "CoverageRow",
    "normalise_outcome", "normalise_design", "finding_small_n", "list_findings", "get_finding",
    "find_finding", "add_finding", "add_findings", "import_findings_file",
    "compute_survey_findings", "update_finding", "replace_finding", "delete_finding",
    "check_project_findings", "checks_by_id", "get_design", "set_design", "theme_paths",
    "list_links", "get_link", "link_theme", "update_link", "unlink_theme", "delete_link",
    "choose_quotes", "joint_display", "coverage", "import_demo_survey",
]
