"""Issue 14 (core and command line): matrix totals, a document's participant, title and
deletion, the code picker's ranking, search snippets."""
from __future__ import annotations

from themecoder.cli import main
from test_tui_issue14 import nested_themes


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--coder", "student", *argv])
    out, err = capsys.readouterr()
    return code, out, err


# -- 5 -------------------------------------------------------------------------------------
def test_cli_matrix_has_a_total_row_of_distinct_codings(tui_project, capsys):
    coded = nested_themes(tui_project)
    code, out, err = run(capsys, "matrix", str(tui_project))
    assert code == 0, err
    last = out.splitlines()[-1].split()
    assert last[0] == "Total" and last[-1] == str(coded)
    assert sum(int(v) for v in last[1:-1]) == coded
