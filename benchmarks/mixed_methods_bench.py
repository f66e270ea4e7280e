"""Timings of the mixed-methods path (issue 13). Prints numbers; asserts nothing.

    python benchmarks/mixed_methods_bench.py

1. Reading the demo survey: data.csv and data.sav (pyreadstat), and scoring it
   (compute_findings: descriptives, alpha, t-tests, Mann-Whitney, correlations).
2. The consistency check of a project's findings (statcheck-style) for the demo's 8 published
   findings and for 500 synthetic reported t-tests.
3. The mixed-methods report of the demo project as .docx (columns sized from their content).
"""
from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def timed(label: str, fn, repeat: int = 3):
    best = float("inf")
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<58} {best * 1000:9.1f} ms")
    return result


def main() -> int:
    from themecoder.core.quant import SurveyFinding
    from themecoder.core.statcheck import check_findings
    from themecoder.core.survey import compute_findings
    from themecoder.io.tabular import read_survey_table

    survey = ROOT / "corpora" / "survey"
    timed("read data.csv (42 respondents, 38 columns)", lambda: read_survey_table(survey / "data.csv"))
    timed("read data.sav (pyreadstat)", lambda: read_survey_table(survey / "data.sav"))
    timed("compute findings from data.csv", lambda: compute_findings(survey / "data.csv",
                                                                     survey / "scales.yaml"))
    table = read_survey_table(survey / "data.sav")
    found = timed("compute findings from data.sav", lambda: compute_findings(table, survey / "scales.yaml"))
    print(f"  {len(found)} findings")
    rng = random.Random(13)
    many = [SurveyFinding(test="t-test", statistic=round(rng.uniform(-4, 4), 2), df=rng.randint(10, 200),
                          p_reported=f".{rng.randint(1, 99):02d}", tails=rng.choice((1, 2)))
            for _ in range(500)]
    results = timed("check 500 reported t-tests", lambda: check_findings(many))
    print(f"  {sum(not r.consistent for r in results)} of 500 flagged (random p values)")

    from themecoder.core.project import Project
    from themecoder.io.demo import build_demo
    from themecoder.io.report import ReportOptions, write_report

    with tempfile.TemporaryDirectory() as tmp:
        path = build_demo(Path(tmp) / "demo")
        with Project.open(path) as p:
            from themecoder.core.findings import check_project_findings

            timed("check the demo's findings", lambda: check_project_findings(p))
            timed("report .docx (nb) of the demo", lambda: write_report(
                p, Path(tmp) / "r.docx", options=ReportOptions(lang="nb")), repeat=2)
        shutil.rmtree(Path(tmp) / "demo", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
