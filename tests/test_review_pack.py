"""The review pack without a browser: one self-contained file, the guard, what is embedded, the
strings, what changed since the last review. The browser round trip is in tests/browser/."""
from __future__ import annotations

import json
import re

import pytest

from themecoder import store
from themecoder.cli import main
from themecoder.core import codebook, review, themes
from themecoder.core.project import Project
from themecoder.core.review_changes import changed_targets
from themecoder.io.i18n import STRINGS
from themecoder.io.review_pack import asset, pack_data


def pack_of(project_path, out, *extra: str) -> tuple[str, dict]:
    assert main(["review", "pack", str(project_path), "-o", str(out), *extra]) == 0
    html = out.read_text(encoding="utf-8")
    m = re.search(r'<script type="application/json" id="pack-data">(.*?)</script>', html, re.S)
    assert m is not None
    return html, json.loads(m.group(1))


def test_one_self_contained_file_with_a_strict_policy(demo_project, tmp_path, capsys):
    html, data = pack_of(demo_project, tmp_path / "veiledning.html", "--for", "Kari")
    assert "e-mail it to the supervisor" in capsys.readouterr().out
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    assert "default-src 'none'" in csp and "connect-src" not in csp and "img-src data:" in csp
    nonce = re.search(r"script-src 'nonce-([A-Za-z0-9_-]+)'", csp).group(1)
    assert f"style-src 'nonce-{nonce}'" in csp
    # every script and style is inline and carries the nonce (the JSON block is data, not run)
    assert re.findall(r"<script[^>]*>", html) == ['<script type="application/json" id="pack-data">',
                                                  f'<script nonce="{nonce}">']
    assert re.findall(r"<style[^>]*>", html) == [f'<style nonce="{nonce}">']
    for outside in ("http://", "https://", " src=", "<link", "@import", "url(", "@font-face"):
        assert outside not in html, outside
    assert 'name="themecoder-anonymisation" content="themecoder anonymisation: checked' in html
    assert data["reviewer"] == "Kari" and data["lang"] == "nb" and data["format"] == "themecoder-review-pack"
    with Project.open(demo_project) as project:
        assert data["project"] == {"id": project.id, "name": project.name}


def test_embeds_the_themed_codes_quotes_verbatim_and_nothing_else(demo_project, tmp_path):
    with Project.open(demo_project) as project:
        texts = {d.id: store.documents.text_or_none(project.db, d.id) for d in store.documents.documents(project.db)}
        codings = store.codings.all_codings(project.db)
        # a passage nobody coded, coded now with a code in no theme: it must not travel
        doc_id, text = next(iter(texts.items()))
        start = next(m.start() for m in re.finditer(r"[A-ZÆØÅ][^.\n]{30,80}\.", text)
                     if not any(c.document_id == doc_id and c.start <= m.end() and m.start() <= c.end
                                for c in codings))
        end = text.index(".", start) + 1
        from themecoder.core import coding

        code = coding.create_code(project, "kode uten tema")
        coding.apply_code(project, doc_id, start, end, code.id)
        secret = text[start:end]
        themed = {c for t in store.themes.themes(project.db) for c in (x.id for x in store.themes.theme_codes(project.db, t.id))}
        by_code = {}
        for c in store.codings.all_codings(project.db):
            by_code.setdefault(c.code_id, []).append(c)
    html, data = pack_of(demo_project, tmp_path / "p.html")
    assert set(data["codes"]) == themed and code.id not in data["codes"]
    assert secret not in html and json.dumps(secret, ensure_ascii=False)[1:-1] not in html
    for code_id, entry in data["codes"].items():
        assert sorted(q["id"] for q in entry["quotes"]) == sorted(c.id for c in by_code.get(code_id, []))
        for q in entry["quotes"]:
            c = next(c for c in by_code[code_id] if c.id == q["id"])
            assert q["text"] == c.quote == texts[c.document_id][c.start:c.end]
            assert q["who"] and q["where"]
    for text in texts.values():
        assert text[:2000] not in html
    # one item per theme and per mapping, in the walk's order
    with Project.open(demo_project) as project:
        steps = review.walk(project, with_codings=False)
    assert [(i["target"], i["theme_id"], i["code_id"]) for i in data["items"]] == \
        [(s.kind, s.theme.id, s.code.id if s.code else None) for s in steps]


def test_project_text_never_becomes_markup(demo_project, tmp_path):
    evil = "</script><script>alert(1)</script><!--"
    with Project.open(demo_project) as project:
        theme = store.themes.themes(project.db)[0]
        themes.describe_theme(project, theme.id, evil)
    html, data = pack_of(demo_project, tmp_path / "p.html")
    assert html.count("<script") == 2 and html.count("</script>") == 2
    assert data["themes"][0]["description"] == evil


def test_english_pack_and_the_string_table(demo_project, tmp_path):
    html, data = pack_of(demo_project, tmp_path / "review.html", "--lang", "en")
    assert '<html lang="en">' in html and "<title>Review: Demo" in html
    assert data["strings"]["save"] == "Save review" and data["strings"]["left"] == "{left} of {total} left"
    keys = [k for k in STRINGS if k.startswith("pack.")]
    assert len(keys) > 30 and all(set(STRINGS[k]) == {"nb", "en"} for k in keys)
    _, nb = pack_of(demo_project, tmp_path / "veiledning.html")
    assert nb["strings"]["save"] == "Lagre vurdering"
    assert any(q["where"].startswith("taletur ") for c in nb["codes"].values() for q in c["quotes"])


def test_default_name_and_the_guard(demo_project, capsys):
    assert main(["review", "pack", str(demo_project)]) == 0
    assert (demo_project.parent / "exports" / "demo-veiledningspakke.html").is_file()
    with Project.open(demo_project) as project:
        code = store.codes.codes(project.db)[0]
        codebook.describe_code(project, code.id, "Ring Kari Nordmann på 922 33 444")
    capsys.readouterr()
    assert main(["review", "pack", str(demo_project), "-o", str(demo_project.parent / "x.html")]) != 0
    assert "export refused" in capsys.readouterr().err
    assert not (demo_project.parent / "x.html").exists()


def test_the_assets_are_package_data():
    for name in ("review_pack.html", "review_pack.css", "review_pack.js"):
        assert len(asset(name)) > 500
    assert "{{DATA}}" in asset("review_pack.html") and "{{NONCE}}" in asset("review_pack.html")


def test_changes_since_the_last_review_are_marked(demo_project):
    with Project.open(demo_project, coder="student") as project:
        assert all(not i["changed"] for i in pack_data(project)["items"])     # before any review
        assert pack_data(project)["changes"]["lines"] == []
        steps = [s for s in review.walk(project, with_codings=False) if s.kind == "mapping"]
    with Project.open(demo_project, coder="Kari") as project:
        review.set_status(project, steps[0].theme.id, "approved", code_id=steps[0].code.id)
    with Project.open(demo_project, coder="student") as project:
        assert changed_targets(project).codes == frozenset()
        codebook.rename_code(project, steps[1].code.id, "nytt navn")
        touched = changed_targets(project)
        assert touched.codes == {steps[1].code.id} and not touched.themes
        data = pack_data(project)
    changed = [(i["theme_id"], i["code_id"]) for i in data["items"] if i["changed"]]
    assert (steps[1].theme.id, steps[1].code.id) in changed and (steps[0].theme.id, steps[0].code.id) not in changed
    assert any("nytt navn" in line for line in data["changes"]["lines"])
    assert data["changes"]["since"]["who"] == "Kari"


@pytest.mark.parametrize("kind", ["review-pack"])
def test_the_export_service_knows_the_pack(kind):
    from themecoder.io.export import KINDS

    assert KINDS[kind].formats == ("html",) and KINDS[kind].guard == "coded"
