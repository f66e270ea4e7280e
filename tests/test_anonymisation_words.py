"""Issue 16 (point 6) and issue 18 (points 2, 10, 14): replacement that understands words,
the confirmation list for names that are also ordinary words, pseudonyms never reported
again, the key written so that a crash never leaves key and text out of step."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from themecoder import store
from themecoder.cli import main
from themecoder.core import anonymise as an
from themecoder.core.documents import add_transcript
from themecoder.core.key_file import open_key
from themecoder.io.readers import read_transcript


def _doc(project, tmp_path, name: str, text: str):
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return add_transcript(project, read_transcript(path))


def _text(project, doc):
    return store.documents.document_text(project.db, doc.id)


def test_case_insensitive_and_every_form(project, tmp_path):
    doc = _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Abdikadir kom. abdikadir sa at Abdikadirs bror og "
                                      "ABDIKADIR'S venn var der. Anne-Abdikadir er en annen.\n")
    result = an.replace_identifier(project, "Abdikadir", "[navn]", mode="category")
    text = _text(project, doc)
    assert result.occurrences == 4
    assert "[navn] kom. [navn] sa at [navn]s bror og [navn]'S venn" in text
    assert "Anne-Abdikadir" in text  # part of a hyphenated name: not a match


def test_inflected_titles_and_places_replaced_whole(project, tmp_path):
    doc = _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Ruskoordinatoren sa det. Vår ruskoordinator, "
                                      "ruskoordinatorens kontor.\n")
    an.replace_identifier(project, "ruskoordinator", "[stilling]", mode="category", kind="job_title")
    assert _text(project, doc) == "I: Ja?\n\nIP: [stilling] sa det. Vår [stilling], [stilling] kontor.\n"


def test_ambiguous_name_needs_confirmation(project, tmp_path):
    doc = _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Jeg snakket med Per i går. Vi betaler 200 kroner "
                                      "per time. Per kommer i morgen, sa hun.\n")
    with pytest.raises(an.AmbiguousHits) as info:
        an.replace_identifier(project, "Per", "[navn]", mode="category")
    assert [h.text for h in info.value.hits] == ["per", "Per"]  # the word, and a sentence start
    assert "Per i går" in _text(project, doc)  # nothing changed
    an.replace_identifier(project, "Per", "[navn]", mode="category", confirm=[info.value.hits[1].place()])
    assert _text(project, doc).endswith("med [navn] i går. Vi betaler 200 kroner per time. [navn] kommer i "
                                        "morgen, sa hun.\n")


def test_ambiguous_none_and_all(project, tmp_path):
    doc = _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Hun heter Liv. Livet er godt, og liv er liv.\n")
    an.replace_identifier(project, "Liv", "[navn]", mode="category", confirm="none")
    assert _text(project, doc) == "I: Ja?\n\nIP: Hun heter [navn]. Livet er godt, og liv er liv.\n"


def test_cli_lists_and_confirms(project, tmp_path, capsys):
    doc = _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Jeg snakket med Per. Det koster 10 kroner per dag.\n")
    path = str(project.path)
    project.close()
    assert main(["anonymise", "replace", path, "--text", "Per", "--category", "--list"]) == 0
    out = capsys.readouterr().out
    assert "[1] may be the ordinary word" in out and "⟦per⟧" in out
    # without --confirm (not a terminal): refused, one line, nothing changed
    assert main(["anonymise", "replace", path, "--text", "Per", "--category"]) != 0
    assert "also an ordinary word" in capsys.readouterr().err
    assert main(["anonymise", "replace", path, "--text", "Per", "--category", "--confirm", "none"]) == 0
    from themecoder.core.project import Project
    with Project.open(path) as p2:
        assert store.documents.document_text(p2.db, doc.id).endswith("med [navn]. Det koster 10 kroner per dag.\n")
    assert main(["anonymise", "replace", path, "--text", "Kari", "--category", "--confirm", "7"]) != 0


def test_inserted_pseudonyms_are_never_reported(project, tmp_path):
    doc = _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Kari Nordmann kom. Kari Nordmanns bror også.\n")
    key = open_key(tmp_path / "k.json", project=project)
    an.replace_identifier(project, "Kari Nordmann", "Eva Hansen", key=key)
    text = _text(project, doc)
    assert "Eva Hansens bror" in text
    found = an.findings(project)
    assert not [f for f in found if "Eva" in f.text or "Hansen" in f.text], found
    # a theme text that quotes the pseudonym is not reported either
    assert not an.text_findings(project, {"memo": "Eva Hansen forteller om brorens rolle."})


def test_project_wide_names(project, tmp_path):
    a = _doc(project, tmp_path, "a", "I: Ja?\n\nIP: Hun heter Warsame Abdirahman, og hun kom i fjor.\n")
    b = _doc(project, tmp_path, "b", "I: Ja?\n\nIP: Så kom warsame, ja. Warsames barn også.\n")
    an.check(project)
    texts = {(f.document_id, f.text) for f in an.findings(project) if f.kind == "person"}
    assert (a.id, "Warsame Abdirahman") in texts
    assert (b.id, "warsame") in texts and (b.id, "Warsames") in texts


# -- the key and the text in step (issue 18, point 10) ----------------------------------------
def test_pseudonym_is_one_action(project, tmp_path):
    _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Kari Nordmann kom.\n")
    n = len(project.history())
    key = open_key(tmp_path / "k.json", project=project)
    an.replace_identifier(project, "Kari Nordmann", "Eva Hansen", key=key)
    assert len(project.history()) == n + 1
    assert project.setting("anonymisation.key_id") == key.key_id
    data = json.loads((tmp_path / "k.json").read_text(encoding="utf-8"))
    assert [e["replacement"] for e in data["entries"]] == ["Eva Hansen"]
    assert "pending" not in data["entries"][0]


def test_pending_entry_without_replacement_is_dropped(project, tmp_path):
    _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Kari Nordmann kom.\n")
    key = open_key(tmp_path / "k.json", project=project)
    entry, new = key.add_pending("Kari Nordmann", "Eva Hansen")
    assert new
    key.save()  # a crash here: the key has the entry, the project no replacement
    again = open_key(tmp_path / "k.json", project=project)
    assert again.lookup("Kari Nordmann") is None
    assert json.loads((tmp_path / "k.json").read_text(encoding="utf-8"))["entries"] == []


def test_pending_entry_with_committed_replacement_is_confirmed(project, tmp_path, monkeypatch):
    _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Kari Nordmann kom.\n")
    key = open_key(tmp_path / "k.json", project=project)
    monkeypatch.setattr(type(key), "confirm", lambda self, entry_id: False)  # killed right after commit
    an.replace_identifier(project, "Kari Nordmann", "Eva Hansen", key=key)
    assert json.loads((tmp_path / "k.json").read_text(encoding="utf-8"))["entries"][0]["pending"]
    monkeypatch.undo()
    again = open_key(tmp_path / "k.json", project=project)
    assert again.lookup("Kari Nordmann").replacement == "Eva Hansen"
    assert not again.lookup("Kari Nordmann").pending


KILLER = textwrap.dedent("""
    import os, signal, sys
    from themecoder.core import anonymise as an, reanchor
    from themecoder.core.key_file import open_key
    from themecoder.core.project import Project
    where = sys.argv[3]
    real = reanchor.replace_spans
    def dying(*a, **k):
        if where == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        out = real(*a, **k)
        if where == "after":
            os.kill(os.getpid(), signal.SIGKILL)
        return out
    import themecoder.core.anonymise_replace as ar
    ar.replace_spans = dying
    with Project.open(sys.argv[1]) as p:
        an.replace_identifier(p, "Kari Nordmann", "Eva Hansen", key=open_key(sys.argv[2], project=p), recheck=False)
""")


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
@pytest.mark.parametrize("where", ["before", "after"])
def test_killed_between_the_steps_key_and_text_agree(project, tmp_path, where):
    doc = _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Kari Nordmann kom.\n")
    path, keyf = str(project.path), tmp_path / "k.json"
    project.close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    rc = subprocess.run([sys.executable, "-c", KILLER, path, str(keyf), where], env=env).returncode
    assert rc != 0  # it was killed
    from themecoder.core.project import Project
    with Project.open(path) as p:
        key = open_key(keyf, project=p)
        text = store.documents.document_text(p.db, doc.id)
        replaced = "Eva Hansen" in text
        entry = key.lookup("Kari Nordmann")
        assert replaced == (where == "after")
        assert (entry is not None) == replaced  # never a key without the replacement, nor the reverse
        assert entry is None or not entry.pending


# -- the texts beside the transcripts (issue 18, points 2, 9, 14) -------------------------------
SOLVEIG = "I: Hvem er du?\n\nIP: Jeg heter Solveig Haugland og jobber i barnevernet.\n"


def test_title_is_guarded_and_replaced(project, tmp_path, capsys):
    from themecoder.io.export import ExportOptions, run_export

    doc = _doc(project, tmp_path, "Solveig Haugland", SOLVEIG)
    from themecoder.core import coding
    coding.code_quote(project, doc.id, "jobber i barnevernet", "arbeid")
    an.replace_identifier(project, "Solveig Haugland", "[navn]", mode="category", recheck=False)
    text = _text(project, doc)
    assert "Solveig" not in text
    assert store.documents.document(project.db, doc.id).title == "[navn]"  # covered by the replacement
    out = tmp_path / "q.csv"
    run_export(project, "quotes", out, ExportOptions(fmt="csv"))
    assert "Solveig" not in out.read_text(encoding="utf-8")


def test_title_alone_blocks_quotes_and_qdpx(project, tmp_path):
    from themecoder.errors import UserError
    from themecoder.io.export import ExportOptions, run_export

    doc = _doc(project, tmp_path, "Solveig Haugland", "I: Ja?\n\nIP: Det gikk bra.\n")
    from themecoder.core import coding
    coding.code_quote(project, doc.id, "Det gikk bra", "bra")
    with pytest.raises(UserError, match="title of document"):
        run_export(project, "quotes", tmp_path / "q.csv", ExportOptions(fmt="csv"))
    with pytest.raises(UserError, match="title of document"):
        run_export(project, "qdpx", tmp_path / "p.qdpx", ExportOptions())


def test_memo_code_theme_replaced_in_the_same_action(project, tmp_path):
    from themecoder.core import coding, memos, themes

    doc = _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Vi ringte Gudbrand Rugsveen i går.\n")
    c = coding.code_quote(project, doc.id, "Vi ringte Gudbrand Rugsveen", "Rugsveen som hjelper")
    t = themes.create_theme(project, "Hjelp fra Rugsveen")
    memos.add_memo(project, "project", None, "Rugsveen var viktig for henne.")
    n = len(project.history())
    an.replace_identifier(project, "Rugsveen", "[navn]", mode="category", recheck=False)
    assert len(project.history()) == n + 1
    assert store.codes.code(project.db, c.code_id).label == "[navn] som hjelper"
    assert store.themes.theme(project.db, t.id).name == "Hjelp fra [navn]"
    assert all("Rugsveen" not in m.text for m in store.memos.memos(project.db))
    project.undo()
    assert store.themes.theme(project.db, t.id).name == "Hjelp fra Rugsveen"


def test_check_agrees_with_qdpx_about_memos(project, tmp_path, capsys):
    from themecoder.core import memos
    from themecoder.errors import UserError
    from themecoder.io.export import ExportOptions, run_export

    _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Det gikk bra.\n")
    memos.add_memo(project, "project", None, "Ring Solveig Haugland på 922 33 444 om intervjuet.")
    with pytest.raises(UserError):
        run_export(project, "qdpx", tmp_path / "p.qdpx", ExportOptions())
    path = str(project.path)
    project.close()
    assert main(["check", path, "--strict"]) != 0
    out = capsys.readouterr().out
    assert "922 33 444" in out and "Solveig Haugland" in out


def test_review_comments_pass_the_guard_before_review_exports(project, tmp_path):
    from themecoder.core import review, themes
    from themecoder.errors import UserError
    from themecoder.io.export import ExportOptions, run_export

    _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Det gikk bra.\n")
    t = themes.create_theme(project, "Mestring")
    review.add_comment(project, t.id, "Dette er vel Solveig Haugland fra Ålesund? Ta det ut.")
    for kind, name in (("review-summary", "r.md"), ("review", "r.json")):
        with pytest.raises(UserError, match="review comment"):
            run_export(project, kind, tmp_path / name, ExportOptions(reviewer="Veileder"))
        assert not (tmp_path / name).exists()
    an.replace_identifier(project, "Solveig Haugland", "[navn]", mode="category", recheck=False)
    an.replace_identifier(project, "Ålesund", "[sted]", mode="category", kind="place", recheck=False)
    assert "[navn] fra [sted]" in store.reviews.comments(project.db)[0]["text"]
    run_export(project, "review-summary", tmp_path / "r.md", ExportOptions(reviewer="Veileder"))
    assert "Solveig" not in (tmp_path / "r.md").read_text(encoding="utf-8")


def test_citations_in_analyst_texts_are_authors_not_informants():
    from themecoder.core.anonymise_check import citation_spans

    t = "Analysen følger Braun og Clarke. Se også (Malterud, 2012; Tjora 2021) og Kvale (2015)."
    assert [t[a:b] for a, b in citation_spans(t)] == ["Braun og Clarke", "(Malterud, 2012; Tjora 2021)",
                                                        "Kvale (2015)"]
    assert citation_spans("Vi følger Kari hjem etter skolen.") == []


def test_cli_pseudonym_is_one_action_with_its_key(project, tmp_path, capsys):
    _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Kari Nordmann kom. Kari Nordmanns bror også.\n")
    path = str(project.path)
    n = len(project.history())
    project.close()
    keydir = tmp_path / "safe"
    keydir.mkdir()
    assert main(["anonymise", "replace", path, "--text", "Kari Nordmann", "--pseudonym", "Eva Hansen",
                 "--key", str(keydir / "k.json")]) == 0
    from themecoder.core.project import Project
    with Project.open(path) as p:
        assert len(p.history()) == n + 1
        key = open_key(keydir / "k.json", project=p)
        assert key.lookup("Kari Nordmann").replacement == "Eva Hansen" and not key.lookup("Kari Nordmann").pending
