"""The fallback pipeline (spaCy's blank Norwegian tokenizer + rules + simplemma)."""
from __future__ import annotations

import pytest

from themecoder.nlp import FALLBACK_NAME, load_pipeline, pipeline_status
from themecoder.nlp.pipeline import paragraphs


@pytest.fixture(scope="module")
def nlp():
    p = load_pipeline("fallback")
    assert p.kind == "fallback" and p.name == FALLBACK_NAME
    return p


def sents(nlp, text, spans=None):
    return [text[s:e] for s, e in nlp.analyse(text, spans).sentences]


def lemmas(nlp, text):
    return {t.text: t.lemma for t in nlp.analyse(text).tokens}


def test_fallback_status():
    st = pipeline_status("fallback")
    assert st.kind == "fallback" and st.name == FALLBACK_NAME and not st.model_found
    assert "no named entities" in st.message


@pytest.mark.parametrize(
    "text, expected",
    [
        # a full stop glued to a number or date still ends the sentence
        ("Vi startet 01.09.2021. Det gikk bra.", ["Vi startet 01.09.2021.", "Det gikk bra."]),
        ("Det var i 2021. Så kom koronaen.", ["Det var i 2021.", "Så kom koronaen."]),
        ("Han ringte kl. 10. Jeg sov.", ["Han ringte kl. 10.", "Jeg sov."]),
        # ... but not an ordinal inside a sentence
        ("Vi møttes den 5. mai i fjor.", ["Vi møttes den 5. mai i fjor."]),
        ("Det var i 2. klasse. Vi var små.", ["Det var i 2. klasse.", "Vi var små."]),
        # abbreviations that never end a sentence
        ("Vi har f.eks. mange ting, bl.a. epler.", ["Vi har f.eks. mange ting, bl.a. epler."]),
        ("Vi har bl.a. Kari og Per i gruppa.", ["Vi har bl.a. Kari og Per i gruppa."]),
        ("Det gjelder alle, dvs. at ingen slipper.", ["Det gjelder alle, dvs. at ingen slipper."]),
        ("Ca. 20 kom, jf. tabell 2, og nr. 3 var best.", ["Ca. 20 kom, jf. tabell 2, og nr. 3 var best."]),
        ("Vi tar det evt. neste uke mht. budsjettet.", ["Vi tar det evt. neste uke mht. budsjettet."]),
        ("Kl. 8 kom de. Nr. 4 kom sist.", ["Kl. 8 kom de.", "Nr. 4 kom sist."]),
        ("Vi snakket med dr. Hansen og Anne B. Ringheim.", ["Vi snakket med dr. Hansen og Anne B. Ringheim."]),
        # osv. / o.l. mid-sentence, and at the end
        ("Lønn, arbeidstid osv. spiller inn.", ["Lønn, arbeidstid osv. spiller inn."]),
        ("Vi snakket om lønn o.l. med lederen.", ["Vi snakket om lønn o.l. med lederen."]),
        ("Vi spiste kake, boller osv. Det var hyggelig.", ["Vi spiste kake, boller osv.", "Det var hyggelig."]),
        # ellipsis, questions, exclamations, quotes
        ("Hm… jeg vet ikke… kanskje?", ["Hm… jeg vet ikke… kanskje?"]),
        ("Jeg vet ikke… Kanskje det.", ["Jeg vet ikke…", "Kanskje det."]),
        ("Jeg tror at... Nei, jeg vet ikke.", ["Jeg tror at...", "Nei, jeg vet ikke."]),
        ("Er det greit? Ja! Helt greit.", ["Er det greit?", "Ja!", "Helt greit."]),
        ("Han sa «Nei!» og gikk.", ["Han sa «Nei!» og gikk."]),
        ("Hun sa: «Det går bra.» Så gikk hun.", ["Hun sa: «Det går bra.»", "Så gikk hun."]),
        ("«Kommer du?» spurte hun. «Ja.»", ["«Kommer du?» spurte hun.", "«Ja.»"]),
        # spoken style
        ("Eh, ehm, mm. Jo.", ["Eh, ehm, mm.", "Jo."]),
        ("Det har jeg ikke tenkt på. (ler) Jeg tror det.", ["Det har jeg ikke tenkt på.", "(ler) Jeg tror det."]),
        ("Vi var to. Så gikk vi.", ["Vi var to.", "Så gikk vi."]),
        ("Hun studerer ved UiO. Det går fint.", ["Hun studerer ved UiO.", "Det går fint."]),
        # line breaks
        ("I: Hvordan var det?\nR: Fint", ["I: Hvordan var det?", "R: Fint"]),
        ("Intervju 3\nDato: 12.03.2022", ["Intervju 3", "Dato: 12.03.2022"]),
        ("Dette gjelder eldre\nsom bor alene.", ["Dette gjelder eldre\nsom bor alene."]),
        ("Uten punktum\n\n\n  \nNeste avsnitt", ["Uten punktum", "Neste avsnitt"]),
    ],
)
def test_sentences(nlp, text, expected):
    assert sents(nlp, text) == expected


def test_sentences_are_trimmed_and_skip_blank_text(nlp):
    text = "  \n Hei på deg.   Ha det!  \n\n \n"
    assert nlp.analyse(text).sentences == [(4, 15), (18, 25)]
    assert nlp.analyse("").sentences == [] and nlp.analyse(" \n\n\t").tokens == []


def test_spans_are_analysed_separately_with_global_offsets(nlp):
    text = "I: Hva gjorde du da\nAnna: Jeg ringte NAV. Det hjalp ikke."
    turns = [(0, 19), (20, len(text))]
    # the first turn has no full stop; it still ends where the turn ends ...
    assert sents(nlp, text, turns) == ["I: Hva gjorde du da", "Anna: Jeg ringte NAV.", "Det hjalp ikke."]
    # ... and a sentence never crosses a turn, even without punctuation
    text2 = "og så sa hun at det var greit og så gikk vi"
    assert sents(nlp, text2, [(0, 20), (20, len(text2))]) == [
        "og så sa hun at det", "var greit og så gikk vi",
    ]
    result = nlp.analyse(text, turns)
    for tok in result.tokens:
        assert text[tok.start:tok.end] == tok.text
    assert [t.text for t in result.tokens][:3] == ["I", "Hva", "gjorde"]


def test_text_outside_spans_is_ignored(nlp):
    text = "Ignorer dette. Ta med dette. Ignorer."
    result = nlp.analyse(text, [(15, 28)])
    assert [text[s:e] for s, e in result.sentences] == ["Ta med dette."]
    assert {t.text for t in result.tokens} == {"Ta", "med", "dette"}


def test_bad_spans_are_rejected(nlp):
    with pytest.raises(ValueError):
        nlp.analyse("abc", [(0, 5)])
    with pytest.raises(ValueError):
        nlp.analyse("abcdef", [(0, 4), (2, 6)])
    assert nlp.analyse("abc def", [(4, 7), (0, 3)]).sentences == [(0, 3), (4, 7)]  # sorted


def test_paragraphs():
    assert paragraphs("a\n\nb\n \n\nc") == [(0, 1), (3, 4), (8, 9)]
    assert paragraphs("a\nb") == [(0, 3)]
    assert paragraphs("") == []


def test_tokens_are_word_like_with_dates_split(nlp):
    text = "Vi startet 01.09.2021. «Eh, ehm … mm!» sa hun, i 2021."
    toks = [t.text for t in nlp.analyse(text).tokens]
    assert toks == ["Vi", "startet", "01.09.2021", "Eh", "ehm", "mm", "sa", "hun", "i", "2021"]


def test_search_relevant_lemmas(nlp):
    assert nlp.lemma("relasjoner") == nlp.lemma("relasjonen") == nlp.lemma("relasjonene") == "relasjon"
    assert nlp.lemma("tjenestene") == "tjeneste"
    assert nlp.lemma("fikk") == "få" and nlp.lemma("gikk") == "gå" and nlp.lemma("går") == "gå"
    assert nlp.lemma("bedre") == "god"
    assert nlp.lemma("Relasjonene") == "relasjon"  # a query is lowercased first
    assert nlp.lemma("  erfaringene ") == "erfaring"
    assert nlp.lemmas(["barna", "", "sa"]) == ["barn", "", "si"]


def test_capitalised_words_inside_a_sentence_keep_their_form(nlp):
    lem = lemmas(nlp, "Relasjonene var gode, sa Kari. Vi gikk en tur på Bryggen og til NAV.")
    assert lem["Relasjonene"] == "relasjon"  # sentence-initial: lemmatised
    assert lem["gode"] == "god" and lem["sa"] == "si" and lem["gikk"] == "gå"
    assert lem["Kari"] == "kari"
    assert lem["Bryggen"] == "bryggen"  # a name, not "brygge"
    assert lem["NAV"] == "nav"
    # the first word of a quotation counts as a sentence start
    assert lemmas(nlp, "Hun sa: «Tjenestene er dårlige.»")["Tjenestene"] == "tjeneste"


def test_lemmas_are_lowercase(nlp):
    for tok in nlp.analyse("ÆRLIG TALT, DET VAR GØY. Øyvind Ås kom.").tokens:
        assert tok.lemma == tok.lemma.lower()
