"""The bundled demo project: three interviews, a codebook with themes, codings, a survey.

Built the way a user builds a project: the transcripts go through the importer (io.batch),
the rest through the core operations, so the demo holds nothing the rules would refuse.
"""
from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from themecoder.core.project import Project
from themecoder.errors import UserError
from themecoder.io.batch import import_files

if TYPE_CHECKING:
    from themecoder.nlp import Pipeline

Progress = Callable[[str], None]


def demo_root() -> Path:
    """corpora/ and codebooks/: inside the wheel (_demo) or beside src/ in a checkout."""
    packaged = Path(str(resources.files("themecoder"))) / "_demo"
    if (packaged / "corpora").is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "corpora").is_dir():
        return checkout
    raise UserError("the demo material (corpora/, codebooks/) is not installed")


def default_demo_dir(base: Path | None = None) -> Path:
    base = base or Path.cwd()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = base / f"demo-{stamp}"
    n = 2
    while path.exists():
        path = base / f"demo-{stamp}-{n}"
        n += 1
    return path


def build_demo(
    folder: Path, *, coder: str | None = None, pipeline: Pipeline | None = None,
    progress: Progress | None = None, index: bool = True, check: bool = True,
) -> Path:
    """Build a fresh demo project in `folder` (created; must be new or empty)."""
    from themecoder.core.codebook_io import import_codebook_file, import_participants_file

    root = demo_root()
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise UserError(f"{folder} is not empty; choose a new folder for the demo")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "demo.themecoder"
    project = Project.create(path, name="Demo: recovery-orientert praksis", coder=coder)
    try:
        transcripts = sorted((root / "corpora").glob("*.txt"))
        if progress:
            progress(f"importing {len(transcripts)} interviews")
        # index=False: the search index is built when the demo is opened (in the workbench's
        # indexing worker, or by the first search), so the demo opens without waiting for the
        # language pipeline (`themecoder demo` does this).
        results = import_files(project, transcripts, pipeline=pipeline, index=index)
        failed = [r for r in results if not r.ok]
        if failed:
            raise UserError(f"demo import failed: {failed[0].path}: {failed[0].message}")
        participants = root / "corpora" / "participants.yaml"
        if participants.exists():
            import_participants_file(project, participants)
        if progress:
            progress("loading the demo codebook and codings")
        import_codebook_file(project, root / "codebooks" / "demo.yaml")
        _after_build(project, root, progress, check)
    except BaseException:
        project.close()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    project.close()
    return path


def _after_build(project: Project, root: Path, progress: Progress | None, check_now: bool = True) -> None:
    """The survey findings with their theme links, and the identifier check, so the demo
    opens as a checked project (`themecoder demo` leaves the check to the workbench, which runs
    it in the background right after its first screen)."""
    from themecoder.core.anonymise import check
    from themecoder.core.findings import import_demo_survey

    survey = root / "corpora" / "survey"
    if survey.is_dir():
        if progress:
            progress("adding the demo survey findings")
        import_demo_survey(project, survey)
    if not check_now:
        return
    if progress:
        progress("checking the transcripts for identifiers")
    check(project)
