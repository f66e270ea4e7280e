"""Finding, loading and caching the NLP pipeline.

`pipeline_status` never imports spaCy or the model; `load_pipeline` does (lazily) and caches
the result per model, so the TUI can load it once in a worker thread.
"""
from __future__ import annotations

import importlib.util
import json
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from themecoder.nlp.results import PipelineStatus

if TYPE_CHECKING:
    from themecoder.nlp.pipeline import Pipeline

DEFAULT_MODEL = "nb_core_news_sm"
MODEL_ENV = "THEMECODER_MODEL"
FALLBACK = "fallback"  # ask for the fallback explicitly: load_pipeline("fallback")
FALLBACK_NAME = "spacy.blank('nb') + simplemma"

INSTALL_HINT = (
    "To get the full Norwegian model without internet on this machine: on another machine "
    "download the wheel nb_core_news_sm-3.8.0-py3-none-any.whl from the spaCy models release "
    "page (github.com/explosion/spacy-models/releases, release nb_core_news_sm-3.8.0), copy it "
    "here and run `pip install nb_core_news_sm-3.8.0-py3-none-any.whl` in themecoder's "
    "environment; or set THEMECODER_MODEL to the folder of any saved spaCy pipeline."
)

_FALLBACK_WHAT = f"using the built-in fallback ({FALLBACK_NAME}): sentences and lemmas, no named entities"

_LOCK = threading.Lock()  # guards _CACHE; held only briefly, so status checks never wait on a load
_LOAD_LOCK = threading.Lock()  # one load at a time; a second caller waits and gets the same object
_CACHE: dict[str, "Pipeline"] = {}
_FALLBACK_NLP = None


def requested_model(model: str | None = None) -> str:
    """The model asked for: the argument, else $THEMECODER_MODEL, else nb_core_news_sm."""
    for candidate in (model, os.environ.get(MODEL_ENV)):
        if candidate and candidate.strip():
            return candidate.strip()
    return DEFAULT_MODEL


def _looks_like_path(name: str) -> bool:
    if "/" in name or "\\" in name or os.sep in name or name.startswith((".", "~")):
        return True
    p = Path(name)
    return p.is_dir() and (p / "config.cfg").is_file()


def _locate(requested: str) -> tuple[str, str, bool]:
    """(kind of reference: "fallback" | "path" | "package", display name, found)."""
    if requested.lower() == FALLBACK:
        return "fallback", FALLBACK_NAME, False
    if _looks_like_path(requested):
        path = Path(requested).expanduser().resolve()
        return "path", str(path), path.is_dir() and (path / "config.cfg").is_file()
    found = False
    if requested.isidentifier():  # find_spec on a top-level name does not import it
        try:
            found = importlib.util.find_spec(requested) is not None
        except (ImportError, ValueError):
            found = False
    return "package", requested, found


def _cache_key(requested: str) -> str:
    ref, name, _ = _locate(requested)
    return f"{ref}:{name}"


def _one_line(text: object, limit: int = 200) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _describe(ref: str, name: str) -> str:
    if ref == "package":
        import importlib.metadata  # here: 8 ms of imports the first screen need not pay without a model

        try:
            return f"spaCy model {name} {importlib.metadata.version(name)}"
        except importlib.metadata.PackageNotFoundError:
            return f"spaCy model {name}"
    try:
        meta = json.loads((Path(name) / "meta.json").read_text(encoding="utf-8"))
        label = f"{meta['lang']}_{meta['name']} {meta.get('version', '')}".strip()
        return f"spaCy pipeline {label} at {name}"
    except (OSError, ValueError, KeyError, TypeError):
        return f"spaCy pipeline at {name}"


def _predict(requested: str) -> PipelineStatus:
    ref, name, found = _locate(requested)
    if ref == "fallback":
        return PipelineStatus(
            "fallback", FALLBACK_NAME, requested, False,
            f"Fallback requested: {_FALLBACK_WHAT}.", INSTALL_HINT,
        )
    if found:
        return PipelineStatus("model", name, requested, True, f"Using {_describe(ref, name)}.", INSTALL_HINT)
    if ref == "path":
        why = f"No saved spaCy pipeline at {name} (config.cfg not found)"
    else:
        why = f"spaCy model {name!r} is not installed"
    return PipelineStatus("fallback", FALLBACK_NAME, requested, False, f"{why}; {_FALLBACK_WHAT}.", INSTALL_HINT)


def pipeline_status(model: str | None = None) -> "PipelineStatus":
    """What `load_pipeline(model)` will use, without importing spaCy or the model.

    If that pipeline is already loaded, its actual status (e.g. a model that failed to load).
    """
    requested = requested_model(model)
    with _LOCK:
        loaded = _CACHE.get(_cache_key(requested))
    return loaded.status if loaded is not None else _predict(requested)


def _fallback_nlp():
    global _FALLBACK_NLP
    if _FALLBACK_NLP is None:
        from themecoder.nlp import fallback, lemmas

        _FALLBACK_NLP = fallback.build()
        lemmas.warm_up()
    return _FALLBACK_NLP


def _build(requested: str) -> "Pipeline":
    from themecoder.nlp.pipeline import Pipeline

    status = _predict(requested)
    if status.kind == "model":
        try:
            import spacy

            nlp = spacy.load(status.name if _locate(requested)[0] == "package" else Path(status.name))
        except Exception as exc:  # a broken or incompatible model must not stop the program
            why = f"{type(exc).__name__}: {_one_line(exc, 160)}"
            status = PipelineStatus(
                "fallback", FALLBACK_NAME, requested, True,
                f"Model {status.name} was found but could not be loaded ({why}); {_FALLBACK_WHAT}.",
                INSTALL_HINT,
            )
        else:
            return Pipeline(nlp, status)
    return Pipeline(_fallback_nlp(), status)


def load_pipeline(model: str | None = None) -> "Pipeline":
    """The pipeline for `model` (name or folder; default $THEMECODER_MODEL or nb_core_news_sm),
    loaded once and cached. Falls back to the blank pipeline when the model is missing or
    broken; `Pipeline.status` says which and why. Never downloads anything."""
    requested = requested_model(model)
    key = _cache_key(requested)
    with _LOCK:
        pipeline = _CACHE.get(key)
    if pipeline is not None:
        return pipeline
    with _LOAD_LOCK:
        with _LOCK:
            pipeline = _CACHE.get(key)
        if pipeline is None:
            pipeline = _build(requested)
            with _LOCK:
                _CACHE[key] = pipeline
        return pipeline


def cached_pipeline(model: str | None = None) -> "Pipeline | None":
    """The pipeline for `model` if it is already loaded, else None (never loads, never waits)."""
    key = _cache_key(requested_model(model))
    with _LOCK:
        return _CACHE.get(key)


def get_pipeline() -> "Pipeline":
    """The default pipeline (cached)."""
    return load_pipeline(None)


def clear_pipeline_cache() -> None:
    """Forget loaded pipelines (e.g. after installing a model or changing THEMECODER_MODEL)."""
    with _LOCK:
        _CACHE.clear()
