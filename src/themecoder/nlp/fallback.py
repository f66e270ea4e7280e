"""The fallback pipeline: spaCy's blank Norwegian tokenizer, tuned for interview text.

Imported only when a pipeline is loaded (it imports spaCy).
"""
from __future__ import annotations

import spacy
from spacy.symbols import ORTH
from spacy.util import compile_suffix_regex

# spaCy's Bokmål exceptions that are also ordinary words: "Vi var to." must not keep "to."
# as one token (it is also "torsdag"); the same for ti, min, sen, jul, lat, bla, sms ...
AMBIGUOUS_EXCEPTIONS = (
    "to.", "ti.", "no.", "min.", "sen.", "el.", "et.", "lat.", "off.", "jul.", "sms.", "eg.",
    "bla.", "on.",
)

# Abbreviations missing from spaCy's list, and capitalised variants for sentence starts.
EXTRA_ABBREVIATIONS = (
    "Bl.a.", "Dvs.", "D.v.s.", "Kl.", "Nr.", "Jf.", "Evt.", "Ev.", "Mht.", "M.h.t.", "Pga.",
    "P.g.a.", "Iht.", "Ifm.", "Inkl.", "Ekskl.", "Vedr.", "Ang.", "Iflg.", "Hhv.", "Tlf.",
    "Ref.",
    "ang.", "iflg.", "d.v.s.", "m.h.t.", "o.s.v.", "el.l.", "gj.sn.", "forts.", "ifht.",
    "tilh.", "avd.", "kap.", "fig.", "tab.", "avsn.", "ibid.", "Kap.", "Fig.", "Tab.",
)

NAME = "spacy.blank('nb') + simplemma"


def build():
    """A blank `nb` pipeline with no components; sentences come from `segment`."""
    nlp = spacy.blank("nb")
    nlp.max_length = 50_000_000  # tokenizer only: memory grows slowly
    tok = nlp.tokenizer
    # Split a full stop glued to a number or date: "i 2021." -> "2021" "." ("01.09.2021." too).
    # Also after a capital following a small letter ("UiO."), which spaCy leaves attached.
    suffixes = list(nlp.Defaults.suffixes) + [r"(?<=[0-9])\.", r"(?<=[a-zæøåäöü][A-ZÆØÅÄÖÜ])\."]
    tok.suffix_search = compile_suffix_regex(suffixes).search
    rules = {k: v for k, v in (tok.rules or {}).items() if k not in AMBIGUOUS_EXCEPTIONS}
    for abbr in EXTRA_ABBREVIATIONS:
        rules[abbr] = [{ORTH: abbr}]
    tok.rules = rules
    return nlp
