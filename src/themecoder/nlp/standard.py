"""Bokmål or Nynorsk: which written standard a transcript is in, from frequent words that
differ between the two («ikkje/ikke», «eg/jeg», «kva/hva», «frå/fra» …).

A transcript is Nynorsk when such words are mostly the Nynorsk ones. Spoken dialect written
in Bokmål («ho», «me», «dei») is not enough: those words count for neither.
"""
from __future__ import annotations

import re

BOKMAL, NYNORSK = "nb", "nn"

# Frequent word pairs that differ between the standards (function words, mostly).
NN_WORDS = frozenset({
    "ikkje", "eg", "kva", "korleis", "kvifor", "kven", "kvar", "noko", "nokon", "nokre", "berre",
    "frå", "vere", "vore", "mykje", "òg", "eit", "hjå", "fekk", "sjå", "gjere", "seie",
    "saman", "difor", "sidan", "eigentleg", "korkje", "byrja",
})
NB_WORDS = frozenset({
    "ikke", "jeg", "hva", "hvordan", "hvorfor", "hvem", "hvor", "noe", "noen", "bare", "fra",
    "være", "vært", "mye", "også", "et", "en", "hos", "fikk", "se", "gjøre", "si", "sammen",
    "derfor", "siden", "egentlig", "begynte",
})
_WORD = re.compile(r"[a-zæøåòôéè]+")
SAMPLE = 200_000  # characters read: the standard shows long before the end of a transcript


def written_standard(text: str) -> str:
    """"nn" when the text reads as Nynorsk, else "nb" (also for too little text to tell)."""
    nn = nb = 0
    for word in _WORD.findall(text[:SAMPLE].lower()):
        if word in NN_WORDS:
            nn += 1
        elif word in NB_WORDS:
            nb += 1
    return NYNORSK if nn >= 3 and nn > 2 * nb else BOKMAL
