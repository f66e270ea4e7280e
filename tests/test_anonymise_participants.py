"""Issue 16 follow-up: a replacement of a name also renames the participant labels and text
attribute values that hold it (same word rules, same confirmation list, same one action), and
refuses a label that would collide with another participant's."""
from __future__ import annotations

import pytest

from themecoder import store
from themecoder.cli import main
from themecoder.core import anonymise as an
from themecoder.core.documents import add_transcript, create_participant, set_attribute
from themecoder.core.key_file import open_key
from themecoder.errors import Conflict, UserError
from themecoder.io.readers import read_transcript


def _doc(project, tmp_path, name: str, text: str, participant: str | None = None):
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return add_transcript(project, read_transcript(path), participant=participant)


def _labels(project) -> list[str]:
    """The participants' labels (but «IP», the one the import takes from the speaker label)."""
    return sorted(p.pseudonym for p in store.participants.participants(project.db) if p.pseudonym != "IP")


def _attr(project, label: str, name: str) -> str | None:
    p = store.participants.participant_by_pseudonym(project.db, label)
    assert p is not None, label
    return p.attribute(name)


def test_label_and_attribute_renamed_in_the_same_action(project, tmp_path):
    doc = _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Kari Nordmo kom i går.\n", participant="Kari Nordmo")
    create_participant(project, "Ola")
    set_attribute(project, "Kari Nordmo", "kontakt", "søster til Kari Nordmo")
    set_attribute(project, "Ola", "kontakt", "Karianne")  # part of another word: untouched
    set_attribute(project, "Kari Nordmo", "intervjudato", "2024-03-01", "date")
    key = open_key(tmp_path / "k.json", project=project)
    n = len(project.history())
    result = an.replace_identifier(project, "Kari Nordmo", "Eva Berg", key=key, recheck=False)
    assert len(project.history()) == n + 1  # one action
    assert (result.participants, result.attributes) == (1, 1)
    assert _labels(project) == ["Eva Berg", "Ola"]
    assert _attr(project, "Eva Berg", "kontakt") == "søster til Eva Berg"
    assert _attr(project, "Eva Berg", "intervjudato") == "2024-03-01"
    assert _attr(project, "Ola", "kontakt") == "Karianne"
    assert store.documents.document(project.db, doc.id).participant_id == \
        store.participants.participant_by_pseudonym(project.db, "Eva Berg").id
    assert "participant label" in project.history()[-1].summary
    assert "Kari" not in project.history()[-1].summary  # the log never names the original
    # the key links the original to the pseudonym, as for the text
    again = open_key(tmp_path / "k.json", project=project)
    entry = again.lookup("Kari Nordmo")
    assert entry is not None and entry.replacement == "Eva Berg" and not entry.pending
    project.undo()
    assert _labels(project) == ["Kari Nordmo", "Ola"]
    assert _attr(project, "Kari Nordmo", "kontakt") == "søster til Kari Nordmo"
    project.redo()
    assert _labels(project) == ["Eva Berg", "Ola"]


def test_word_rules_genitive_and_hyphen(project, tmp_path):
    _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Abdikadir kom.\n")
    for label in ("Abdikadir", "Anne-Abdikadir", "ABDIKADIRS mor"):
        create_participant(project, label)
    an.replace_identifier(project, "Abdikadir", "[navn]", mode="category", recheck=False)
    # whole words, any case; the genitive kept; not inside a hyphenated name
    assert _labels(project) == ["Anne-Abdikadir", "[navn]", "[navn]S mor"]


def test_label_only_is_replaced(project, tmp_path):
    """Nothing in the transcripts: the label alone is still replaced (no NotFound)."""
    _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Det gikk bra.\n")
    create_participant(project, "Gudbrand Rugsveen")
    result = an.replace_identifier(project, "Rugsveen", "[navn]", mode="category", recheck=False)
    assert result.occurrences == 0 and result.participants == 1
    assert _labels(project) == ["Gudbrand [navn]"]
    with pytest.raises(UserError, match="nothing to replace"):
        an.replace_identifier(project, "Rugsveen", "[navn]", mode="category", recheck=False)


def test_ambiguous_label_uses_the_same_confirmation_list(project, tmp_path):
    doc = _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Jeg snakket med Per i går. Det koster 200 kroner "
                                      "per time.\n")
    create_participant(project, "Per")
    hits = an.find_hits(project, "Per")
    assert [(h.text, h.ambiguous) for h in hits] == [("Per", False), ("per", True), ("Per", True)]
    assert hits[-1].document == "participant «Per»"
    with pytest.raises(an.AmbiguousHits) as info:
        an.replace_identifier(project, "Per", "[navn]", mode="category")
    assert [h.document for h in info.value.hits] == ["d", "participant «Per»"]
    assert _labels(project) == ["Per"]  # nothing changed
    an.replace_identifier(project, "Per", "[navn]", mode="category", recheck=False,
                          confirm=[info.value.hits[1].place()])
    assert _labels(project) == ["[navn]"]
    assert store.documents.document_text(project.db, doc.id).endswith("med [navn] i går. Det koster 200 kroner "
                                                                      "per time.\n")


def test_ambiguous_label_left_when_not_confirmed(project, tmp_path):
    _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Hun heter Liv. Livet er godt.\n")
    create_participant(project, "Liv")
    result = an.replace_identifier(project, "Liv", "[navn]", mode="category", confirm="none", recheck=False)
    assert result.occurrences == 1 and result.participants == 0
    assert _labels(project) == ["Liv"]


def test_collision_is_refused_and_nothing_changes(project, tmp_path):
    """Two participants replaced by the same category: the second label would collide."""
    doc = _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Kari og Ola kom i går.\n", participant="Kari")
    create_participant(project, "Ola")
    an.replace_identifier(project, "Ola", "[navn]", mode="category", recheck=False)
    assert _labels(project) == ["Kari", "[navn]"]
    n = len(project.history())
    with pytest.raises(Conflict, match="collide") as info:
        an.replace_identifier(project, "Kari", "[navn]", mode="category")
    assert "\n" not in str(info.value) and "«Kari» to «[navn]»" in str(info.value)
    assert len(project.history()) == n
    assert _labels(project) == ["Kari", "[navn]"]
    assert "Kari og [navn] kom" in store.documents.document_text(project.db, doc.id)


def test_pseudonym_taken_by_a_label_is_refused(project, tmp_path):
    """A pseudonym that is another participant's label is refused before anything changes
    (the pseudonym check: it occurs in the project already)."""
    _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Kari kom i går.\n", participant="Kari")
    create_participant(project, "Eva")
    key = open_key(tmp_path / "k.json", project=project)
    with pytest.raises(Conflict):
        an.replace_identifier(project, "Kari", "Eva", key=key)
    assert _labels(project) == ["Eva", "Kari"]
    assert open_key(tmp_path / "k.json", project=project).lookup("Kari") is None


def test_replace_finding_covers_labels(project, tmp_path):
    doc = _doc(project, tmp_path, "d", "I: Hvem ringte du?\n\nIP: Jeg ringte Gudbrand Rugsveen i går.\n")
    create_participant(project, "Gudbrand Rugsveen")
    an.check(project)
    f = next(f for f in an.findings(project) if "Rugsveen" in f.text)
    result = an.replace_finding(project, f.id, "[navn]", mode="category")
    assert result.participants == 1
    assert "Rugsveen" not in " ".join(_labels(project))
    assert "Rugsveen" not in store.documents.document_text(project.db, doc.id)


def test_here_only_leaves_labels(project, tmp_path):
    _doc(project, tmp_path, "d", "I: Hvem ringte du?\n\nIP: Jeg ringte Gudbrand Rugsveen i går.\n")
    create_participant(project, "Gudbrand Rugsveen")
    an.check(project)
    f = next(f for f in an.findings(project) if "Rugsveen" in f.text)
    result = an.replace_finding(project, f.id, "[navn]", mode="category", everywhere=False)
    assert result.participants == 0
    assert _labels(project) == ["Gudbrand Rugsveen"]


def test_export_guard_no_longer_blocks(project, tmp_path):
    from themecoder.core import coding
    from themecoder.io.export import ExportOptions, run_export

    doc = _doc(project, tmp_path, "d", "I: Hvem er du?\n\nIP: Jeg heter Solveig Haugland og jobber i "
                                      "barnevernet.\n", participant="Solveig Haugland")
    coding.code_quote(project, doc.id, "jobber i barnevernet", "arbeid")
    texts = an.analyst_texts(project)
    assert any(f.blocking for f in an.text_findings(project, texts) if f.document.startswith("participant"))
    with pytest.raises(UserError, match="participant"):
        run_export(project, "quotes", tmp_path / "q.csv", ExportOptions(fmt="csv"))
    key = open_key(tmp_path / "k.json", project=project)
    an.replace_identifier(project, "Solveig Haugland", "Eva Berg", key=key)
    assert _labels(project) == ["Eva Berg"]
    out = tmp_path / "q.csv"
    run_export(project, "quotes", out, ExportOptions(fmt="csv"))
    assert "Solveig" not in out.read_text(encoding="utf-8")


def test_attribute_value_guards_qdpx_until_replaced(project, tmp_path):
    """qdpx exports the participants' attributes: a name in one blocks it (and `check` lists
    it) until the replacement changes it."""
    from themecoder.io.export import ExportOptions, run_export

    _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Det gikk bra.\n", participant="P1")
    set_attribute(project, "P1", "kontakt", "søster til Solveig Haugland")
    texts = an.analyst_texts(project, memos=True, attributes=True)
    assert any(f.blocking and "kontakt" in f.document for f in an.text_findings(project, texts))
    with pytest.raises(UserError, match="kontakt"):
        run_export(project, "qdpx", tmp_path / "p.qdpx", ExportOptions())
    result = an.replace_identifier(project, "Solveig Haugland", "[navn]", mode="category")
    assert result.attributes == 1
    assert _attr(project, "P1", "kontakt") == "søster til [navn]"
    run_export(project, "qdpx", tmp_path / "p.qdpx", ExportOptions())
    assert (tmp_path / "p.qdpx").exists()


def test_speaker_labels_in_the_text_are_covered(project, tmp_path):
    """Turns' speaker labels are text: a replacement everywhere renames them (and the turns'
    speakers) with the participant the import made from the label, in the same action."""
    from themecoder.core import coding

    doc = _doc(project, tmp_path, "d", "I: Hvem er Kari?\n\nKari: Det er meg. Kari er navnet mitt.\n\n"
                                      "I: Takk.\n\nKari: Ha det.\n")
    assert _labels(project) == ["Kari"]
    coding.code_quote(project, doc.id, "Kari: Det er meg", "meg")
    coding.code_quote(project, doc.id, "Ha det", "hilsen")
    n = len(project.history())
    result = an.replace_identifier(project, "Kari", "[navn]", mode="category")
    assert len(project.history()) == n + 1
    text = store.documents.document_text(project.db, doc.id)
    assert text == ("I: Hvem er [navn]?\n\n[navn]: Det er meg. [navn] er navnet mitt.\n\n"
                    "I: Takk.\n\n[navn]: Ha det.\n")
    assert (result.occurrences, result.speaker_labels, result.skipped_in_labels) == (4, 2, 0)
    assert (result.participants, _labels(project)) == (1, ["[navn]"])
    turns = store.documents.turns(project.db, doc.id)
    assert [t.speaker for t in turns] == ["I", "[navn]", "I", "[navn]"]
    assert all(text[t.label_start:t.start].startswith(t.speaker) for t in turns)
    quotes = sorted(c.quote for c in store.codings.all_codings(project.db))
    assert quotes == ["Ha det", "[navn]: Det er meg"]
    assert all(text[c.start:c.end] == c.quote for c in store.codings.all_codings(project.db))
    project.undo()
    assert [t.speaker for t in store.documents.turns(project.db, doc.id)] == ["I", "Kari", "I", "Kari"]
    assert store.documents.document_text(project.db, doc.id).startswith("I: Hvem er Kari?\n\nKari: Det")
    assert _labels(project) == ["Kari"]


def test_speaker_labels_left_in_chosen_documents(project, tmp_path):
    doc = _doc(project, tmp_path, "d", "I: Hvem er Kari?\n\nKari: Det er meg.\n")
    result = an.replace_identifier(project, "Kari", "[navn]", mode="category", document_ids=[doc.id])
    assert store.documents.document_text(project.db, doc.id) == "I: Hvem er [navn]?\n\nKari: Det er meg.\n"
    assert (result.skipped_in_labels, result.speaker_labels, result.participants) == (1, 0, 0)
    assert _labels(project) == ["Kari"]


def test_ambiguous_speaker_label_is_listed(project, tmp_path):
    doc = _doc(project, tmp_path, "d", "I: Hvem er du?\n\nPer: Jeg heter Per. Det koster 5 kroner per dag.\n")
    with pytest.raises(an.AmbiguousHits) as info:
        an.replace_identifier(project, "Per", "[navn]", mode="category")
    assert [(h.document, h.text) for h in info.value.hits] == [("d", "Per"), ("d", "per"),
                                                               ("participant «Per»", "Per")]
    an.replace_identifier(project, "Per", "[navn]", mode="category", recheck=False,
                          confirm=[info.value.hits[0].place(), info.value.hits[2].place()])
    assert store.documents.document_text(project.db, doc.id) == \
        "I: Hvem er du?\n\n[navn]: Jeg heter [navn]. Det koster 5 kroner per dag.\n"
    assert [t.speaker for t in store.documents.turns(project.db, doc.id)] == ["I", "[navn]"]


# -- CLI ------------------------------------------------------------------------------------------
def _cli_project(project, tmp_path):
    _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Kari Nordmo kom i går. Det koster 10 kroner per time.\n",
         participant="Kari Nordmo")
    create_participant(project, "Per")
    path = str(project.path)
    project.close()
    return path


def test_cli_summary_counts_labels(project, tmp_path, capsys):
    from themecoder.core.project import Project

    path = _cli_project(project, tmp_path)
    assert main(["anonymise", "replace", path, "--text", "Kari Nordmo", "--pseudonym", "Eva Berg",
                 "--key", str(tmp_path / "k.json")]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "participants: 1 label renamed" in out
    with Project.open(path) as p2:
        assert _labels(p2) == ["Eva Berg", "Per"]


def test_cli_summary_counts_speaker_labels(project, tmp_path, capsys):
    from themecoder.core.project import Project

    _doc(project, tmp_path, "d", "I: Hvem er du?\n\nKari: Jeg heter Kari.\n\nI: Takk.\n\nKari: Ha det.\n")
    path = str(project.path)
    project.close()
    assert main(["anonymise", "replace", path, "--text", "Kari", "--category"]) == 0, capsys.readouterr().err
    assert "participants: 1 label renamed; 2 speaker labels in the transcripts renamed" in capsys.readouterr().out
    with Project.open(path) as p2:
        doc = store.documents.documents(p2.db)[0]
        assert "Kari" not in store.documents.document_text(p2.db, doc.id)
        assert _labels(p2) == ["[navn]"]


def test_cli_lists_and_confirms_labels(project, tmp_path, capsys):
    from themecoder.core.project import Project

    path = _cli_project(project, tmp_path)
    assert main(["anonymise", "replace", path, "--text", "Per", "--category", "--list"]) == 0
    out = capsys.readouterr().out
    assert "[1] may be the ordinary word" in out and "[2] may be the ordinary word" in out
    assert "participant «Per»" in out
    assert main(["anonymise", "replace", path, "--text", "Per", "--category"]) != 0  # not a terminal
    assert "also an ordinary word" in capsys.readouterr().err
    assert main(["anonymise", "replace", path, "--text", "Per", "--category", "--confirm", "2"]) == 0
    assert "participants: 1 label renamed" in capsys.readouterr().out
    with Project.open(path) as p2:
        assert _labels(p2) == ["Kari Nordmo", "[navn]"]
        assert "kroner per time" in store.documents.document_text(p2.db, store.documents.documents(p2.db)[0].id)


def test_cli_collision_one_line(project, tmp_path, capsys):
    from themecoder.core.project import Project

    path = _cli_project(project, tmp_path)
    with Project.open(path) as p2:
        create_participant(p2, "[navn] Nordmo")
    code = main(["anonymise", "replace", path, "--text", "Kari", "--category"])
    err = capsys.readouterr().err
    assert code != 0
    assert "collide" in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    with Project.open(path) as p2:
        assert _labels(p2) == ["Kari Nordmo", "Per", "[navn] Nordmo"]
        assert "Kari Nordmo kom" in store.documents.document_text(p2.db, store.documents.documents(p2.db)[0].id)


# -- TUI ------------------------------------------------------------------------------------------
async def test_tui_replacement_renames_the_label_and_says_so(tmp_path):
    from themecoder.core.project import Project
    from themecoder.tui.screens.anonymisation import AnonymisationScreen, ReplaceDialog
    from tui_fixtures import make_app, wait_for

    src = tmp_path / "intervju.txt"
    src.write_text("I: Hvem ringte du?\n\nIP: Jeg ringte Gudbrand Rugsveen i går.\n", encoding="utf-8")
    path = tmp_path / "anon.themecoder"
    with Project.create(path, coder="student") as p:
        add_transcript(p, read_transcript(src), participant="Gudbrand Rugsveen")
    app = make_app(path)
    async with app.run_test(size=(110, 32)) as pilot:
        screen = AnonymisationScreen(app)
        app.push_screen(screen)
        await wait_for(pilot, lambda: app.screen is screen and not screen.checking and screen.found)
        options = screen.query_one("#anon-findings")
        options.highlighted = next(i for i, f in enumerate(screen.found)
                                   if f.text == "Gudbrand Rugsveen" and f.document_id)
        await pilot.press("k")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplaceDialog))
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("participant label" in n for n in app.notified))
        assert any("1 participant label(s)" in n for n in app.notified)
        assert [p.pseudonym for p in store.participants.participants(app.project.db)] == ["[navn]"]


def test_cli_check_lists_attribute_values(project, tmp_path, capsys):
    _doc(project, tmp_path, "d", "I: Ja?\n\nIP: Det gikk bra.\n", participant="P1")
    set_attribute(project, "P1", "kontakt", "søster til Solveig Haugland")
    path = str(project.path)
    project.close()
    assert main(["check", path]) == 0
    out = capsys.readouterr().out
    assert "participant «P1», kontakt" in out and "Solveig Haugland" in out
