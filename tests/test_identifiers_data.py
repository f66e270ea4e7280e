"""Issue 16, point 1: the reference data ship in the package with their attribution, load
lazily (once) and feed the common-word test."""
from __future__ import annotations

from importlib import resources

from themecoder.core.identifier_lexicon import _lexicon, reference

FILES = ["fornavn.tsv", "etternavn.tsv", "styrk08.tsv", "yrkesord_ordbank.txt", "kommunenavn.txt", "fylker.tsv",
         "bydeler.tsv", "stedsnavn_n1000.tsv.gz", "steder_countrystatecity.tsv", "helseforetak_sykehus.tsv",
         "ordbank_nb_ordformer.txt.gz", "ordbank_nb_lemma.txt.gz", "ordbank_nn_lemma.txt.gz"]


def test_every_file_is_in_the_package_and_attributed():
    folder = resources.files("themecoder") / "data" / "norway"
    attribution = (resources.files("themecoder") / "data" / "ATTRIBUTION.md").read_text(encoding="utf-8")
    for name in FILES:
        assert (folder / name).is_file(), name
        assert f"`norway/{name}`" in attribution, name
    for phrase in ("Statistics Norway", "Kartverket", "Norsk ordbank", "ODbL", "CC BY 4.0"):
        assert phrase in attribution


def test_sizes_of_the_lists():
    assert len(reference("first_names")) >= 1900 and len(reference("surnames")) >= 3700
    assert len(reference("municipalities")) >= 470
    assert len(reference("word_forms")) >= 500_000 and len(reference("nn_lemmas")) >= 100_000
    assert "Grünerløkka" in reference("districts") or "Gamle Oslo" in reference("districts")


def test_common_word_test():
    lex = _lexicon()
    for word in ["fantastisk", "heldigvis", "korleis", "eg", "sjukepleiaren", "spesialisthelsetjenesten", "hmm"]:
        assert lex.is_word(word) or lex.is_compound(word) or word == "hmm", word
    for name in ["abdikadir", "warsame", "tesfay"]:
        assert not lex.is_word(name) and not lex.is_compound(name), name
    # names that are also words are ambiguous; names that are not, are not
    assert lex.ambiguous("per") and lex.ambiguous("liv") and lex.ambiguous("andre")
    assert not lex.ambiguous("kari") and not lex.ambiguous("hilde")
    # a stray lower-cased name in the full-form list is no reason to doubt an SSB surname
    assert lex.is_word("mykland") and not lex.ambiguous("mykland")
    # regions and counties are not places; small places are
    assert "hallingdal" in lex.stop and "vestlandet" in lex.stop and "nordland" in lex.stop
    assert "oslo" in lex.muni and "hallingdal" not in lex.place


def test_loaded_once():
    assert _lexicon() is _lexicon()
    assert reference("first_names") is reference("first_names")
