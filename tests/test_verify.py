"""`themecoder verify`: every coding checked against its transcript, and re-anchored."""
import json
import sqlite3

from themecoder.cli import main


def test_verify_demo_is_clean(demo_project, capsys):
    assert main(["verify", str(demo_project), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["codings"] == 241 and report["mismatches"] == []


def test_verify_finds_and_repairs_shifted_codings(demo_project, capsys):
    # Another tool shifts two stored offsets behind our back.
    conn = sqlite3.connect(demo_project)
    ids = [r[0] for r in conn.execute("SELECT id FROM codings ORDER BY id LIMIT 2")]
    conn.execute("UPDATE codings SET start = start + 3, end = end + 3 WHERE id IN (?, ?)", ids)
    conn.commit()
    conn.close()
    assert main(["verify", str(demo_project)]) == 1
    out = capsys.readouterr().out
    assert "2 do not match their transcript" in out and "found again" in out
    assert main(["verify", str(demo_project), "--repair"]) == 0
    assert "re-anchored 2 codings" in capsys.readouterr().out
    assert main(["verify", str(demo_project), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["mismatches"] == []
    # The repair is one undoable action.
    assert main(["undo", str(demo_project)]) == 0
    assert "re-anchor 2 codings" in capsys.readouterr().out
    assert main(["verify", str(demo_project)]) == 1
