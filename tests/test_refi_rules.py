"""A REFI-QDA import holds the same rules as the TUI: labels cleaned or repaired, themes no
deeper than the limit, sibling names unique; the import stays one action and says what it
repaired. Memos reach a theme named by its path, whichever door they come in by."""
from __future__ import annotations

import pytest

from themecoder import store
from themecoder.core import coding, memos, themes
from themecoder.core.project import Project
from themecoder.errors import UserError
from themecoder.io.refi import RefiCode, RefiProject, stable_guid, write_qdc
from themecoder.io.refi_project import import_refi_file


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "rules.themecoder", coder="student")
    yield p
    p.close()


def _chain(depth: int, leaf: RefiCode) -> RefiCode:
    """Non-codable codes nested `depth` levels deep ("Nivå 1" › ... › "Nivå N"), `leaf` innermost."""
    inner = leaf
    for n in range(depth, 0, -1):
        inner = RefiCode(guid=stable_guid("level", str(n)), name=f"Nivå {n}", is_codable=False, children=[inner])
    return inner


def _write(tmp_path, codes: list[RefiCode]):
    path = tmp_path / "codebook.qdc"
    write_qdc(RefiProject(name="rules", codes=codes), path)
    return path


def _depth(project: Project, theme_id: str) -> int:
    return themes.level(project, theme_id)


def test_too_deep_themes_are_attached_at_the_deepest_allowed_level(project, tmp_path):
    limit = themes.MAX_DEPTH
    leaf = RefiCode(guid=stable_guid("code", "dyp"), name="dyp kode")
    path = _write(tmp_path, [_chain(limit + 2, leaf)])
    actions = project.db.scalar("SELECT count(*) FROM actions")

    summary, stats = import_refi_file(project, path)

    assert project.db.scalar("SELECT count(*) FROM actions") == actions + 1   # still one action
    tree = store.themes.themes(project.db)
    assert max(_depth(project, t.id) for t in tree) == limit
    # Every theme of the file is there, by name; the two too deep sit at the deepest level.
    names = {t.name: t for t in tree}
    assert set(names) == {f"Nivå {n}" for n in range(1, limit + 3)}
    for n in (limit, limit + 1, limit + 2):
        assert _depth(project, names[f"Nivå {n}"].id) == limit
        assert names[f"Nivå {n}"].parent_id == names[f"Nivå {limit - 1}"].id
    # The code is mapped to the (re-attached) innermost theme.
    code = store.codes.code_by_label(project.db, "dyp kode")
    assert [c.id for c in store.themes.theme_codes(project.db, names[f"Nivå {limit + 2}"].id)] == [code.id]
    # The summary says what was repaired.
    assert f"repaired: 2 theme(s) nested deeper than {limit} levels" in summary
    assert stats.themes == limit + 2
    # The TUI/core refuses the same nesting with its own operation.
    with pytest.raises(UserError, match=f"at most {limit} levels"):
        themes.create_theme(project, "enda dypere", parent_id=names[f"Nivå {limit}"].id)


def test_invalid_labels_are_repaired_as_the_core_cleans_them(project, tmp_path):
    codes = [
        RefiCode(guid=stable_guid("code", "blank"), name="   \t "),
        RefiCode(guid=stable_guid("code", "spaced"), name="  tillit \n tar   tid "),
        RefiCode(guid=stable_guid("theme", "blank"), name=" ", is_codable=False,
                 children=[RefiCode(guid=stable_guid("code", "inner"), name="håp")]),
    ]
    path = _write(tmp_path, codes)

    summary, _stats = import_refi_file(project, path)

    labels = sorted(c.label for c in store.codes.codes(project.db))
    # Cleaned exactly as coding.check_label cleans a label typed in the TUI.
    assert coding.check_label("  tillit \n tar   tid ") in labels
    assert "Kode" in labels and "håp" in labels
    assert [t.name for t in store.themes.themes(project.db)] == ["Tema"]
    assert 'repaired: 1 code(s) without a name, named "Kode"' in summary
    assert '1 theme(s) without a name, named "Tema"' in summary
    # What the file could not have was refused by the same rule in the core.
    with pytest.raises(UserError, match="needs a label"):
        coding.create_code(project, "   \t ")


def test_import_reuses_a_theme_of_the_same_name_at_the_same_level(project, tmp_path):
    themes.create_theme(project, "Relasjoner")
    path = _write(tmp_path, [RefiCode(guid=stable_guid("theme", "rel"), name="relasjoner", is_codable=False,
                                      children=[RefiCode(guid=stable_guid("code", "t"), name="tillit")])])
    import_refi_file(project, path)
    assert [t.name for t in store.themes.themes(project.db)] == ["Relasjoner"]


def test_memo_on_a_theme_named_by_its_path(project):
    top = themes.create_theme(project, "Relasjoner")
    sub = themes.create_theme(project, "Tillit", parent_id=top.id)
    themes.create_theme(project, "Tillit")   # the same name elsewhere: only the path tells them apart
    for ref in ("Relasjoner › Tillit", "Relasjoner/Tillit", "relasjoner > tillit"):
        memo = memos.add_memo_on(project, "theme", ref, f"memo via {ref}")
        assert (memo.target_type, memo.target_id) == ("theme", sub.id)
    assert memos.resolve_target(project, "theme", "Relasjoner › Tillit") == ("theme", sub.id)
    with pytest.raises(UserError) as err:
        memos.add_memo_on(project, "theme", "Relasjoner › Tilit", "x")
    assert str(err.value).startswith("no theme 'Relasjoner › Tilit'; did you mean")
    assert "'Relasjoner › Tillit'" in str(err.value)


# -- the YAML codebook: the same rules; it refuses with one clear line ------------------------------
def _nested(depth: int) -> dict:
    item: dict = {"name": f"Nivå {depth}", "codes": ["dyp kode"]}
    for n in range(depth - 1, 0, -1):
        item = {"name": f"Nivå {n}", "subthemes": [item]}
    return item


def test_yaml_codebook_refuses_too_deep_themes_and_writes_nothing(project, tmp_path):
    import yaml

    from themecoder.core.codebook_io import import_codebook_file

    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump({"codes": [{"label": "dyp kode"}],
                                    "themes": [_nested(themes.MAX_DEPTH + 1)]}, allow_unicode=True),
                    encoding="utf-8")
    with pytest.raises(UserError) as err:
        import_codebook_file(project, path)
    assert str(err.value) == (f"codebook.yaml: theme 'Nivå {themes.MAX_DEPTH + 1}': "
                              f"themes nest at most {themes.MAX_DEPTH} levels deep")
    assert store.codes.codes(project.db) == [] and store.themes.themes(project.db) == []
    path.write_text(yaml.safe_dump({"codes": [{"label": "dyp kode"}], "themes": [_nested(themes.MAX_DEPTH)]},
                                   allow_unicode=True), encoding="utf-8")
    assert import_codebook_file(project, path)["themes"] == themes.MAX_DEPTH


def test_yaml_codebook_cleans_and_refuses_labels_like_the_core(project, tmp_path):
    from themecoder.core.codebook_io import import_codebook_file

    path = tmp_path / "codebook.yaml"
    path.write_text("codes:\n  - label: '  tillit \t tar  tid '\n", encoding="utf-8")
    import_codebook_file(project, path)
    assert [c.label for c in store.codes.codes(project.db)] == ["tillit tar tid"]
    path.write_text("codes:\n  - label: '   '\n", encoding="utf-8")
    with pytest.raises(UserError, match="a code needs a label"):
        import_codebook_file(project, path)


def test_yaml_memo_on_a_theme_path(project, tmp_path):
    from themecoder.core.codebook_io import import_codebook_file

    path = tmp_path / "codebook.yaml"
    path.write_text("themes:\n  - name: Relasjoner\n    subthemes:\n      - name: Tillit\n"
                    "memos:\n  - on: theme\n    target: Relasjoner › Tillit\n    text: om tillit\n",
                    encoding="utf-8")
    import_codebook_file(project, path)
    sub = resolve_theme(project, "Relasjoner/Tillit")
    assert [m.text for m in store.memos.memos(project.db, "theme", sub.id)] == ["om tillit"]


def resolve_theme(project, ref):
    from themecoder.core import resolve

    return resolve.theme(project, ref)


def test_reimport_follows_renames_and_merges(project, tmp_path):
    from themecoder.core import codebook
    from themecoder.io.refi_project import export_codebook_qdc

    a = coding.create_code(project, "tillit")
    b = coding.create_code(project, "tiltro")
    path = export_codebook_qdc(project, tmp_path / "book.qdc")
    codebook.merge_codes(project, [b.id], a.id)
    codebook.rename_code(project, a.id, "tillit over tid")

    _summary, stats = import_refi_file(project, path)

    # Neither the merged code nor the old label comes back: both are the survivor now.
    assert [c.label for c in store.codes.codes(project.db)] == ["tillit over tid"]
    assert (stats.codes, stats.reused_codes) == (0, 2)
