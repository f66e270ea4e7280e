"""Dictionary lemmas from simplemma (Bokmål, and Nynorsk for Nynorsk transcripts), imported
lazily and cached."""
from __future__ import annotations

from functools import lru_cache

LANG = "nb"


def warm_up() -> None:
    """Load simplemma's Bokmål dictionary now (about half a second) rather than on first use."""
    simple_lemma("relasjonene")


# simplemma errs on a few very frequent interview words; these take precedence.
OVERRIDES = {
    "går": "gå",  # simplemma: "går" (as in "i går")
    "si": "si",  # simplemma: "sin"
    "leder": "leder",  # simplemma: "led"; the noun is the common reading
}


@lru_cache(maxsize=200_000)
def simple_lemma(word: str, lang: str = LANG) -> str:
    """Lowercase lemma of one lowercase word form in Bokmål ("nb") or Nynorsk ("nn"); words
    without letters are returned as they are."""
    if not any(ch.isalpha() for ch in word):
        return word.lower()
    if lang == LANG and word in OVERRIDES:
        return OVERRIDES[word]
    import simplemma

    try:
        lemma = simplemma.lemmatize(word, lang=lang)
    except Exception:  # pragma: no cover - simplemma is robust, but never break an analysis
        lemma = word
    return (lemma or word).lower()


def fallback_lemma(text: str, initial: bool, lang: str = LANG) -> str:
    """Lemma of a token without a trained model.

    A capitalised word that is not the first word of a sentence (or of a quotation) is most
    likely a name, so it keeps its form (lowercased). Other words are looked up in simplemma.
    """
    low = text.lower()
    if not initial and text[:1].isupper():
        return low
    return simple_lemma(low, lang)
