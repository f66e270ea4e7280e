"""Norwegian NLP: sentences, lemmas and named entities for transcripts.

Importing this package does not import spaCy (that takes about a second); spaCy and the
model are loaded on the first `load_pipeline()` / `get_pipeline()` call and cached.

    status = pipeline_status()          # cheap: what will be used, never imports spaCy
    nlp = get_pipeline()                # loads once (thread-safe); model or fallback
    result = nlp.analyse(text, spans)   # plain data: sentences, tokens (+lemmas), entities
    nlp.lemma("relasjonene")            # "relasjon"

The model is the argument, else $THEMECODER_MODEL, else nb_core_news_sm; it may be an
installed package name or the folder of any saved spaCy pipeline. `"fallback"` forces the
built-in fallback (spaCy's blank Norwegian tokenizer, rule-based sentences, simplemma lemmas).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from themecoder.nlp.loader import (
    DEFAULT_MODEL,
    FALLBACK,
    FALLBACK_NAME,
    INSTALL_HINT,
    MODEL_ENV,
    cached_pipeline,
    clear_pipeline_cache,
    get_pipeline,
    load_pipeline,
    pipeline_status,
    requested_model,
)
from themecoder.nlp.results import Analysis, Entity, PipelineStatus, Token

if TYPE_CHECKING:
    from themecoder.nlp.pipeline import Pipeline

__all__ = [
    "Analysis", "DEFAULT_MODEL", "Entity", "FALLBACK", "FALLBACK_NAME", "INSTALL_HINT",
    "MODEL_ENV", "Pipeline", "PipelineStatus", "Token", "cached_pipeline",
    "clear_pipeline_cache", "get_pipeline", "load_pipeline", "pipeline_status", "requested_model",
]


def __getattr__(name: str) -> Any:
    if name == "Pipeline":  # the class itself imports no spaCy, but keep the import cheap
        from themecoder.nlp.pipeline import Pipeline

        return Pipeline
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
