"""The model route, with a small saved spaCy pipeline standing in for nb_core_news_sm
(which cannot be installed here). Loading goes through the real loader; nothing downloads."""
from __future__ import annotations

import sys
import threading

import pytest

import themecoder.nlp as nlp_mod
from themecoder.nlp import (
    INSTALL_HINT,
    clear_pipeline_cache,
    get_pipeline,
    load_pipeline,
    pipeline_status,
)

spacy = pytest.importorskip("spacy")

PATTERNS = [
    {"label": "PER", "pattern": [{"TEXT": "Kari"}, {"TEXT": "Nordmann"}]},
    {"label": "PER", "pattern": "Anna"},
    {"label": "GPE_LOC", "pattern": "Oslo"},
    {"label": "GPE_LOC", "pattern": "Tromsø"},
    {"label": "ORG", "pattern": "NAV"},
    {"label": "ORG", "pattern": [{"LOWER": "statens"}, {"LOWER": "vegvesen"}]},
]


def build(with_lemmas: bool = False):
    nlp = spacy.blank("nb")
    nlp.add_pipe("sentencizer")
    if with_lemmas:  # a pipeline that sets its own lemmas (lowercased on the way out)
        ruler = nlp.add_pipe("attribute_ruler")
        ruler.add([[{"LOWER": "gikk"}]], {"LEMMA": "GÅ_MODELL"})
    nlp.add_pipe("entity_ruler").add_patterns(PATTERNS)
    return nlp


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    path = tmp_path_factory.mktemp("models") / "nb_test_pipeline"
    build().to_disk(path)
    return path


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    """No cached pipelines, no THEMECODER_MODEL, and any download attempt fails."""
    import spacy.cli
    import spacy.cli.download  # noqa: F401  (the submodule; spacy.cli.download is the function)

    def refuse(*args, **kwargs):
        raise AssertionError("spaCy tried to download a model")

    monkeypatch.setattr(spacy.cli, "download", refuse)
    monkeypatch.setattr(sys.modules["spacy.cli.download"], "download", refuse)
    monkeypatch.delenv("THEMECODER_MODEL", raising=False)
    clear_pipeline_cache()
    yield
    clear_pipeline_cache()


TEXT = "Kari Nordmann jobber i NAV i Oslo. Hun trives godt der, sa Anna."


def test_saved_pipeline_loads_by_path_with_entities(saved):
    before = pipeline_status(str(saved))
    assert before.kind == "model" and before.model_found
    assert before.name == str(saved.resolve())

    p = load_pipeline(str(saved))
    assert p.kind == "model" and p.status.kind == "model" and p.status.model_found
    assert p.has_entities
    assert p.status.model_requested == str(saved)
    result = p.analyse(TEXT)
    assert [TEXT[s:e] for s, e in result.sentences] == [
        "Kari Nordmann jobber i NAV i Oslo.",
        "Hun trives godt der, sa Anna.",
    ]
    ents = [(e.label, e.text, TEXT[e.start:e.end]) for e in result.entities]
    assert ents == [
        ("PER", "Kari Nordmann", "Kari Nordmann"),
        ("ORG", "NAV", "NAV"),
        ("GPE_LOC", "Oslo", "Oslo"),
        ("PER", "Anna", "Anna"),
    ]
    assert result.entities[0].start == 0 and result.entities[0].end == 13
    # the saved pipeline has no lemmatizer: lemmas are filled in from simplemma
    lemmas = {t.text: t.lemma for t in result.tokens}
    assert lemmas["jobber"] == "jobbe"
    assert lemmas["sa"] == "si"
    assert lemmas["Oslo"] == "oslo"  # a name inside a sentence keeps its form
    assert all(t.lemma for t in result.tokens)
    assert p.lemma("relasjonene") == p.lemma("relasjoner") == "relasjon"


def test_entity_offsets_are_global_with_spans(saved):
    p = load_pipeline(str(saved))
    text = "I: Hvor bor du?\n\nAnna: Jeg bor i Tromsø nå. Før bodde jeg i Oslo."
    turns = [(0, 15), (17, len(text))]
    result = p.analyse(text, turns)
    assert [(e.label, text[e.start:e.end]) for e in result.entities] == [
        ("PER", "Anna"), ("GPE_LOC", "Tromsø"), ("GPE_LOC", "Oslo"),
    ]
    for e in result.entities:
        assert text[e.start:e.end] == e.text
    assert [text[s:e] for s, e in result.sentences] == [
        "I: Hvor bor du?", "Anna: Jeg bor i Tromsø nå.", "Før bodde jeg i Oslo.",
    ]


def test_model_lemmas_win_and_are_lowercased(tmp_path):
    path = tmp_path / "with_lemmas"
    build(with_lemmas=True).to_disk(path)
    p = load_pipeline(str(path))
    assert p.kind == "model"
    toks = {t.text: t.lemma for t in p.analyse("Hun gikk hjem.").tokens}
    assert toks["gikk"] == "gå_modell"  # from the pipeline, not simplemma
    assert toks["hjem"]  # filled in


def test_model_from_an_installed_package(tmp_path, monkeypatch):
    """A package found by importlib (as nb_core_news_sm would be) is loaded with spacy.load."""
    name = "themecoder_fake_nb_model"
    pkg = tmp_path / name
    pkg.mkdir()
    build().to_disk(pkg / "pipeline")
    (pkg / "__init__.py").write_text(
        "from pathlib import Path\n"
        "from spacy.util import load_model_from_path\n\n"
        "def load(**overrides):\n"
        "    return load_model_from_path(Path(__file__).parent / 'pipeline', **overrides)\n",
        encoding="utf-8",
    )
    dist = tmp_path / f"{name}-0.0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.0.1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        monkeypatch.setenv("THEMECODER_MODEL", name)
        status = pipeline_status()
        assert name not in sys.modules, "pipeline_status must not import the model"
        assert status.kind == "model" and status.model_found and status.name == name
        assert "0.0.1" in status.message
        p = get_pipeline()
        assert p.kind == "model" and p.name == name
        assert [e.text for e in p.analyse(TEXT).entities] == ["Kari Nordmann", "NAV", "Oslo", "Anna"]
    finally:
        sys.modules.pop(name, None)


def test_missing_model_falls_back_with_clear_message():
    status = pipeline_status("nb_no_such_model")
    assert status.kind == "fallback" and not status.model_found
    assert status.model_requested == "nb_no_such_model"
    p = load_pipeline("nb_no_such_model")
    assert p.kind == "fallback" and p.status == status
    assert "nb_no_such_model" in p.status.message and "not installed" in p.status.message
    assert "fallback" in p.status.message and "\n" not in p.status.message
    assert "nb_core_news_sm-3.8.0" in p.status.install_hint
    assert "pip install" in p.status.install_hint and "THEMECODER_MODEL" in p.status.install_hint
    assert p.status.install_hint == INSTALL_HINT
    result = p.analyse(TEXT)
    assert result.entities == [] and len(result.sentences) == 2 and not p.has_entities


def test_default_model_is_nb_core_news_sm_and_env_overrides(saved, monkeypatch):
    st = pipeline_status()
    assert st.model_requested == "nb_core_news_sm"
    import importlib.util

    installed = importlib.util.find_spec("nb_core_news_sm") is not None
    assert st.model_found == installed and st.kind == ("model" if installed else "fallback")
    monkeypatch.setenv("THEMECODER_MODEL", str(saved))
    assert pipeline_status().kind == "model"
    assert get_pipeline().kind == "model"
    # an explicit argument beats the environment
    assert load_pipeline("fallback").kind == "fallback"


def test_broken_model_falls_back(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.cfg").write_text("[nlp]\nlang = \"nb\"\npipeline = [\"nonexistent_component\"]\n")
    assert pipeline_status(str(broken)).kind == "model"  # looks like a pipeline
    p = load_pipeline(str(broken))
    assert p.kind == "fallback"
    assert p.status.model_found
    assert "could not be loaded" in p.status.message and "\n" not in p.status.message
    assert pipeline_status(str(broken)) == p.status  # once tried, the status tells the truth
    assert p.analyse("Det gikk. Bra.").sentences == [(0, 9), (10, 14)]


def test_folder_without_pipeline_falls_back(tmp_path):
    st = pipeline_status(str(tmp_path))
    assert st.kind == "fallback" and not st.model_found
    assert "config.cfg" in st.message
    assert load_pipeline(str(tmp_path)).kind == "fallback"


def test_pipelines_are_cached_and_thread_safe(saved):
    got = []

    def worker():
        got.append(load_pipeline(str(saved)))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 8 and all(p is got[0] for p in got)
    assert load_pipeline(str(saved)) is got[0]
    clear_pipeline_cache()
    assert load_pipeline(str(saved)) is not got[0]


def test_no_spacy_objects_leak(saved):
    result = load_pipeline(str(saved)).analyse(TEXT)
    for item in [*result.tokens, *result.entities]:
        for value in (getattr(item, f) for f in item.__slots__):
            assert type(value) in (int, str)
    assert all(type(s) is int and type(e) is int for s, e in result.sentences)
    assert nlp_mod.Pipeline is type(load_pipeline(str(saved)))
