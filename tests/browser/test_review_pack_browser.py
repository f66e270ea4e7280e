"""The review pack and the report in a real browser (headless Chromium), offline, from a file URL.

The round trip of issue 11: the demo project's pack, opened with networking blocked; one mapping
approved, another flagged with a comment; the page reloaded and both kept; "Save review"
downloads NAME.review.json; `review import` merges it; the statuses and the comment are in the
project. Every page is screenshotted into the test's temporary folder.
"""
from __future__ import annotations

import json

import pytest

from themecoder.cli import main
from themecoder.core import review
from themecoder.core.project import Project

READY = "html[data-ready='1']"


def write_pack(project_path, out, *extra: str) -> None:
    assert main(["review", "pack", str(project_path), "-o", str(out), *extra]) == 0
    assert out.is_file()


def open_page(offline, path):
    page = offline.page()
    page.goto(path.as_uri())
    page.wait_for_selector(READY, timeout=10_000)
    return page


def art(page, key: str):
    return page.locator(f'article.item[data-key="{key}"]')


def mapping_keys(page) -> list[str]:
    return page.eval_on_selector_all("article.item.mapping", "els => els.map(e => e.dataset.key)")


def test_the_round_trip_approve_flag_reload_save_import(demo_project, tmp_path, offline, capsys):
    pack = tmp_path / "veiledning.html"
    write_pack(demo_project, pack, "--for", "Kari")
    page = open_page(offline, pack)
    counter = page.inner_text("#counter")
    first, second = mapping_keys(page)[:2]

    # keyboard: move to the first mapping and approve it with "a"
    art(page, first).focus()
    page.keyboard.press("a")
    # the second: "r" asks for revision and puts the cursor in its comment box
    art(page, second).focus()
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.classList.contains('comment-input')")
    page.keyboard.type("Koden passer bedre under «Relasjoner».")
    art(page, second).locator("button.add-comment").click()
    assert page.inner_text("#counter") != counter
    page.screenshot(path=str(tmp_path / "pack-before-reload.png"), full_page=False)

    page.reload()
    page.wait_for_selector(READY)
    assert art(page, first).locator('input[value="approved"]').is_checked()
    assert art(page, second).locator('input[value="needs-revision"]').is_checked()
    assert "Koden passer bedre under «Relasjoner»." in art(page, second).inner_text()
    assert "Godkjent" in art(page, first).locator("h4, h5, h6").first.inner_text()
    page.screenshot(path=str(tmp_path / "pack-after-reload.png"))

    with page.expect_download() as download_info:
        page.click("#save")
    download = download_info.value
    assert download.suggested_filename == "Kari.review.json"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["format"] == "themecoder-review" and data["reviewers"] == ["Kari"]
    assert "lagret" in page.inner_text("#message").lower()

    capsys.readouterr()
    assert main(["review", "import", str(demo_project), str(saved)]) == 0
    out = capsys.readouterr().out
    assert "review by Kari: 2 new items, 0 statuses, 1 comments" in out
    (_, theme1, code1), (_, theme2, code2) = first.split("|"), second.split("|")
    with Project.open(demo_project) as project:
        one = review.item_for(project, theme1, code1)
        two = review.item_for(project, theme2, code2)
        assert one.status == "approved" and one.status_by == "Kari"
        assert two.status == "needs-revision" and two.status_by == "Kari"
        [thread] = two.threads
        assert thread.root.author == "Kari" and thread.root.text == "Koden passer bedre under «Relasjoner»."
    # the same file again changes nothing
    assert main(["review", "import", str(demo_project), str(saved)]) == 0
    assert "nothing new" in capsys.readouterr().out
    assert offline.blocked == [] and offline.errors == []

    # a new pack after the import: the page shows the imported work, and the browser's copy
    # of it is not counted twice
    again = tmp_path / "veiledning-2.html"
    write_pack(demo_project, again, "--for", "Kari")
    page2 = open_page(offline, again)
    assert art(page2, first).locator('input[value="approved"]').is_checked()
    assert art(page2, second).locator(".comment-new").count() == 0
    assert "Koden passer bedre" in art(page2, second).inner_text()
    page2.screenshot(path=str(tmp_path / "pack-after-import.png"))


def test_filters_counter_keys_and_reply(demo_project, tmp_path, offline):
    pack = tmp_path / "pack.html"
    write_pack(demo_project, pack)
    page = open_page(offline, pack)
    total = page.locator("article.item").count()
    assert page.inner_text("#counter") == f"{total} av {total} gjenstår"
    # j moves from the first item to the next; a approves the focused one
    page.locator("article.item").first.focus()
    page.keyboard.press("j")
    key = page.evaluate("document.activeElement.dataset.key")
    assert key == page.locator("article.item").nth(1).get_attribute("data-key")
    page.keyboard.press("a")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.dataset.key") == page.locator("article.item").first.get_attribute("data-key")
    assert page.inner_text("#counter") == f"{total - 1} av {total} gjenstår"
    # open items only: an approved mapping goes away (an approved theme stays as the heading of
    # its open codes)
    key = mapping_keys(page)[0]
    art(page, key).focus()
    page.keyboard.press("a")
    assert page.inner_text("#counter") == f"{total - 2} av {total} gjenstår"
    page.check("#open-only")
    assert not art(page, key).is_visible()
    page.uncheck("#open-only")
    assert art(page, key).is_visible()
    # one theme: only its items (and its subthemes') are shown
    theme_id = page.eval_on_selector("#theme-filter option:nth-child(2)", "o => o.value")
    page.select_option("#theme-filter", theme_id)
    visible = page.eval_on_selector_all(
        "article.item", "els => els.filter(e => !e.closest('[hidden]')).map(e => e.dataset.key)")
    assert visible and all(k.split("|")[1] == theme_id or page.locator(
        f'li.theme-node[data-theme="{theme_id}"] article[data-key="{k}"]').count() for k in visible)
    assert len(visible) < total
    page.select_option("#theme-filter", "")
    # a new comment can be taken back before it is saved; after a reload it stays gone
    card = art(page, key)
    card.locator("textarea.comment-input").fill("Skrivefeil")
    card.locator("button.add-comment").click()
    assert "Skrivefeil" in card.inner_text()
    card.get_by_role("button", name="Slett den nye kommentaren").click()
    assert "Skrivefeil" not in card.inner_text()
    page.reload()
    page.wait_for_selector(READY)
    assert "Skrivefeil" not in art(page, key).inner_text()
    assert art(page, key).locator('input[value="approved"]').is_checked()
    # save without a name: asked for it, nothing downloaded
    page.click("#save")
    assert page.inner_text("#message") == "Skriv navnet ditt før du lagrer."
    assert page.evaluate("document.activeElement.id") == "reviewer"
    page.screenshot(path=str(tmp_path / "pack-filters.png"))
    assert offline.blocked == [] and offline.errors == []


def test_reply_to_the_students_thread_and_changes_since_the_review(demo_project, tmp_path, offline, capsys):
    with Project.open(demo_project, coder="Kari") as project:
        step = next(s for s in review.walk(project) if s.kind == "mapping")
        review.set_status(project, step.theme.id, "needs-revision", code_id=step.code.id, comment="Hvorfor her?")
    with Project.open(demo_project, coder="student") as project:
        root = review.item_for(project, step.theme.id, step.code.id).threads[0].root
        review.reply(project, root.id, "Fordi den handler om tillit.")
        from themecoder.core import codebook

        codebook.rename_code(project, step.code.id, step.code.label + " (omdøpt)")
    pack = tmp_path / "pack.html"
    write_pack(demo_project, pack, "--for", "Kari", "--lang", "en")
    page = open_page(offline, pack)
    key = f"mapping|{step.theme.id}|{step.code.id}"
    card = art(page, key)
    text = card.inner_text()
    assert "Hvorfor her?" in text and "Fordi den handler om tillit." in text     # the student's reply
    assert "Changed since the last review" in text and card.evaluate("e => e.classList.contains('changed')")
    assert "renamed" in page.inner_text("#changes")
    # only what changed
    page.check("#changed-only")
    shown = page.eval_on_selector_all(
        "article.item.mapping", "els => els.filter(e => !e.closest('[hidden]')).map(e => e.dataset.key)")
    assert shown == [key]
    page.uncheck("#changed-only")
    card.locator("button", has_text="Reply").first.click()
    card.locator("textarea[id^='reply-']").fill("Godt svar.")
    card.locator("div.comment-box button", has_text="Reply").nth(1).click()
    assert "Godt svar." in card.inner_text()
    page.screenshot(path=str(tmp_path / "pack-changes.png"))
    page.fill("#reviewer", "Kari")
    with page.expect_download() as info:
        page.click("#save")
    saved = tmp_path / "kari.review.json"
    info.value.save_as(saved)
    capsys.readouterr()
    assert main(["review", "import", str(demo_project), str(saved)]) == 0
    with Project.open(demo_project) as project:
        [thread] = review.item_for(project, step.theme.id, step.code.id).threads
        assert [c.text for c in thread.comments] == ["Hvorfor her?", "Fordi den handler om tillit.", "Godt svar."]
        assert thread.comments[-1].parent_id == root.id
    assert offline.blocked == [] and offline.errors == []


def test_project_text_is_shown_as_text_never_run(demo_project, tmp_path, offline):
    from themecoder import store
    from themecoder.core import themes

    evil = '<img src="x" onerror="window.pwned = 1"></script><script>window.pwned = 2</script>'
    with Project.open(demo_project) as project:
        theme = store.themes.themes(project.db)[0]
        themes.describe_theme(project, theme.id, evil)
    pack = tmp_path / "pack.html"
    write_pack(demo_project, pack)
    page = open_page(offline, pack)
    assert page.evaluate("window.pwned === undefined")
    assert page.locator("main img").count() == 0
    assert evil in art(page, f"theme|{theme.id}|").inner_text()
    assert offline.blocked == [] and offline.errors == []


@pytest.mark.parametrize(("width", "height", "name"), [(375, 812, "phone"), (640, 900, "zoom-200")])
def test_accessible_at_phone_width_and_200_percent(demo_project, tmp_path, browser, width, height, name):
    """A 375 px phone and a 1280 px window at 200 % zoom (640 CSS pixels) scroll only down."""
    from .conftest import Offline

    pack = tmp_path / "pack.html"
    write_pack(demo_project, pack)
    ctx = Offline(browser, viewport={"width": width, "height": height})
    try:
        page = open_page(ctx, pack)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # every control has a label (a <label>, or aria-label for the thread lists' controls)
        unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
            .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.outerHTML)""")
        assert unlabelled == []
        buttons = page.evaluate("() => [...document.querySelectorAll('button')].filter(b => !b.textContent.trim()).length")
        assert buttons == 0
        assert page.locator("h1").count() == 1 and page.locator("main h2").count() == 2
        assert page.locator("main ol.tree > li").count() >= 1 and page.locator("ul.quotes").count() >= 1
        # focus is visible: the focused item has an outline
        page.locator("article.item").first.focus()
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("", "none")
        page.keyboard.press("Tab")
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") not in ("", "none")
        page.screenshot(path=str(tmp_path / f"pack-{name}.png"))
        assert ctx.blocked == [] and ctx.errors == []
    finally:
        ctx.close()


def test_the_report_html_has_captioned_tables_and_a_figure(demo_project, tmp_path, offline):
    out = tmp_path / "r.html"
    assert main(["report", str(demo_project), "-o", str(out)]) == 0
    page = offline.page()
    page.goto(out.as_uri())
    tables = page.locator("table")
    assert tables.count() >= 2
    for i in range(tables.count()):
        caption = tables.nth(i).locator("caption")
        assert caption.count() == 1 and caption.inner_text().startswith("Tabell ")
    figure = page.locator("figure")
    assert figure.count() == 1
    assert figure.locator("figcaption").inner_text().startswith("Figur ")
    assert figure.locator("svg[role='img'] title").count() == 1
    assert page.evaluate("document.querySelectorAll('link, script[src], img[src^=\"http\"]').length") == 0
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('thead')).display") == "table-header-group"
    page.screenshot(path=str(tmp_path / "report-print.png"))
    assert offline.blocked == [] and offline.errors == []
