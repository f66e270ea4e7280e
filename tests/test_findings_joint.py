"""The joint display's data on the demo project (and on a small project with six
participants, where the n ≤ 5 flag must stay off)."""
from __future__ import annotations

from pathlib import Path

import pytest

from themecoder import store
from themecoder.core import findings as F
from themecoder.core import resolve
from themecoder.core.project import Project
from themecoder.core.quant import Group, SurveyFinding
from themecoder.core.themes import set_key_quote

LINKED_SUBTHEMES = [
    "Recovery som personlig prosess › Brukermedvirkning",
    "Faglig utvikling › Å være ny",
    "Tradisjonelle tankemønstre › Regler, rammer og tid",
]
TOP = ["Recovery som personlig prosess", "Relasjoner og sosial inkludering", "Faglig utvikling",
       "Tradisjonelle tankemønstre", "Samarbeid med andre tjenester"]


@pytest.fixture
def demo(demo_project):
    p = Project.open(demo_project, coder="tester")
    yield p
    p.close()


def pseudonyms_of(db, codings) -> set[str]:
    out = set()
    for c in codings:
        pid = store.documents.document(db, c.document_id).participant_id
        out.add(store.participants.participant(db, pid).pseudonym)
    return out


def test_rows_are_top_level_themes_and_linked_subthemes(demo):
    jd = F.joint_display(demo)
    assert jd.design == "explanatory-sequential"
    assert jd.participants == ["Anna", "Britt", "Carl"]
    assert [r.path for r in jd.rows if r.level == 0] == TOP
    assert [r.path for r in jd.rows if r.level > 0] == LINKED_SUBTHEMES
    everything = F.joint_display(demo, include_subthemes=True)
    assert len(everything.rows) == len(store.themes.themes(demo.db)) == 20


def test_counts_quotes_and_flags(demo):
    db = demo.db
    jd = F.joint_display(demo)
    texts = {d.id: store.documents.document_text(db, d.id) for d in store.documents.documents(db)}
    for row in jd.rows:
        codings = store.codings.codings_for_theme(db, row.theme.id, recursive=True)
        assert row.codings == len(codings)
        assert set(row.participants) == pseudonyms_of(db, codings)
        assert row.n_participants == 3 and row.small_n  # three interviews: every cell is thin
        assert 1 <= len(row.quotes) <= 3
        inside = {c.id for c in codings}
        for q in row.quotes:
            c = q.coding
            assert c.id in inside
            assert texts[c.document_id][c.start:c.end] == c.quote == "".join(q.segments)
        # one quote per participant (no key quotes are set in the demo)
        assert len({q.participant for q in row.quotes}) == len(row.quotes)


def test_entries_match_the_links(demo):
    jd = F.joint_display(demo)
    seen = {(e.theme.id, e.finding.id, e.outcome, e.meta_inference) for r in jd.rows for e in r.entries}
    assert seen == {(link.theme_id, link.finding_id, link.outcome, link.meta_inference) for link in F.list_links(demo)}
    rules = jd.row("Tradisjonelle tankemønstre › Regler, rammer og tid")
    assert [(e.finding.label, e.outcome) for e in rules.entries] == [("F1", "discordance"), ("F7", "expansion")]
    assert rules.outcomes == ["discordance", "expansion"]
    assert jd.row("Samarbeid med andre tjenester").entries == []

    by_finding = {fr.finding.label: fr for fr in jd.by_finding()}
    assert len(by_finding) == 8
    assert [e.theme_path for e in by_finding["F5"].entries] == [
        "Recovery som personlig prosess › Brukermedvirkning", "Faglig utvikling"]
    assert by_finding["F2"].entries == []
    assert [fr.finding.label for fr in jd.by_finding(linked_only=True)] == ["F1", "F5", "F6", "F7", "F8"]
    assert not any(fr.small_n for fr in jd.by_finding())  # N = 42 on the survey side


def test_key_quote_comes_first(demo):
    db = demo.db
    theme = resolve.theme(demo, "Faglig utvikling")
    codings = store.codings.codings_for_theme(db, theme.id)
    # pick a coding that would not be chosen otherwise: the last one of Carl's
    before = F.joint_display(demo).row(theme.id).quotes
    chosen_ids = {q.coding.id for q in before}
    key = [c for c in codings if c.id not in chosen_ids][-1]
    set_key_quote(demo, theme.id, key.id)
    row = F.joint_display(demo).row(theme.id)
    assert row.quotes[0].coding.id == key.id == row.key_coding_id
    others = row.quotes[1:]
    assert row.quotes[0].participant not in {q.participant for q in others}
    assert len(row.quotes) == 3


def test_a_coding_that_no_longer_matches_its_transcript_is_never_quoted(demo):
    db = demo.db
    jd = F.joint_display(demo)
    victim = jd.row("Relasjoner og sosial inkludering").quotes[0].coding
    with db.transaction() as conn:
        conn.execute("UPDATE codings SET quote = 'noe annet' WHERE id = ?", (victim.id,))
    after = F.joint_display(demo)
    assert all(q.coding.id != victim.id for r in after.rows for q in r.quotes)


def test_coverage_counts(demo):
    cov = F.coverage(demo)
    assert cov.columns == ["Anna", "Britt", "Carl"]
    assert len(cov.rows) == 20
    db = demo.db
    for row in cov.rows:
        codings = store.codings.codings_for_theme(db, row.theme.id)
        per = {name: 0 for name in cov.columns}
        for c in codings:
            per[next(iter(pseudonyms_of(db, [c])))] += 1
        assert row.counts == [per[n] for n in cov.columns]
        assert row.participants == sum(1 for x in row.counts if x)
    assert cov.max_count == max(max(r.counts) for r in cov.rows)


# -- a project with six participants ------------------------------------------------------------
NAMES = ["Astrid", "Bjørn", "Cecilie", "Dag", "Eva", "Frode"]


def six_participants(folder: Path) -> Project:
    from themecoder.core.coding import code_quote
    from themecoder.core.documents import add_transcript
    from themecoder.core.themes import add_code_to_theme, create_theme
    from themecoder.io.readers import read_transcript
    from themecoder.nlp import load_pipeline

    folder.mkdir(parents=True, exist_ok=True)
    project = Project.create(folder / "seks", coder="tester")
    pipeline = load_pipeline("fallback")
    for name in NAMES:
        path = folder / f"{name.lower()}.txt"
        path.write_text(f"I: Hva betyr kollegene for deg?\n\n{name}: Kollegene mine betyr alt for meg i "
                        f"hverdagen. Uten dem hadde jeg ikke klart jobben.\n", encoding="utf-8")
        add_transcript(project, read_transcript(path), pipeline=pipeline)
    theme = create_theme(project, "Kollegene")
    small = create_theme(project, "Bare noen få")
    for i, name in enumerate(NAMES):
        code_quote(project, name.lower(), "Kollegene mine betyr alt for meg i hverdagen.", "kolleger")
        if i < 2:
            code_quote(project, name.lower(), "Uten dem hadde jeg ikke klart jobben.", "klarer meg ikke uten")
    add_code_to_theme(project, resolve.code(project, "kolleger").id, theme.id)
    add_code_to_theme(project, resolve.code(project, "klarer meg ikke uten").id, small.id)
    F.add_finding(project, SurveyFinding(scale="Sosial samhandling", test="t-test",
                                   groups=[Group("A", 4, 3.1, 0.5), Group("B", 40, 3.9, 0.6)],
                                   statistic=-2.9, df=42, p_reported=".006", n=44))
    F.add_finding(project, SurveyFinding(scale="Sosial samhandling", test="descriptive",
                                   groups=[Group("Alle", 44, 3.8, 0.6)], n=44))
    F.link_theme(project, theme.id, "F1", "confirmation", "Begge peker samme vei.")
    F.link_theme(project, theme.id, "F2", "expansion", "Utdyper.")
    F.link_theme(project, small.id, "F2", "discordance", "Spriker.")
    return project


@pytest.fixture
def six(tmp_path):
    p = six_participants(tmp_path / "seks")
    yield p
    p.close()


def test_small_n_flag_applies_only_where_it_should(six):
    jd = F.joint_display(six)
    wide, thin = jd.row("Kollegene"), jd.row("Bare noen få")
    assert (wide.n_participants, wide.small_n) == (6, False)
    assert (thin.n_participants, thin.small_n) == (2, True)
    assert len(wide.quotes) == 3 and len({q.participant for q in wide.quotes}) == 3
    f1, f2 = (e.finding for e in wide.entries)
    assert f1.small_n is True      # a group of four
    assert f2.small_n is False
    assert F.SMALL_N == 5
