"""Blind coding: a coder sees only their own codings, so parallel coding stays independent.

Codes (the codebook) stay shared; only codings are hidden. A coder is blind when they ask for it
(`themecoder open P --blind`, or the toggle in the workbench), or when the project is set to keep
coders blind until agreement is computed (`themecoder blind P on`): then everyone is blind until
`themecoder agreement` has run once on the project, which lifts it for all.

The filter itself is one thing: every read that shows codings or counts of them takes `coder=`
(None: everyone's codings), and this module says whose codings a session may see
(`visible_coder`). The doors pass its answer: the TUI screens `app.visible_coder` (transcript,
code list, retrieval, matrix, overview, review, themes, duplicates, joint display), the CLI
`cli.common.seen_coder` (`--blind` on every command that prints codings or their counts), and
the export service refuses exports with codings while the exporter is blind (`check_export`).
See DEVELOPERS.md, "Blind coding: one rule, every door".
"""
from __future__ import annotations

from themecoder.core.project import Project

BLIND_SETTING = "agreement.blind"          # "1": coders are blind until agreement is computed
REVEALED_SETTING = "agreement.computed"    # when agreement was first computed (lifts the above)


def blind_by_project(project: Project) -> bool:
    """Does the project keep coders blind (set, and agreement not yet computed)?"""
    return project.setting(BLIND_SETTING) == "1" and not project.setting(REVEALED_SETTING)


def visible_coder(project: Project, blind: bool = False) -> str | None:
    """The coder whose codings this session shows, or None for everyone's."""
    return project.coder if blind or blind_by_project(project) else None


def check_export(project: Project, blind: bool, what: str) -> None:
    """The rule for exports (applied once, in io.export.run_export, to every export that shows
    codings or counts of them): while this person is blind, the export is refused rather than
    cut down to their own codings, since a quote table, codebook, report, review pack or REFI
    project with one coder's codings would pass for the project's. Agreement and disagreement
    exports are not refused: computing agreement is what lifts the blindness."""
    if visible_coder(project, blind) is None:
        return
    from themecoder.errors import UserError

    if blind_by_project(project):
        raise UserError(f"{what}: not while the project keeps coders blind until agreement is computed "
                        "(it would show other coders' codings); compute agreement first "
                        "(`themecoder agreement PROJECT --coders A B`) or turn it off (`themecoder blind PROJECT off`)")
    raise UserError(f"{what}: not with blind coding on (it would show other coders' codings); "
                    "export without --blind")


def set_blind_until_agreement(project: Project, on: bool) -> None:
    """Keep coders blind until agreement is computed (on), or not (off): one undoable action.
    Turning it on again hides codings again until the next computation."""
    from themecoder import store

    with project.action("blind-setting", "coders are blind until agreement is computed" if on
                        else "coders see each other's codings", {"blind": on}) as conn:
        store.project.set_setting(conn, BLIND_SETTING, "1" if on else "0")
        store.project.delete_setting(conn, REVEALED_SETTING)


def record_computed(project: Project) -> bool:
    """Agreement was computed: lift the project's blindness (one action). Only when the project
    keeps coders blind, so that computing agreement is otherwise a pure read. Returns whether
    it lifted anything."""
    if not blind_by_project(project):
        return False
    from themecoder import store
    from themecoder.store.db import now

    with project.action("agreement-computed", "agreement computed: coders now see each other's codings") as conn:
        store.project.set_setting(conn, REVEALED_SETTING, now())
    return True
