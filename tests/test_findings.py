"""Findings in the project: stored, listed, edited, deleted and undone; imported from CSV and
YAML; computed from the demo survey; the consistency check on the demo findings; links
between themes and findings; the design; the CLI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from themecoder.cli import main
from themecoder.core import findings as F
from themecoder.core.project import Project
from themecoder.core.quant import Group, SurveyFinding, SurveyFindingError, load_findings
from themecoder.core.themes import create_theme, delete_theme
from themecoder.errors import Ambiguous, Conflict, NotFound, UserError


@pytest.fixture
def survey(root) -> Path:
    return root / "corpora" / "survey"


@pytest.fixture
def demo(demo_project):
    p = Project.open(demo_project, coder="tester")
    yield p
    p.close()


def t_test(**kw) -> SurveyFinding:
    base = dict(instrument="QPS Nordic", scale="Støtte fra leder", comparison="A vs. B",
                variables=["Støtte fra leder", "gruppe"], test="t-test",
                groups=[Group("A", 10, 3.25, 1.24), Group("B", 30, 3.99, 0.57)],
                statistic=-2.51, statistic_reported="-2.51", df=38, p_reported=".02", n=40,
                statement="A opplevde mindre støtte enn B.", details={"note": "fra kilden"})
    base.update(kw)
    return SurveyFinding(**base)


def actions(project) -> int:
    return project.db.scalar("SELECT count(*) FROM actions")


# -- storing, listing, editing, deleting, undo ------------------------------------------------
def test_add_keeps_every_field_and_is_one_action(project):
    f = t_test()
    before = actions(project)
    sf = F.add_finding(project, f)
    assert actions(project) == before + 1
    assert sf.label == "F1" and sf.number == 1
    assert sf.finding.to_dict() == f.to_dict()
    (listed,) = F.list_findings(project)
    assert listed.finding.to_dict() == f.to_dict()
    assert listed.title == "QPS Nordic – Støtte fra leder: A vs. B"
    with pytest.raises(Conflict):
        F.add_finding(project, f)


def test_add_from_mapping_validates(project):
    sf = F.add_finding(project, {"test": "pearson", "scale": "X", "statistic": "-.315", "n": 40,
                                 "p_reported": ".05"})
    assert sf.finding.statistic == -0.315 and sf.finding.statistic_reported == "-.315"
    with pytest.raises(SurveyFindingError, match="test"):
        F.add_finding(project, {"test": "anova"})
    with pytest.raises(SurveyFindingError, match="p_reported"):
        F.add_finding(project, {"test": "t-test", "p_reported": "sometimes"})
    assert len(F.list_findings(project)) == 1


def test_edit_delete_and_undo_redo(project):
    sf = F.add_finding(project, t_test())
    edited = F.update_finding(project, "F1", p_reported=".03", statement="Ny tekst.")
    assert edited.finding.p_reported == ".03" and edited.finding.statement == "Ny tekst."
    assert edited.finding.groups == sf.finding.groups  # untouched fields kept
    edited = F.update_finding(project, "1", groups=[{"name": "A", "n": 11, "mean": 3.3, "sd": 1.2},
                                                    Group("B", 29, 4.0, 0.6)])
    assert [g.n for g in edited.finding.groups] == [11, 29]
    with pytest.raises(UserError, match="no field"):
        F.update_finding(project, "F1", colour="red")
    with pytest.raises(SurveyFindingError):
        F.update_finding(project, "F1", p=1.5)

    project.undo()  # the groups
    assert [g.n for g in F.get_finding(project, sf.id).finding.groups] == [10, 30]
    project.undo()  # p and statement
    assert F.get_finding(project, sf.id).finding.to_dict() == sf.finding.to_dict()
    project.redo()
    assert F.get_finding(project, sf.id).finding.p_reported == ".03"

    F.delete_finding(project, "F1")
    assert F.list_findings(project) == []
    project.undo()
    (back,) = F.list_findings(project)
    assert back.label == "F1" and back.finding.p_reported == ".03"


def test_numbers_are_never_reused(project):
    a = F.add_finding(project, t_test(scale="a"))
    b = F.add_finding(project, t_test(scale="b"))
    F.delete_finding(project, b.id)
    c = F.add_finding(project, t_test(scale="c"))
    assert (a.label, b.label, c.label) == ("F1", "F2", "F3")
    # undoing the delete brings F2 back without a clash
    project.undo()  # add c
    project.undo()  # delete b
    assert [s.label for s in F.list_findings(project)] == ["F1", "F2"]


def test_find_finding_by_number_id_prefix_and_text(demo):
    assert F.find_finding(demo, "F5").finding.scale == "Støtte fra leder"
    assert F.find_finding(demo, "5").label == "F5"
    leader = F.find_finding(demo, "Støtte fra leder")
    assert leader.label == "F5"
    assert F.find_finding(demo, leader.id[:8]).id == leader.id
    assert F.find_finding(demo, "rolleforventninger").label == "F6"
    with pytest.raises(UserError, match="fits several findings"):
        F.find_finding(demo, "Totalskår")
    with pytest.raises(NotFound):
        F.find_finding(demo, "F99")
    with pytest.raises(NotFound):
        F.find_finding(demo, "ingen slik skala")


# -- import ------------------------------------------------------------------------------------
def test_import_yaml_keeps_everything_and_reimport_updates_in_place(project, survey, tmp_path):
    result = F.import_findings_file(project, survey / "findings.yaml")
    published = load_findings(survey / "findings.yaml")
    assert len(result.added) == len(published) == 8 and not result.updated
    stored = F.list_findings(project)
    assert [s.finding.to_dict() for s in stored] == [f.to_dict() for f in published]
    assert all(s.finding.source == "reported" for s in stored)

    again = F.import_findings_file(project, survey / "findings.yaml")
    assert (len(again.added), len(again.updated), len(again.unchanged)) == (0, 0, 8)

    theme = create_theme(project, "Tema")
    F.link_theme(project, theme.id, "F5", "expansion", "tekst")
    corrected = tmp_path / "rettet.yaml"
    corrected.write_text((survey / "findings.yaml").read_text(encoding="utf-8")
                         .replace('p_reported: ".02"', 'p_reported: ".014"'), encoding="utf-8")
    third = F.import_findings_file(project, corrected)
    assert [s.label for s in third.updated] == ["F5"]
    assert F.find_finding(project, "F5").finding.p_reported == ".014"
    assert len(F.list_links(project)) == 1  # the link survived the update
    project.undo()
    assert F.find_finding(project, "F5").finding.p_reported == ".02"


CSV = (
    "id;instrument;scale;comparison;variables;test;statistic;df;p_reported;n;statement;"
    "group1_name;group1_n;group1_mean;group1_sd;group2_name;group2_n;group2_mean;group2_sd\n"
    ";QPS Nordic;Støtte fra leder;med vs. uten;Støtte fra leder|brukererfaring;t-test;-2,51;38;,02;40;"
    "Mindre støtte.;med;10;3,25;1,24;uten;30;3,99;0,57\n"
    ";RSA-R;Involvering;;Involvering;pearson;-,315;38;,05;40;Negativ sammenheng.;;;;;;;;\n"
)


def test_import_csv(project, tmp_path):
    path = tmp_path / "funn.csv"
    path.write_text(CSV, encoding="utf-8")
    result = F.import_findings_file(project, path)
    assert [s.label for s in result.added] == ["F1", "F2"]
    t, r = (s.finding for s in F.list_findings(project))
    assert (t.statistic, t.df, t.p_reported, t.n) == (-2.51, 38.0, ",02", 40)
    assert [(g.name, g.n, g.mean, g.sd) for g in t.groups] == [("med", 10, 3.25, 1.24), ("uten", 30, 3.99, 0.57)]
    assert t.variables == ["Støtte fra leder", "brukererfaring"]
    assert (r.test, r.statistic, r.groups) == ("pearson", -0.315, [])
    # the same file again: the content-derived ids match, nothing new
    assert len(F.import_findings_file(project, path).unchanged) == 2
    # one action, one undo
    project.undo()
    project.undo()
    assert F.list_findings(project) == []


def test_bad_import_stores_nothing(project, tmp_path):
    bad = tmp_path / "feil.csv"
    bad.write_text("test;scale;colour\nt-test;X;red\n", encoding="utf-8")
    with pytest.raises(UserError, match="unknown column 'colour'"):
        F.import_findings_file(project, bad)
    xlsx = tmp_path / "funn.xlsx"
    xlsx.write_text("x", encoding="utf-8")
    with pytest.raises(UserError, match="unknown findings format"):
        F.import_findings_file(project, xlsx)
    assert F.list_findings(project) == []


# -- compute -----------------------------------------------------------------------------------
def test_compute_on_the_demo_survey_stores_computed_findings(project, survey):
    from themecoder.core.survey import compute_findings

    expected = compute_findings(survey / "data.csv", survey / "scales.yaml")
    before = actions(project)
    result = F.compute_survey_findings(project, survey / "data.csv", survey / "scales.yaml")
    assert actions(project) == before + 1
    assert len(result.added) == len(expected) > 30
    stored = F.list_findings(project)
    assert all(s.finding.source == "computed" for s in stored)
    by_id = {s.id: s.finding for s in stored}
    for f in expected:
        got = by_id[f.id]
        assert (got.test, got.scale, got.comparison, got.n) == (f.test, f.scale, f.comparison, f.n)
        assert got.statistic == pytest.approx(f.statistic) if f.statistic is not None else got.statistic is None
        assert got.p == pytest.approx(f.p) if f.p is not None else got.p is None
        assert [(g.name, g.n) for g in got.groups] == [(g.name, g.n) for g in f.groups]
    leader = [s for s in stored if s.finding.scale == "Støtte fra leder" and s.finding.test == "t-test"][0]
    assert leader.finding.comparison == "med vs. uten brukererfaring"
    assert [g.n for g in leader.finding.groups] == [10, 30]
    # a re-run gives the same ids: nothing new
    again = F.compute_survey_findings(project, survey / "data.csv", survey / "scales.yaml")
    assert not again.added and len(again.unchanged) == len(expected)
    project.undo()
    project.undo()
    assert F.list_findings(project) == []


# -- the consistency check ---------------------------------------------------------------------
def test_check_on_the_demo_findings(demo):
    checked = {c.finding.finding.scale + "|" + c.finding.finding.test + "|" + c.finding.finding.instrument: c
               for c in F.check_project_findings(demo)}
    assert len(checked) == 8
    for key in ("Totalskår|descriptive|RSA-R", "Totalskår|cronbach-alpha|RSA-R",
                "Totalskår|descriptive|QPS Nordic", "Totalskår|cronbach-alpha|QPS Nordic"):
        assert checked[key].status == "not-checked" and not checked[key].flagged

    # Støtte fra leder: the reported p fits t(38) = -2.51, but t does not fit M, SD and n,
    # and Welch's t (the SDs differ a lot) would not be significant.
    leader = checked["Støtte fra leder|t-test|QPS Nordic"]
    assert leader.status == "inconsistent" and leader.flagged and not leader.result.decision_error
    assert any("does not match M, SD and n" in i for i in leader.result.issues)
    assert not any("reported p" in i for i in leader.result.issues)
    assert "Welch" in leader.result.note

    # Rolleforventninger: the sign of t is opposite to the group means.
    role = checked["Rolleforventninger|t-test|QPS Nordic"]
    assert role.status == "inconsistent" and not role.result.decision_error
    assert any("sign of t" in i for i in role.result.issues)

    # Mangfold: df should be 40, t does not fit the means, and p = .053 was reported as .05:
    # a decision error (significant as reported, not when recomputed).
    diversity = checked["Mangfold i behandlingstilbud|t-test|RSA-R"]
    assert diversity.status == "decision-error" and diversity.result.decision_error
    assert any("df = 38" in i for i in diversity.result.issues)
    assert diversity.result.recomputed_range[0] > 0.05

    # Involvering–sosial samhandling: r(38) = -.315 gives p = .048, consistent with .05.
    involvement = checked["Involvering|pearson|RSA-R"]
    assert involvement.status == "ok" and not involvement.flagged
    assert 0.045 < involvement.result.recomputed_p < 0.05


def test_check_cli_exit_status_and_json(demo_project, tmp_path, capsys):
    assert main(["findings", "check", str(demo_project), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert {d["label"]: d["status"] for d in data} == {
        "F1": "not-checked", "F2": "not-checked", "F3": "not-checked", "F4": "not-checked",
        "F5": "inconsistent", "F6": "inconsistent", "F7": "decision-error", "F8": "ok"}
    assert main(["findings", "check", str(demo_project), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "3 flagged (1 with a decision error)" in out and "DECISION F7" in out

    clean = tmp_path / "ren.themecoder"
    assert main(["new", str(clean)]) == 0
    assert main(["findings", "add", str(clean), "--test", "pearson", "--scale", "Involvering",
                 "--statistic", "-.315", "--n", "40", "--p-reported", ".05"]) == 0
    capsys.readouterr()
    assert main(["findings", "check", str(clean), "--lang", "en"]) == 0
    assert "1 consistent, 0 flagged" in capsys.readouterr().out


# -- links -------------------------------------------------------------------------------------
def test_link_update_unlink_and_undo(project):
    theme = create_theme(project, "Relasjoner")
    sub = create_theme(project, "Tillit", parent_id=theme.id)
    sf = F.add_finding(project, t_test())
    link = F.link_theme(project, "Relasjoner", "F1", "bekreftelse", "  De peker samme vei.  ")
    assert (link.outcome, link.meta_inference) == ("confirmation", "De peker samme vei.")
    sub_link = F.link_theme(project, "Relasjoner › Tillit", sf.id, "discordance")
    assert sub_link.theme_id == sub.id and sub_link.meta_inference == ""

    # linking again changes the outcome and keeps the text unless a new one is given
    again = F.link_theme(project, theme.id, "F1", "expansion")
    assert again.id == link.id and (again.outcome, again.meta_inference) == ("expansion", "De peker samme vei.")
    edited = F.update_link(project, link.id, meta_inference="Utdyper.")
    assert edited.meta_inference == "Utdyper."
    assert len(F.list_links(project)) == 2
    assert [link.theme_id for link in F.list_links(project, finding_id=sf.id)] == [theme.id, sub.id]

    with pytest.raises(UserError, match="unknown outcome"):
        F.link_theme(project, theme.id, "F1", "kanskje")
    with pytest.raises(NotFound):
        F.link_theme(project, "Finnes ikke", "F1", "expansion")

    assert F.unlink_theme(project, "Relasjoner", "F1") is True
    assert F.unlink_theme(project, "Relasjoner", "F1") is False
    assert [link.theme_id for link in F.list_links(project)] == [sub.id]
    project.undo()  # unlink
    assert F.get_link(project, theme.id, sf.id).meta_inference == "Utdyper."
    project.undo()  # meta-inference
    project.undo()  # outcome
    assert F.get_link(project, theme.id, sf.id).outcome == "confirmation"


def test_links_name_themes_and_findings_like_every_other_reference(project):
    """Themes resolve through core.resolve (paths with / > ›), findings word their errors
    the same way ("no finding ...", "... fits several findings ...")."""
    theme = create_theme(project, "Relasjoner")
    sub = create_theme(project, "Tillit", parent_id=theme.id)
    F.add_finding(project, t_test())
    F.add_finding(project, t_test(scale="Tillit til leder"))
    for ref in ("Relasjoner/Tillit", "Relasjoner > Tillit", "relasjoner › tillit"):
        assert F.link_theme(project, ref, "F1", "expansion").theme_id == sub.id
    with pytest.raises(NotFound, match=r"^no theme 'Relasjonr'; did you mean 'Relasjoner'"):
        F.link_theme(project, "Relasjonr", "F1", "expansion")
    with pytest.raises(NotFound, match=r"^no finding 'F9'$"):
        F.find_finding(project, "F9")
    with pytest.raises(Ambiguous, match=r"fits several findings: 'F1 .*', 'F2 .*'; give more of the name or the id"):
        F.find_finding(project, "QPS")


def test_deleting_a_theme_or_finding_removes_its_links_and_undo_restores_them(project):
    theme = create_theme(project, "Relasjoner")
    F.add_finding(project, t_test())
    F.link_theme(project, theme.id, "F1", "expansion", "tekst")
    delete_theme(project, theme.id)
    assert F.list_links(project) == []
    project.undo()
    assert len(F.list_links(project)) == 1

    F.delete_finding(project, "F1")
    assert F.list_links(project) == [] and F.list_findings(project) == []
    project.undo()
    (link,) = F.list_links(project)
    assert link.meta_inference == "tekst"


# -- design ------------------------------------------------------------------------------------
def test_design(project):
    assert F.get_design(project) is None
    assert F.set_design(project, "Explanatory sequential") == "explanatory-sequential"
    assert F.get_design(project) == "explanatory-sequential"
    assert F.set_design(project, "konvergent") == "convergent"
    with pytest.raises(UserError, match="unknown design"):
        F.set_design(project, "embedded")
    project.undo()
    assert F.get_design(project) == "explanatory-sequential"
    F.set_design(project, None)
    assert F.get_design(project) is None
    project.undo()
    assert F.get_design(project) == "explanatory-sequential"


# -- the demo ----------------------------------------------------------------------------------
def test_demo_has_findings_design_and_thoughtful_links(demo, survey):
    published = load_findings(survey / "findings.yaml")
    stored = F.list_findings(demo)
    assert [s.id for s in stored] == [f.id for f in published]
    assert F.get_design(demo) == "explanatory-sequential"
    paths = F.theme_paths(demo.db)
    links = {(paths[link.theme_id], F.get_finding(demo, link.finding_id).finding.scale): link
             for link in F.list_links(demo)}
    assert len(links) == len(F.DEMO_LINKS) == 8
    assert links[("Faglig utvikling", "Støtte fra leder")].outcome == "expansion"
    assert links[("Tradisjonelle tankemønstre", "Rolleforventninger")].outcome == "expansion"
    assert links[("Faglig utvikling › Å være ny", "Rolleforventninger")].outcome == "discordance"
    assert links[("Relasjoner og sosial inkludering", "Involvering")].outcome == "discordance"
    assert links[("Recovery som personlig prosess", "Totalskår")].outcome == "confirmation"
    for link in links.values():
        assert len(link.meta_inference) > 120 and link.meta_inference.endswith(".")
    # the meta-inferences take the consistency check into account
    assert "Welch" in links[("Faglig utvikling", "Støtte fra leder")].meta_inference
    assert "ikke signifikant" in links[("Tradisjonelle tankemønstre › Regler, rammer og tid",
                                        "Mangfold i behandlingstilbud")].meta_inference
    # one action, undoable like any other
    last = demo.history()[-1]
    assert last.kind == "import-findings"


def test_demo_survey_import_is_idempotent_and_skips_missing_themes(project, survey):
    F.import_demo_survey(project, survey)  # no themes in this project
    assert len(F.list_findings(project)) == 8 and F.list_links(project) == []
    F.import_demo_survey(project, survey)
    assert len(F.list_findings(project)) == 8


# -- CLI ---------------------------------------------------------------------------------------
def test_cli_findings_links_design_flow(tmp_path, survey, capsys):
    proj = str(tmp_path / "p.themecoder")
    assert main(["new", proj]) == 0
    assert main(["findings", "import", proj, str(survey / "findings.yaml")]) == 0
    assert "8 added" in capsys.readouterr().out
    assert main(["findings", "list", proj, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["label"] for d in data][:2] == ["F1", "F2"]
    leader = data[4]
    assert leader["apa"] == "*t*(38) = −2,51, *p* = ,02"
    assert leader["groups"][0] == {"name": "med brukererfaring", "n": 10, "mean": 3.25, "sd": 1.24}
    assert main(["findings", "list", proj, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "t(38) = -2.51, p = .02" in out and "8 findings" in out

    with Project.open(proj) as p:
        create_theme(p, "Faglig utvikling")
    assert main(["link", proj, "--theme", "Faglig utvikling", "--finding", "Støtte fra leder",
                 "--outcome", "expansion", "--text", "Intervjuene utdyper."]) == 0
    assert main(["link", proj, "--theme", "faglig utvikling", "--finding", "F5", "--outcome", "discordance"]) == 0
    capsys.readouterr()
    assert main(["links", proj, "--json"]) == 0
    (link,) = json.loads(capsys.readouterr().out)
    assert (link["finding"], link["outcome"], link["meta_inference"]) == ("F5", "discordance", "Intervjuene utdyper.")
    assert main(["link", proj, "--theme", "Faglig utvikling", "--finding", "F6"]) == 1  # needs an outcome
    assert "needs --outcome" in capsys.readouterr().err
    assert main(["unlink", proj, "--theme", "Faglig utvikling", "--finding", "F5"]) == 0
    assert main(["design", proj, "explanatory-sequential"]) == 0
    assert main(["design", proj]) == 0
    assert "explanatory-sequential" in capsys.readouterr().out

    assert main(["findings", "add", proj, "--test", "t-test", "--instrument", "X", "--scale", "Ny skala",
                 "--group", "a:10:3.2:1.0", "--group", "b:12:3,9:0,8", "--statistic", "-1.9", "--df", "20",
                 "--p-reported", ".07"]) == 0
    assert main(["findings", "edit", proj, "F9", "--p-reported", ".08", "--statement", ""]) == 0
    with Project.open(proj) as p:
        f = F.find_finding(p, "F9").finding
        assert (f.p_reported, [g.mean for g in f.groups], f.statement) == (".08", [3.2, 3.9], "")
    assert main(["findings", "delete", proj, "F9"]) == 0
    assert main(["undo", proj]) == 0
    with Project.open(proj) as p:
        assert F.find_finding(p, "F9").finding.scale == "Ny skala"


def test_cli_compute_and_joint_display(demo_project, survey, capsys):
    proj = str(demo_project)
    assert main(["findings", "compute", proj, str(survey / "data.csv"), "--scales", str(survey / "scales.yaml")]) == 0
    assert "added" in capsys.readouterr().out
    assert main(["joint-display", proj, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["design"] == "explanatory-sequential"
    assert data["participants"] == ["Anna", "Britt", "Carl"]
    rows = {r["theme"]: r for r in data["rows"]}
    assert rows["Faglig utvikling"]["findings"][0]["finding"] == "F5"
    assert rows["Faglig utvikling"]["small_n"] is True
    assert main(["joint-display", proj]) == 0
    assert "↔ F8" in capsys.readouterr().out


def test_findings_tables_have_one_writer_in_the_store():
    import re
    from pathlib import Path

    import themecoder

    src = Path(themecoder.__file__).parent
    for table in ("findings", "finding_links"):
        writers = [p.relative_to(src).as_posix() for p in src.rglob("*.py")
                   if re.search(rf"(INSERT|UPDATE|DELETE FROM)\s+(OR \w+ )?(INTO )?{table}\b", p.read_text("utf-8"))]
        assert writers == ["store/survey.py"], (table, writers)
