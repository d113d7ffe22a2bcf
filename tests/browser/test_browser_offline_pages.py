"""Issue 14, browser test 3: the exported lesson pages work from file:// with no network.

Two lessons per language are exported once for the module (00, the tour, and 03, which has
equations and a widget): the exporter runs them in a real kernel in quick mode. Then Chromium
opens every page from file:// through a dead proxy and the test fails on any request that is not
file:// (or data:), on any failed request or console error; equations must be typeset by the
local MathJax (``mjx-container`` elements, no ``mjx-merror``), every image must have loaded,
each widget must be a labelled static snapshot in the page's language, and the index must link
every exported lesson in both languages.
"""

from __future__ import annotations

import time

import pytest
from _harness import need

from attnlab.i18n import LANGUAGES

STEMS = ["00_tour", "03_masks"]
SNAPSHOT_LABEL = {"es": "Instantánea estática del widget", "en": "Static snapshot of the widget"}
MIN_IMAGES = {"00_tour": 1, "03_masks": 2}  # inline figures (03: the masks and the snapshot)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    need("nbclient", "pip install 'attnlab[lessons]'")
    need("nbconvert", "pip install 'attnlab[classroom]'")
    need("mathjax", "pip install 'attnlab[classroom]' (django-static-mathjax)")
    from attnlab.classroom.export import export_lessons

    out = tmp_path_factory.mktemp("offline") / "pages"
    start = time.perf_counter()
    result = export_lessons(out, quick=True, stems=STEMS)
    print(f"export of {len(result.lessons)} pages: {time.perf_counter() - start:.1f} s -> {out}")
    assert not result.failures, [(x.stem, x.lang, x.error) for x in result.failures]
    return result


@pytest.mark.slow
def test_exported_html_loads_no_script_style_or_image_from_the_network(exported):
    from attnlab.classroom.export import remote_resources

    pages = sorted(exported.out.rglob("*.html"))
    assert len(pages) == 1 + len(STEMS) * len(LANGUAGES)
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert remote_resources(text) == [], path
    assert (exported.out / "mathjax" / "tex-svg-full.js").stat().st_size > 1_000_000


def test_remote_resources_finds_every_kind_of_remote_reference():
    from attnlab.classroom.export import remote_resources

    html = (
        '<script src="https://cdn.example/x.js"></script><link rel=stylesheet href=//a.b/c.css>'
        "<img src='http://x.y/z.png'><style>@import 'https://f.g/h.css'; "
        "p { background: url(https://i.j/k.png) }</style>"
        '<script src="../mathjax/tex-svg-full.js"></script><a href="https://arxiv.org">paper</a>'
        '<img src="data:image/png;base64,AAAA">'
    )
    assert remote_resources(html) == [
        "https://cdn.example/x.js",
        "//a.b/c.css",
        "http://x.y/z.png",
        "https://f.g/h.css",
        "https://i.j/k.png",
    ]


@pytest.mark.browser
@pytest.mark.slow
def test_index_links_every_exported_lesson_in_both_languages(exported, page):
    rec = page
    rec.page.goto((exported.out / "index.html").as_uri())
    hrefs = rec.page.eval_on_selector_all("a", "links => links.map(a => a.getAttribute('href'))")
    expected = {f"{lang}/{stem}.html" for lang in LANGUAGES for stem in STEMS}
    assert expected <= set(hrefs), f"missing from the index: {expected - set(hrefs)}"
    for lang in LANGUAGES:
        assert rec.page.locator(f"section[lang='{lang}'] li a").count() == len(STEMS)
    rec.screenshot("index")
    assert rec.offsite == [] and rec.failed_requests == [] and rec.console_errors == []


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_lesson_pages_typeset_equations_show_figures_and_snapshots_offline(exported, page, lang):
    rec = page
    for stem in STEMS:
        rec.page.goto((exported.out / lang / f"{stem}.html").as_uri())
        assert rec.page.locator("html").get_attribute("lang") == lang
        rec.page.wait_for_function("() => window.MathJax && MathJax.startup")
        rec.page.evaluate("() => MathJax.startup.promise")  # resolves after the first typeset
        source = (exported.out / lang / f"{stem}.html").read_text(encoding="utf-8")
        if "$" in source.split("<main>", 1)[-1]:
            if rec.page.locator("mjx-container").count() == 0:
                rec.fail(f"{stem} ({lang}): the equations were not typeset")
        assert rec.page.locator("mjx-merror").count() == 0, f"{stem}: a TeX error"
        images = rec.page.eval_on_selector_all(
            "img", "imgs => imgs.map(i => i.complete && i.naturalWidth > 0)"
        )
        if len(images) < MIN_IMAGES[stem] or not all(images):
            rec.fail(f"{stem} ({lang}): images loaded: {images}")
        snapshots = rec.page.locator(".attnlab-snapshot")
        if stem == "03_masks":
            assert snapshots.count() >= 1, "the mask explorer's snapshot is missing"
            caption = snapshots.first.locator("figcaption").inner_text()
            assert SNAPSHOT_LABEL[lang] in caption
            assert snapshots.first.locator("img").count() == 1
            snapshots.first.scroll_into_view_if_needed()
            rec.screenshot(f"{lang}-{stem}-snapshot", element=snapshots.first)
            rec.page.locator("mjx-container").first.scroll_into_view_if_needed()
            rec.screenshot(f"{lang}-{stem}-equations", full_page=False)
    assert rec.offsite == [], f"requests that left file://: {rec.offsite}"
    assert rec.failed_requests == [] and rec.console_errors == []
    assert all(url.startswith(("file://", "data:")) for url in rec.requests), rec.requests


@pytest.mark.browser
def test_the_index_links_every_lesson_of_the_course_in_both_languages(page, tmp_path):
    """The index the export writes, for the whole course: every lesson in lessons/src, in both
    languages, linked to its page and titled by its notebook's first heading."""
    need("nbformat", "pip install 'attnlab[lessons]'")
    from attnlab.classroom.export import planned_lessons
    from attnlab.classroom.index import index_page
    from tools import lessons_build as lb

    root = lb.lessons_dir()
    stems = [p.stem for p in lb.sources(root)]
    assert len(stems) >= 12 and stems[0] == "00_tour"
    (tmp_path / "index.html").write_text(index_page(planned_lessons(root, stems)), "utf-8")
    rec = page
    rec.page.goto((tmp_path / "index.html").as_uri())
    word = {"es": "Lección", "en": "Lesson"}
    for lang in LANGUAGES:
        links = rec.page.locator(f"section[lang='{lang}'] li a")
        hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert hrefs == [f"{lang}/{stem}.html" for stem in stems]
        titles = links.all_inner_texts()
        for stem, title in zip(stems, titles, strict=True):
            assert title.startswith(f"{word[lang]} {stem[:2]} · "), title
    rec.screenshot("index-of-the-course")
    assert rec.offsite == [] and rec.failed_requests == [] and rec.console_errors == []


def test_export_names_the_lessons_when_asked_for_one_that_does_not_exist(tmp_path):
    from attnlab.classroom.export import export_lessons

    with pytest.raises(ValueError, match=r"unknown lessons \['99_nope'\].*03_masks"):
        export_lessons(tmp_path / "out", stems=["03_masks", "99_nope"])
    assert not (tmp_path / "out").exists()  # validated before anything is written


@pytest.mark.browser
def test_the_harness_sees_and_blocks_a_request_that_leaves_the_machine(page, tmp_path):
    """The offline checks above can fail: a remote image is recorded and never loads."""
    html = tmp_path / "leaky.html"
    html.write_text(
        '<img src="http://example.com/x.png"><script src="https://cdn.example/a.js"></script>'
    )
    page.page.goto(html.as_uri())
    page.pause(0.5)
    assert page.offsite == ["http://example.com/x.png", "https://cdn.example/a.js"]
    assert page.page.eval_on_selector("img", "i => i.naturalWidth") == 0
