"""`import themecoder.nlp` and `pipeline_status()` must not import spaCy (it costs ~1 s)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def run(code: str, *args: str) -> subprocess.CompletedProcess:
    environ = dict(os.environ)
    environ["PYTHONPATH"] = os.pathsep.join([str(SRC), environ.get("PYTHONPATH", "")])
    environ.pop("THEMECODER_MODEL", None)
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=environ, timeout=120
    )


def test_import_does_not_import_spacy():
    proc = run(
        "import sys, themecoder.nlp\n"
        "from themecoder.nlp import Token, Entity, Analysis, PipelineStatus, pipeline_status\n"
        "bad = [m for m in ('spacy', 'thinc', 'simplemma') if m in sys.modules]\n"
        "assert not bad, bad\n"
        "print('ok')\n"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


def test_status_does_not_import_spacy_or_the_model(tmp_path):
    proc = run(
        "import sys\n"
        "from themecoder.nlp import pipeline_status\n"
        "for m in (None, 'nb_core_news_sm', 'no_such_model_xyz', 'fallback', sys.argv[1]):\n"
        "    st = pipeline_status(m)\n"
        "    assert st.kind in ('model', 'fallback')\n"
        "    assert '\\n' not in st.message\n"
        "assert 'spacy' not in sys.modules\n"
        "print('ok')\n",
        str(tmp_path),
    )
    assert proc.returncode == 0, proc.stderr


def test_pipeline_class_import_is_cheap():
    proc = run(
        "import sys\n"
        "from themecoder.nlp import Pipeline\n"
        "from themecoder.nlp.pipeline import paragraphs\n"
        "assert 'spacy' not in sys.modules\n"
    )
    assert proc.returncode == 0, proc.stderr
