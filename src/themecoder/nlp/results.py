"""Plain-data results of the NLP layer. No spaCy objects ever leave `themecoder.nlp`."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Token:
    """A word-like token. Offsets are code points into the text passed to `analyse`."""

    start: int
    end: int
    text: str
    lemma: str  # always lowercase


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity, labelled as in spaCy's Norwegian model:
    PER, LOC, GPE_LOC, GPE_ORG, ORG, PROD, EVT, DRV, MISC."""

    start: int
    end: int
    label: str
    text: str


@dataclass(slots=True)
class Analysis:
    """Sentences as (start, end) offsets, trimmed and sorted; word tokens; entities."""

    sentences: list[tuple[int, int]] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PipelineStatus:
    """What the NLP layer will use (from `pipeline_status`) or uses (`Pipeline.status`).

    kind:            "model" (a spaCy pipeline is loaded) or "fallback"
    name:            the model package name, the pipeline folder, or the fallback's name
    model_requested: the model name or path that was asked for
    model_found:     whether that model is installed / the folder holds a saved pipeline
    message:         one line for the user
    install_hint:    how to install the full model offline
    """

    kind: str
    name: str
    model_requested: str
    model_found: bool
    message: str
    install_hint: str
