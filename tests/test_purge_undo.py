"""After pseudonymisation, purge-undo removes the original text from the project file."""
from pathlib import Path

from themecoder import store
from themecoder.cli import main
from themecoder.core import anonymise, coding
from themecoder.core.documents import add_transcript
from themecoder.io.readers import read_transcript


def file_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def test_purge_removes_original_names_but_keeps_the_log(project, tmp_path, capsys):
    src = tmp_path / "anna.txt"
    src.write_text("I: Hvem hjalp deg?\n\nAnna: Det var Gunnhild Tveitereid som hjalp meg mest.\n",
                   encoding="utf-8")
    doc = add_transcript(project, read_transcript(src))
    coding.code_quote(project, doc.id, "som hjalp meg mest", "hjelp fra kollega")
    anonymise.replace_identifier(project, "Gunnhild Tveitereid", "[navn]", mode="category")
    assert "Tveitereid" not in store.documents.document_text(project.db, doc.id)
    assert b"Tveitereid" in file_bytes(project.path)  # undo still holds the original
    n_log = len(project.history())
    path = project.path
    project.close()

    assert main(["purge-undo", str(path), "--yes"]) == 0
    assert "undo data of" in capsys.readouterr().out
    assert b"Tveitereid" not in file_bytes(path)
    from themecoder.core.project import Project

    reopened = Project.open(path, coder="tester")
    assert len(reopened.history()) == n_log  # who did what when is kept
    assert reopened.undo() is None  # nothing left to undo
    assert [c.quote for c in store.codings.all_codings(reopened.db)] == ["som hjalp meg mest"]
    reopened.close()


def test_purge_without_yes_refuses_when_not_interactive(project, capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    path = str(project.path)
    project.close()
    assert main(["purge-undo", path]) == 1
    assert "--yes" in capsys.readouterr().err
