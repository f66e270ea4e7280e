"""The mixed-methods report for the demo project, read back and checked: Word via
python-docx, markdown and HTML as text. Every linked theme and finding is there, quotes are
verbatim from the transcripts, and the ⚠ n ≤ 5 warning stands where it applies."""
from __future__ import annotations

from html.parser import HTMLParser

import docx
import pytest
from docx.oxml.ns import qn

from themecoder import store
from themecoder.cli import main
from themecoder.core import findings as F
from themecoder.core.project import Project
from themecoder.errors import UserError
from themecoder.io.report import ReportOptions, build_report, write_report
from themecoder.io.tabular import nest_quotes

WARN = "⚠ n ≤ 5"
OUTCOME_NB = {"confirmation": "Bekreftelse", "expansion": "Utvidelse", "discordance": "Uoverensstemmelse"}


@pytest.fixture
def demo(demo_project):
    p = Project.open(demo_project, coder="tester")
    yield p
    p.close()


def transcripts(project) -> dict[str, str]:
    return {d.id: store.documents.document_text(project.db, d.id) for d in store.documents.documents(project.db)}


def caption_tables(d):
    """[(caption text, table)] in document order."""
    out, last = [], None
    for block in d.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = docx.text.paragraph.Paragraph(block, d)
            if p.style is not None and p.style.name == "Caption":
                last = p.text
        elif tag == "tbl":
            out.append((last, docx.table.Table(block, d)))
            last = None
    return out


def unique_cells(row):
    seen, out = set(), []
    for c in row.cells:
        if id(c._tc) not in seen:
            seen.add(id(c._tc))
            out.append(c)
    return out


def column_texts(table, col: int) -> list[str]:
    out = []
    for row in table.rows[1:]:
        tc = row.cells[col]._tc
        text = row.cells[col].text
        if not out or out[-1][0] is not tc:
            out.append((tc, text))
    return [t for _, t in out]


# -- Word --------------------------------------------------------------------------------------
def test_docx_report_for_the_demo(demo, tmp_path):
    path = write_report(demo, tmp_path / "exports" / "rapport.docx")
    assert path.exists() and [p.name for p in path.parent.iterdir()] == ["rapport.docx"]  # atomic, no leftovers
    d = docx.Document(str(path))
    texts = transcripts(demo)
    jd = F.joint_display(demo)

    headings = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Integrasjon av kvalitative og kvantitative funn") in headings
    assert ("Heading 2", "Design") in headings
    assert ("Heading 2", "Felles fremstilling (joint display)") in headings
    for row in F.joint_display(demo, include_subthemes=True).rows:  # a section per theme
        assert any(row.theme.name in text for _, text in headings)
    body = "\n".join(p.text for p in d.paragraphs)
    assert "forklarende sekvensielt design" in body

    tables = caption_tables(d)
    captions = [c for c, _ in tables]
    assert captions[0] == "Tabell 1\nFelles fremstilling av temaer og kvantitative funn"
    assert captions[1].startswith("Figur 1\n")
    assert captions[2].startswith("Tabell 2\n") and captions[3].startswith("Tabell 3\n")
    cap = next(p for p in d.paragraphs if p.style.name == "Caption")
    assert "SEQ Tabell" in cap._p.xml  # a real caption number Word can list

    joint = tables[0][1]
    assert joint.style.name == "APA Table"
    assert [c.text for c in joint.rows[0].cells] == ["Tema", "Kvalitative funn", "Kvantitative funn", "Utfall",
                                                     "Metainferens"]
    themes_col = column_texts(joint, 0)
    qual_col = column_texts(joint, 1)
    quant_col = "\n".join(column_texts(joint, 2))
    outcome_col = [row.cells[3].text for row in joint.rows[1:]]
    meta_col = "\n".join(row.cells[4].text for row in joint.rows[1:])
    assert len(themes_col) == len(jd.rows)  # the theme cell spans its findings
    for row, theme_text, qual in zip(jd.rows, themes_col, qual_col):
        assert row.theme.name in theme_text
        assert WARN in qual and f"{row.n_participants} informanter, {row.codings} kodinger" in qual
        for q in row.quotes:
            c = q.coding
            assert texts[c.document_id][c.start:c.end] == c.quote
            assert f"«{nest_quotes(c.quote, 'nb')}»" in qual
    for link in F.list_links(demo):
        sf = F.get_finding(demo, link.finding_id)
        assert f"{sf.label} {sf.title}" in quant_col
        assert link.meta_inference in meta_col
        assert OUTCOME_NB[link.outcome] in outcome_col
    assert "t(38) = −2,51, p = ,02" in quant_col  # minus sign and decimal comma
    # statistical symbols are real italic runs
    para = next(p for cell in joint.columns[2].cells for p in cell.paragraphs if p.text.startswith("t(38)"))
    runs = [(r.text, bool(r.italic)) for r in para.runs]
    assert runs[0] == ("t", True) and ("p", True) in runs and not any(i for t, i in runs if "2,51" in t)
    # quotes use the quote style inside the table
    assert any(p.style.name == "Table Quote" for p in joint.rows[1].cells[1].paragraphs)

    # the joint display sits in a landscape section
    assert any(s.page_width > s.page_height for s in d.sections)

    # the figure: a shaded table, one row per theme, one column per participant
    figure = tables[1][1]
    assert [c.text for c in figure.rows[0].cells] == ["Tema", "Anna", "Britt", "Carl", "n"]
    assert len(figure.rows) == 1 + 20
    fills = {el.get(qn("w:fill")) for el in figure._tbl.iter(qn("w:shd"))}
    assert len(fills) > 3
    assert all(WARN in r.cells[-1].text for r in figure.rows[1:])

    # the findings table: every finding with groups, n, M, SD, statistic, df, p
    findings = tables[2][1]
    first_col = [r.cells[0].text for r in findings.rows[1:]]
    assert [x for x in first_col if x] == [f"F{i}" for i in range(1, 9)]
    leader = next(r for r in findings.rows if r.cells[0].text == "F5")
    assert [c.text for c in leader.cells[2:]] == ["med brukererfaring", "10", "3,25", "1,24", "t-test",
                                                   "t = −2,51", "38", ",02", ""]

    # the consistency check names the flagged findings
    check = {r.cells[0].text: r.cells[2].text for r in tables[3][1].rows[1:]}
    assert check == {"F1": "Ikke sjekket (ingen p-verdi)", "F2": "Ikke sjekket (ingen p-verdi)",
                     "F3": "Ikke sjekket (ingen p-verdi)", "F4": "Ikke sjekket (ingen p-verdi)",
                     "F5": "Inkonsistent", "F6": "Inkonsistent", "F7": "Beslutningsfeil", "F8": "I samsvar"}
    assert any(p.style.name == "Reference" and p.text.startswith("Fetters, M. D.") for p in d.paragraphs)


def test_docx_english_and_stats_by_themes(demo, tmp_path):
    path = write_report(demo, tmp_path / "report.docx",
                        options=ReportOptions(lang="en", layout="stats-by-themes", check=False))
    d = docx.Document(str(path))
    tables = caption_tables(d)
    assert tables[0][0] == "Table 1\nJoint Display: Quantitative Findings and the Themes That Speak to Them"
    assert len(tables) == 3  # joint display, figure, findings; no check
    joint = tables[0][1]
    assert [c.text for c in joint.rows[0].cells] == ["Quantitative findings", "Themes", "Outcome", "Meta-inference"]
    firsts = column_texts(joint, 0)
    assert [t.split(" ", 1)[0] for t in firsts] == ["F1", "F5", "F6", "F7", "F8"]
    assert len(joint.rows) == 1 + len(F.list_links(demo))
    assert "t(38) = -2.51, p = .02" in "\n".join(firsts)
    themes = "\n".join(r.cells[1].text for r in joint.rows[1:])
    lines = themes.splitlines()
    assert any(line.startswith("“") for line in lines) and not any(line.startswith("«") for line in lines)
    assert {r.cells[2].text for r in joint.rows[1:]} == {"Confirmation", "Expansion", "Discordance"}


# -- markdown ----------------------------------------------------------------------------------
def test_markdown_report_for_the_demo(demo, tmp_path):
    path = write_report(demo, tmp_path / "rapport.md")
    md = path.read_text(encoding="utf-8")
    texts = transcripts(demo)
    assert md.startswith("# Integrasjon av kvalitative og kvantitative funn\n")
    assert "**Tabell 1**" in md and "**Figur 1**" in md and "**Tabell 2**" in md
    joint = md.split("**Tabell 1**", 1)[1].split("**Figur 1**", 1)[0]
    for row in F.joint_display(demo).rows:
        assert row.theme.name in joint
        for q in row.quotes:
            c = q.coding
            assert texts[c.document_id][c.start:c.end] == c.quote
            assert f"«{nest_quotes(c.quote, 'nb')}»" in joint
    for link in F.list_links(demo):
        sf = F.get_finding(demo, link.finding_id)
        assert f"**{sf.label}** {sf.title}" in joint
        assert link.meta_inference in joint
    assert joint.count(WARN) == len(F.joint_display(demo).rows) + 1  # each row, and the note
    assert "*t*(38) = −2,51, *p* = ,02" in joint
    assert "| Tema | Kvalitative funn | Kvantitative funn | Utfall | Metainferens |" in joint
    # each theme's section with its quotes, and the findings table
    assert "### Faglig utvikling" in md and "#### Faglig utvikling › Å være ny" in md
    f5 = next(line for line in md.splitlines() if line.startswith("| **F5** | QPS Nordic"))
    assert f5.startswith("| **F5** | QPS Nordic – Støtte fra leder<br>med vs. uten brukererfaring<br>**⚑ Inkonsistent**")
    assert "| med brukererfaring | 10 | 3,25 | 1,24 |" in f5


def test_markdown_without_links_or_findings(project, tmp_path):
    path = write_report(project, tmp_path / "tom.md")
    md = path.read_text(encoding="utf-8")
    assert "Ingen temaer er koblet til kvantitative funn ennå." in md
    assert "Prosjektet har ingen kvantitative funn ennå." in md
    assert "Designet er ikke registrert i prosjektet." in md


# -- HTML --------------------------------------------------------------------------------------
class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.parts.append(data)


def test_html_report_for_the_demo(demo, tmp_path):
    path = write_report(demo, tmp_path / "rapport.html")
    html = path.read_text(encoding="utf-8")
    parser = _Text()
    parser.feed(html)
    text = "".join(parser.parts)
    tags = parser.tags
    assert ("html", {"lang": "nb"}) in tags
    assert any(tag == "svg" for tag, _ in tags)                      # the figure
    assert any(tag == "td" and "rowspan" in a for tag, a in tags)    # a theme spanning two findings
    assert "<em>t</em>(38) = −2,51, <em>p</em> = ,02" in html
    texts = transcripts(demo)
    for row in F.joint_display(demo).rows:
        assert row.theme.name in text
        for q in row.quotes:
            c = q.coding
            assert texts[c.document_id][c.start:c.end] == c.quote
            assert f"«{nest_quotes(c.quote, 'nb')}»" in text
    for link in F.list_links(demo):
        assert link.meta_inference in text
        assert F.get_finding(demo, link.finding_id).title in text
    assert WARN in text


# -- where the warning does not apply ----------------------------------------------------------
def test_no_warning_where_cells_rest_on_more_than_five(tmp_path):
    from test_findings_joint import six_participants

    project = six_participants(tmp_path / "seks")
    try:
        md = write_report(project, tmp_path / "seks.md").read_text(encoding="utf-8")
    finally:
        project.close()
    joint = md.split("**Tabell 1**", 1)[1].split("**Figur 1**", 1)[0]
    rows = [line for line in joint.splitlines() if line.startswith("| **")]
    wide = next(r for r in rows if r.startswith("| **Kollegene**"))
    thin = next(r for r in rows if r.startswith("| **Bare noen få**"))
    qual_wide = wide.split(" | ")[1]
    assert "6 informanter, 6 kodinger" in qual_wide and WARN not in qual_wide
    assert WARN in thin.split(" | ")[1]
    # the survey side: F1 has a group of four, F2 does not
    assert f"**F1** Sosial samhandling **{WARN}**" in wide
    assert "**F2** Sosial samhandling<br>" in joint and f"**F2** Sosial samhandling **{WARN}" not in joint


# -- the command -------------------------------------------------------------------------------
def test_report_command(demo_project, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["report", str(demo_project), "-o", "exports/rapport.docx"]) == 0
    assert (tmp_path / "exports" / "rapport.docx").exists()
    assert main(["report", str(demo_project), "-o", "exports/rapport.md", "--lang", "en",
                 "--layout", "stats-by-themes", "--subthemes", "--no-check"]) == 0
    md = (tmp_path / "exports" / "rapport.md").read_text(encoding="utf-8")
    assert "**Table 1**" in md and "Consistency" not in md and "“" in md
    assert main(["report", str(demo_project), "--format", "html"]) == 0
    assert (demo_project.parent / "exports" / "demo-rapport.html").exists()
    capsys.readouterr()
    assert main(["report", str(demo_project), "-o", "rapport.pdf"]) == 1
    assert "cannot tell the format" in capsys.readouterr().err


def test_unknown_layout_is_a_user_error(demo):
    with pytest.raises(UserError, match="unknown layout"):
        build_report(demo, ReportOptions(layout="sideways"))
