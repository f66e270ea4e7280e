"""Nynorsk transcripts are lemmatised as Nynorsk (issue 16.7): a search finds their
inflections, and a query finds Bokmål and Nynorsk transcripts alike."""
from __future__ import annotations

from pathlib import Path

from themecoder.core.documents import add_transcript
from themecoder.core.project import Project
from themecoder.core.search import search
from themecoder.io.readers import read_transcript
from themecoder.nlp import load_pipeline
from themecoder.nlp.standard import written_standard

NYNORSK = ("I: Korleis var det å byrja der?\n\nSigne: Eg visste ikkje kva eg skulle gjere. Dei gjorde "
           "det meste sjølve, og tenestene var berre opne på dagtid. Eg fekk mykje hjelp frå kollegane.\n")
BOKMAL = ("I: Hvordan var det å begynne der?\n\nKari: Jeg visste ikke hva jeg skulle gjøre. De gjorde "
          "det meste selv, og tjenestene var bare åpne på dagtid. Jeg fikk mye hjelp fra kollegene.\n")


def test_the_written_standard_is_told_from_frequent_words() -> None:
    assert written_standard(NYNORSK) == "nn"
    assert written_standard(BOKMAL) == "nb"
    # dialect written in Bokmål is still Bokmål
    assert written_standard("Ho e 29 og me bor i byen. Hun sier at hun ikke vet hva hun vil.") == "nb"
    assert written_standard("Ja.") == "nb"  # too little to tell


def test_nynorsk_inflections_are_found(tmp_path: Path) -> None:
    pipeline = load_pipeline("fallback")
    project = Project.create(tmp_path / "p.themecoder", coder="t")
    for name, text in (("signe.txt", NYNORSK), ("kari.txt", BOKMAL)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        add_transcript(project, read_transcript(tmp_path / name), pipeline=pipeline)

    def found(query: str) -> set[str]:
        return {f"{h.document}:{h.match}" for h in search(project, query, pipeline=pipeline)}

    assert found("teneste") == {"signe:tenestene"}            # Nynorsk lemma of «tenestene»
    assert found("tjeneste") == {"kari:tjenestene"}
    assert "signe:gjorde" in found("gjere")                    # «gjorde» is «gjere» in Nynorsk
    assert "kari:gjorde" in found("gjøre")
    assert found("kollega") == {"signe:kollegane", "kari:kollegene"}
