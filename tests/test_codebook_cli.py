"""The command line for codebook maintenance, themes and the code matrix."""
from __future__ import annotations

import json

from themecoder import store
from themecoder.cli import main
from themecoder.core.project import Project


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--coder", "student", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv: str):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def top_codes(path, n=2):
    with Project.open(path) as p:
        stats = sorted(store.codes.code_stats(p.db), key=lambda s: (-s.codings, s.code.label))
        return [s.code for s in stats[:n]]


def test_codebook_commands(demo_project, capsys, monkeypatch):
    p = str(demo_project)
    a, b = top_codes(demo_project)
    code, out, _ = run(capsys, "codebook", "rename", p, a.label, "nytt navn")
    assert code == 0 and "nytt navn" in out
    assert run(capsys, "codebook", "describe", p, "nytt navn", "En beskrivelse.")[0] == 0
    assert run(capsys, "codebook", "recolor", p, "nytt navn", "#112233")[0] == 0
    shown = run_json(capsys, "codebook", "show", p, "nytt navn")
    assert (shown["description"], shown["colour"]) == ("En beskrivelse.", "#112233")
    n_a, n_b = len(shown["codings"]), len(run_json(capsys, "codebook", "show", p, b.label)["codings"])

    merged = run_json(capsys, "codebook", "merge", p, b.label, "--into", "nytt navn")
    assert merged["moved"] + merged["collapsed"] == n_b
    assert len(run_json(capsys, "codebook", "show", p, "nytt navn")["codings"]) == n_a + merged["moved"]
    code, out, _ = run(capsys, "undo", p)
    assert code == 0 and "merge" in out
    assert len(run_json(capsys, "codebook", "show", p, b.label)["codings"]) == n_b

    # split by coding id prefix
    first = run_json(capsys, "codebook", "show", p, b.label)["codings"][0]
    code, out, err = run(capsys, "codebook", "split", p, b.label, "--to", "avspaltet", "--coding", first["id"][:8])
    assert code == 0, err
    assert [c["id"] for c in run_json(capsys, "codebook", "show", p, "avspaltet")["codings"]] == [first["id"]]

    # delete needs --yes when nobody can be asked
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, _, err = run(capsys, "codebook", "delete", p, "avspaltet")
    assert code == 1 and "--yes" in err and "Traceback" not in err
    assert run(capsys, "codebook", "delete", p, "avspaltet", "--yes")[0] == 0
    assert run(capsys, "codebook", "show", p, "avspaltet")[0] == 1

    # one-line errors
    code, _, err = run(capsys, "codebook", "rename", p, "finnes ikke", "x")
    assert code == 1 and err.count("\n") == 1 and err.startswith("error:")
    code, _, err = run(capsys, "codebook", "recolour", p, "nytt navn", "blå")
    assert code == 1 and "#RRGGBB" in err


def test_duplicates_command(project, capsys):
    from themecoder.core import coding

    for label in ("å være medmenneske", "Være et medmenneske", "tillit tar tid", "bolig"):
        coding.create_code(project, label)
    path = str(project.path)
    clusters = run_json(capsys, "codebook", "duplicates", path, "--threshold", "90")
    assert [sorted(c["label"] for c in cl["codes"]) for cl in clusters] == [["Være et medmenneske", "å være medmenneske"]]
    code, out, _ = run(capsys, "codebook", "duplicates", path)
    assert code == 0 and "1 group of" in out


def test_theme_commands(demo_project, capsys, monkeypatch):
    p = str(demo_project)
    a, b = top_codes(demo_project)
    assert run(capsys, "theme", "create", p, "Nytt tema", "--description", "Om noe nytt.")[0] == 0
    assert run(capsys, "theme", "create", p, "Under", "--parent", "Nytt tema")[0] == 0
    code, _, err = run(capsys, "theme", "create", p, "Under", "--parent", "Nytt tema")
    assert code == 1 and "exists" in err
    assert run(capsys, "theme", "map", p, "Nytt tema/Under", a.label, b.label)[0] == 0
    tree = run_json(capsys, "theme", "tree", p)
    new = next(t for t in tree if t["name"] == "Nytt tema")
    assert new["description"] == "Om noe nytt."
    assert [c["label"] for c in new["subthemes"][0]["codes"]] == [a.label, b.label]
    assert new["codings"] == new["subthemes"][0]["codings"]
    # move-codes from the subtheme to the top theme, in one action
    assert run(capsys, "theme", "move-codes", p, a.label, "--from", "Nytt tema › Under", "--to", "Nytt tema")[0] == 0
    listed = {t["name"]: t for t in run_json(capsys, "theme", "list", p)}
    assert [c["label"] for c in listed["Nytt tema"]["codes"]] == [a.label]
    assert [c["label"] for c in listed["Under"]["codes"]] == [b.label]
    # texts and key quote
    quote = run_json(capsys, "codebook", "show", p, a.label)["codings"][0]["id"]
    code, _, err = run(capsys, "theme", "set", p, "Nytt tema", "--analytic-text", "Analyse.", "--condensate",
                       "Kondensat.", "--key-quote", quote[:8])
    assert code == 0, err
    listed = {t["name"]: t for t in run_json(capsys, "theme", "list", p)}
    assert (listed["Nytt tema"]["analytic_text"], listed["Nytt tema"]["key_coding_id"]) == ("Analyse.", quote)
    # structure
    assert run(capsys, "theme", "reorder", p, "Nytt tema", "--to", "1")[0] == 0
    assert run_json(capsys, "theme", "tree", p)[0]["name"] == "Nytt tema"
    assert run(capsys, "theme", "move", p, "Under", "--top", "--position", "1")[0] == 0
    assert run_json(capsys, "theme", "tree", p)[0]["name"] == "Under"
    code, _, err = run(capsys, "theme", "move", p, "Nytt tema", "--under", "Nytt tema")
    assert code == 1 and "itself" in err
    assert run(capsys, "theme", "rename", p, "Under", "Tidligere under")[0] == 0
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert run(capsys, "theme", "delete", p, "Tidligere under")[0] == 1
    code, out, _ = run(capsys, "theme", "delete", p, "Tidligere under", "--yes")
    assert code == 0 and "no codes deleted" in out
    assert "Tidligere under" not in {t["name"] for t in run_json(capsys, "theme", "list", p)}
    assert run(capsys, "codebook", "show", p, b.label)[0] == 0  # the code is still there
    several = run_json(capsys, "theme", "several", p)
    assert all(len(c["themes"]) > 1 for c in several)


def test_matrix_command(demo_project, capsys):
    p = str(demo_project)
    m = run_json(capsys, "matrix", p)
    assert [c["label"] for c in m["columns"]] == ["Anna", "Britt", "Carl"]
    assert all(r["total"] == sum(r["counts"]) for r in m["rows"])
    codes = run_json(capsys, "matrix", p, "--rows", "codes")
    row = max(codes["rows"], key=lambda r: r["counts"][0])
    quotes = run_json(capsys, "matrix", p, "--rows", "codes", "--cell", row["label"], "Anna")
    assert len(quotes) == row["counts"][0]
    code, out, _ = run(capsys, "matrix", p)
    assert code == 0 and "Anna" in out.splitlines()[0]
    code, _, err = run(capsys, "matrix", p, "--cell", "nothing", "Anna")
    assert code == 1 and "no cell" in err
