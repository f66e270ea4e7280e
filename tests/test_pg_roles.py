"""The owner's rights on a team server (issue 17): codebook structure, anonymisation and exports
are the owner's. The server enforces what writes (grants, row-level security and two guard
triggers), even against hand-written SQL; the app checks what only reads (exports, pull). Every
refusal is one line naming the role. Needs the throwaway server of tests/pg_fixtures.py."""
from __future__ import annotations

import pytest

from themecoder import store
from themecoder.cli import main
from themecoder.core import anonymise as an
from themecoder.core import coding, documents, review, team, themes
from themecoder.core.codebook import delete_code, merge_codes, rename_code, split_code
from themecoder.core.project import Project
from themecoder.errors import UserError
from themecoder.io.export import run_export
from themecoder.io.readers import read_transcript
from themecoder.store import pg_team

INTERVIEW = ("I: Hvem hjalp deg?\n\nAnna: Det var Trond Haugen på Lillevik sykehjem. Relasjonen til "
             "brukerne er viktig for meg.\n\nI: Kan du si mer?\n\nAnna: Ja, relasjonene handler om å være "
             "medmenneske. Trond Haugen lærte meg det.\n")


def as_user(pg_server, url: str, user: str) -> str:
    return url.replace(f"{pg_server.user}@", f"{user}@", 1)


def _code_span(project: Project, doc_id: str, phrase: str, label: str, nth: int = 0):
    text = store.documents.document_text(project.db, doc_id)
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return coding.apply_new_code(project, doc_id, start, start + len(phrase), label)


@pytest.fixture
def roles_project(pg_server, pg_url, tmp_path):
    """A server project: one document, the owner's codes «relasjon» (2 codings) and «fag», a theme;
    members kari (coder) and veileder (supervisor)."""
    path = tmp_path / "anna.txt"
    path.write_text(INTERVIEW, encoding="utf-8")
    with team.init(pg_url, name="Rollestudie", coder=pg_server.user) as owner:
        doc = documents.add_transcript(owner, read_transcript(path))
        first = _code_span(owner, doc.id, "Relasjonen", "relasjon")
        text = store.documents.document_text(owner.db, doc.id)
        start = text.index("relasjonene")
        coding.apply_code(owner, doc.id, start, start + len("relasjonene"), first.code_id)
        _code_span(owner, doc.id, "medmenneske", "fag")
        theme = themes.create_theme(owner, "Relasjoner")
        themes.add_code_to_theme(owner, first.code_id, theme.id)
        team.add_member(owner, "kari", "coder")
        team.add_member(owner, "veileder", "supervisor")
    return pg_url


def _codes(project: Project) -> dict[str, str]:
    return {c.label: c.id for c in store.codes.codes(project.db)}


def _snapshot(project: Project) -> dict[str, list]:
    return {t: project.db.query_tuples(f"SELECT * FROM {t} ORDER BY 1")
            for t in ("codes", "codings", "code_aliases", "code_themes", "documents", "anon_replacements",
                      "anon_known_names", "anon_ignored", "project")}


# -- codebook structure -------------------------------------------------------------------------------
def test_a_coder_cannot_merge_split_or_delete_codes_through_themecoder(pg_server, roles_project):
    with Project.open(as_user(pg_server, roles_project, "kari")) as kari:
        codes = _codes(kari)
        before = _snapshot(kari)
        refusals = [
            (lambda: merge_codes(kari, codes["fag"], codes["relasjon"]), "merging codes"),
            (lambda: split_code(kari, codes["relasjon"], [store.codings.codings_for_code(
                kari.db, codes["relasjon"])[0].id], "relasjon til brukere"), "splitting a code"),
            (lambda: delete_code(kari, codes["fag"]), "deleting a code"),
        ]
        for call, what in refusals:
            with pytest.raises(UserError) as info:
                call()
            line = str(info.value)
            assert "\n" not in line
            assert line.startswith(f"not allowed for kari in this project: {what} is for the project's owner")
        assert _snapshot(kari) == before
        assert [a.kind for a in kari.history() if a.coder == "kari"] == []


def test_a_coder_cannot_merge_or_delete_codes_with_hand_written_sql(pg_server, roles_project):
    import psycopg

    with Project.open(as_user(pg_server, roles_project, "kari")) as kari:
        codes = _codes(kari)
        before = _snapshot(kari)
        raw = kari.db.conn.raw
        merge_by_hand = [  # what merge_codes writes, row by row
            f"UPDATE codings SET code_id = '{codes['relasjon']}' WHERE code_id = '{codes['fag']}'",
            f"DELETE FROM codes WHERE id = '{codes['fag']}'",
        ]
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="deleting or merging codes"):
            with raw.transaction():
                for statement in merge_by_hand:
                    raw.execute(statement)
        for statement in (f"DELETE FROM codes WHERE id = '{codes['relasjon']}'",  # with its codings
                          "DELETE FROM codes",
                          f"INSERT INTO code_aliases(old_id, new_id, old_label, created) "
                          f"VALUES ('x', '{codes['relasjon']}', 'x', 'now')",
                          "INSERT INTO actions(time, coder, kind, summary, details) "
                          "VALUES ('now', 'kari', 'split-code', 'x', '{}')"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                raw.execute(statement)
        assert _snapshot(kari) == before


def test_a_coder_still_codes_with_new_codes_renames_them_and_undoes(pg_server, roles_project):
    with Project.open(as_user(pg_server, roles_project, "kari")) as kari:
        doc = store.documents.documents(kari.db)[0]
        c = _code_span(kari, doc.id, "viktig", "viktig for meg")
        assert "viktig for meg" in _codes(kari)
        rename_code(kari, c.code_id, "betydning")
        theme = themes.create_theme(kari, "Fagidentitet")
        sub = themes.create_theme(kari, "Nærhet", parent_id=theme.id)
        themes.add_code_to_theme(kari, c.code_id, sub.id)
        for _ in range(4):  # the mapping, the sub-theme, the theme, the rename
            assert kari.undo() is not None
        # Undoing "code with a new code" deletes the code she created: allowed (it codes nothing then).
        assert kari.undo() is not None
        assert "viktig for meg" not in _codes(kari) and "betydning" not in _codes(kari)
        assert kari.redo() is not None
        assert "viktig for meg" in _codes(kari)
        # ... but not a code that still codes something, even her own.
        import psycopg

        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            kari.db.conn.raw.execute("DELETE FROM codes WHERE label = 'viktig for meg'")


def test_the_owner_merges_splits_and_deletes(pg_server, roles_project):
    with Project.open(roles_project, coder=pg_server.user) as owner:
        codes = _codes(owner)
        coding_id = store.codings.codings_for_code(owner.db, codes["relasjon"])[0].id
        split = split_code(owner, codes["relasjon"], [coding_id], "relasjon til brukere")
        merged = merge_codes(owner, split.id, codes["relasjon"])
        assert merged.merged == ("relasjon til brukere",)
        assert owner.db.scalar("SELECT count(*) FROM code_aliases") == 1
        delete_code(owner, codes["fag"])
        assert set(_codes(owner)) == {"relasjon"}
        assert owner.undo() is not None and "fag" in _codes(owner)


def test_a_supervisor_is_refused_codebook_structure_and_still_reviews(pg_server, roles_project):
    with Project.open(as_user(pg_server, roles_project, "veileder")) as sup:
        codes = _codes(sup)
        with pytest.raises(UserError, match="merging codes is for the project's owner"):
            merge_codes(sup, codes["fag"], codes["relasjon"])
        with pytest.raises(UserError, match="needs the role coder or owner"):
            rename_code(sup, codes["fag"], "faglighet")
        theme = store.themes.themes(sup.db)[0]
        assert review.set_theme_status(sup, theme.id, "approved").status == "approved"
        assert set(_codes(sup)) == {"relasjon", "fag"}


# -- anonymisation ------------------------------------------------------------------------------------
def test_a_coder_cannot_anonymise_even_with_hand_written_sql(pg_server, roles_project, tmp_path):
    import psycopg

    with Project.open(as_user(pg_server, roles_project, "kari")) as kari:
        before = _snapshot(kari)
        with pytest.raises(UserError) as info:
            an.replace_identifier(kari, "Trond Haugen", mode="category")
        assert str(info.value).startswith("not allowed for kari in this project: pseudonym replacement is "
                                          "for the project's owner")
        from themecoder.core.key_file import open_key

        key_path = tmp_path / "nokkel" / "k.json"
        key_path.parent.mkdir()
        with pytest.raises(UserError, match="pseudonym replacement is for the project's owner"):
            an.replace_identifier(kari, "Trond Haugen", mode="pseudonym", key=open_key(key_path, project=kari))
        assert not key_path.exists() or "Trond" not in key_path.read_text(encoding="utf-8")
        with pytest.raises(UserError, match="the anonymisation ignore list is for the project's owner"):
            an.ignore_text(kari, "Lillevik")
        with pytest.raises(UserError, match="list of known names is for the project's owner"):
            an.add_known_name(kari, "Solvik", kind="place")
        raw = kari.db.conn.raw
        doc_id = kari.db.scalar("SELECT id FROM documents")
        for statement in (f"UPDATE documents SET text = replace(text, 'Trond Haugen', 'Per') WHERE id = '{doc_id}'",
                          "UPDATE codings SET quote = quote",  # allowed: coding ...
                          "INSERT INTO anon_known_names(name_key, name, created) VALUES ('solvik', 'Solvik', 'now')",
                          "INSERT INTO anon_ignored(text_key, text, created) VALUES ('trond', 'Trond', 'now')",
                          f"INSERT INTO anon_replacements(id, document_id, kind, mode, replacement, created) "
                          f"VALUES ('r', '{doc_id}', 'person', 'category', '[person]', 'now')",
                          "UPDATE project SET value = 'x' WHERE key = 'name'"):
            if statement.startswith("UPDATE codings"):
                raw.execute(statement)
                continue
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                raw.execute(statement)
        assert _snapshot(kari) == before


def test_the_owner_anonymises(pg_server, roles_project):
    with Project.open(roles_project, coder=pg_server.user) as owner:
        result = an.replace_identifier(owner, "Trond Haugen", mode="category")
        assert result.replacement.startswith("[")
        text = owner.db.scalar("SELECT text FROM documents")
        assert "Trond Haugen" not in text
        an.ignore_text(owner, "Lillevik")
        assert owner.db.scalar("SELECT count(*) FROM anon_ignored") == 1


# -- exports (checked by the app: they only read) -------------------------------------------------------
@pytest.mark.parametrize("user, role", [("kari", "coder"), ("veileder", "supervisor")])
def test_an_export_by_anyone_but_the_owner_is_refused_with_one_line(pg_server, roles_project, tmp_path,
                                                                    capsys, user, role):
    url = as_user(pg_server, roles_project, user)
    with Project.open(url) as member:
        assert team.my_role(member) == role
        with pytest.raises(UserError) as info:
            run_export(member, "codebook", tmp_path / "kodebok.md")
        assert str(info.value) == (f"exporting is for the project's owner; {user} is {role} in this project "
                                   "(the owner decides roles: themecoder team set-role)")
    out = tmp_path / "sitater.csv"
    assert main(["export", "quotes", url, "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and "exporting is for the project's owner" in err
    assert "Traceback" not in err
    assert not out.exists() and not (tmp_path / "kodebok.md").exists()
    # team pull copies everything into a file: the owner's too.
    assert main(["team", "pull", url, str(tmp_path / "kopi.themecoder")]) == 1
    assert "is for the project's owner" in capsys.readouterr().err
    assert not (tmp_path / "kopi.themecoder").exists()


def test_the_owner_exports(pg_server, roles_project, tmp_path):
    with Project.open(roles_project, coder=pg_server.user) as owner:
        assert team.my_role(owner) == "owner"
        result = run_export(owner, "codebook", tmp_path / "kodebok.md")
        assert "relasjon" in result.path.read_text(encoding="utf-8")


def test_a_server_project_without_team_roles_exports_as_before(pg_url, tmp_path):
    with Project.create(pg_url, name="Alene") as alone:
        assert team.my_role(alone) is None
        assert run_export(alone, "codebook", tmp_path / "kodebok.md").path.exists()


# -- refusals name the role -----------------------------------------------------------------------------
def test_a_refused_table_write_names_the_role_that_may(pg_server, roles_project):
    with Project.open(as_user(pg_server, roles_project, "kari")) as kari:
        doc = store.documents.documents(kari.db)[0]
        with pytest.raises(UserError) as info:
            documents.delete_document(kari, doc.id)
        assert "needs the role owner" in str(info.value) and "\n" not in str(info.value)
        theme = store.themes.themes(kari.db)[0]
        with pytest.raises(UserError, match="changing review_items needs the role supervisor or owner"):
            review.set_theme_status(kari, theme.id, "approved")
    assert pg_team.writers_of("codings") == ["coder", "owner"]
    assert pg_team.writers_of("text_index") == ["coder", "supervisor", "owner"]
    assert pg_team.writers_of("documents") == ["owner"]


def test_the_guards_come_back_after_a_migration_rebuilt_a_table(pg_server, roles_project):
    with Project.open(roles_project, coder=pg_server.user) as owner:
        raw = owner.db.conn.raw
        raw.execute('DROP TRIGGER guard_code_delete ON codes')
        with raw.transaction():
            pg_team.regrant_after_migration(owner.db.conn)
        assert raw.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'guard%%' AND NOT tgisinternal "
                           "AND tgrelid IN ('codes'::regclass, 'actions'::regclass)").fetchone()[0] == len(pg_team.GUARDS)
    with Project.open(as_user(pg_server, roles_project, "kari")) as kari:
        with pytest.raises(UserError, match="deleting a code is for the project's owner"):
            delete_code(kari, _codes(kari)["fag"])


# -- passwords ------------------------------------------------------------------------------------------
def test_add_member_asks_for_a_password_and_sends_only_its_hash(pg_server, roles_project, monkeypatch, capsys):
    answers = iter(["hemmelig-ord-42", "hemmelig-ord-42"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["team", "add-member", roles_project, "ola", "--role", "coder", "--password-prompt"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == "ola is coder" and "hemmelig" not in out
    with Project.open(roles_project, coder=pg_server.user) as owner:
        stored = owner.db.conn.raw.execute("SELECT rolpassword FROM pg_authid WHERE rolname = 'ola'").fetchone()[0]
    assert stored.startswith("SCRAM-SHA-256$") and "hemmelig" not in stored
    assert "hemmelig-ord-42" not in (pg_server.folder / "log").read_text(encoding="utf-8", errors="replace")
    # Two different answers: one line, nobody added.
    answers = iter(["en", "to"])
    assert main(["team", "add-member", roles_project, "per", "--password-prompt"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "error: the two passwords differ; nothing was changed" or (
        "the two passwords differ" in err and err.strip().count("\n") == 0)
    with Project.open(roles_project, coder=pg_server.user) as owner:
        assert "per" not in dict(team.members(owner))


def test_a_new_login_without_a_password_says_how_to_log_in(pg_server, roles_project, capsys):
    assert main(["team", "add-member", roles_project, "siri", "--role", "supervisor"]) == 0
    assert "--password-prompt, or peer/certificate authentication" in capsys.readouterr().out


async def test_the_tui_export_screen_shows_the_same_line(pg_server, roles_project, tmp_path):
    from textual.widgets import Input, Static

    from themecoder.tui.screens.export import ExportScreen
    from tui_fixtures import make_app, wait_for

    app = make_app(as_user(pg_server, roles_project, "kari"), coder="kari")
    async with app.run_test(size=(110, 44)) as pilot:
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        await pilot.pause()
        screen = app.screen
        field = screen.query_one("#export-path", Input)
        field.value = str(tmp_path / "kodebok.md")
        field.focus()
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: not screen.exporting and screen.last_error is not None)
        await pilot.pause()
        expected = ("exporting is for the project's owner; kari is coder in this project "
                    "(the owner decides roles: themecoder team set-role)")
        assert screen.last_error == expected
        assert "exporting is for the project's owner" in str(screen.query_one("#export-result", Static).render())
    assert not list(tmp_path.glob("*.md"))


def test_the_command_line_refuses_a_coders_merge_and_delete_with_one_line(pg_server, roles_project, capsys):
    url = as_user(pg_server, roles_project, "kari")
    assert main(["codebook", "merge", url, "fag", "--into", "relasjon"]) == 1
    assert main(["codebook", "delete", url, "fag", "--yes"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "psycopg" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert "merging codes is for the project's owner" in lines[0]
    assert "deleting a code is for the project's owner" in lines[1]
    with Project.open(roles_project, coder=pg_server.user) as owner:
        assert set(_codes(owner)) == {"relasjon", "fag"}


def test_a_planted_clean_check_cache_does_not_pass_the_owners_export(pg_server, roles_project, tmp_path):
    """The identifier check's cache is derived data every member's check rewrites. A coder who
    empties the findings and marks every document checked by hand gets nothing past the owner's
    export guard: on a server it checks afresh."""
    with Project.open(roles_project) as owner:
        an.check(owner)
        assert any(f.text == "Trond Haugen" for f in an.findings(owner))
        fingerprint = owner.db.query_tuples("SELECT document_id, text_sha256, rules FROM anon_checks")
    with Project.open(as_user(pg_server, roles_project, "kari")) as kari:
        from themecoder.core.anonymise_check import _rules_fingerprint, stale_documents

        with kari.db.transaction() as conn:  # hand-written SQL, as from psql
            conn.execute("DELETE FROM anon_findings")
        # ... and the checks stamped with what the rules would be without those findings
        rules = _rules_fingerprint(kari, "rules", set())
        with kari.db.transaction() as conn:
            conn.execute("UPDATE anon_checks SET rules = ?", (rules,))
        assert an.findings(kari) == [] and stale_documents(kari) == []  # a clean, current cache
        assert len(fingerprint) == 1
    with Project.open(roles_project) as owner:
        with pytest.raises(UserError, match="export refused: .*Trond Haugen"):
            run_export(owner, "qdpx", tmp_path / "p.qdpx")  # the whole text: Trond Haugen in it
        assert not (tmp_path / "p.qdpx").exists()
