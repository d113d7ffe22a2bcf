"""The index page and the navigation bar of the offline lesson pages (plain HTML, no script)."""

from __future__ import annotations

import html

from ..i18n import LANGUAGES, tr
from .style import PAGES_CSS, projector_css

LANGUAGE_NAMES = {"es": "Español", "en": "English"}


def nav_bar(lang: str, stem: str, previous: str | None, following: str | None) -> str:
    """Links to the index, the previous and next lessons, and the same lesson in the other
    language(s); relative, so that the folder works wherever it is copied."""
    links = [f'<a href="../index.html">{tr("Índice", "Index", lang)}</a>']
    if previous:
        links.append(f'<a href="{previous}.html">← {tr("Anterior", "Previous", lang)}</a>')
    if following:
        links.append(f'<a href="{following}.html">{tr("Siguiente", "Next", lang)} →</a>')
    for other in LANGUAGES:
        if other != lang:
            links.append(
                f'<a href="../{other}/{stem}.html" hreflang="{other}">{LANGUAGE_NAMES[other]}</a>'
            )
    return f'<nav class="attnlab-nav">{"".join(links)}</nav>'


NOTE = {
    "es": (
        "Estas páginas se leen sin Python y sin conexión: las figuras y las ecuaciones van "
        "dentro de la carpeta. Los widgets son <b>instantáneas estáticas</b>; para mover sus "
        "controles hace falta Python y la carpeta del proyecto attnlab: "
        "<code>pip install -e '.[lessons]'</code> y <code>jupyter lab lessons/</code>."
    ),
    "en": (
        "These pages need neither Python nor a connection: figures and equations are inside "
        "the folder. Widgets are <b>static snapshots</b>; to move their controls you need "
        "Python and the attnlab project folder: <code>pip install -e '.[lessons]'</code> and "
        "<code>jupyter lab lessons/</code>."
    ),
}


def index_page(lessons) -> str:
    """One page listing every lesson in every language (a lesson that failed is marked)."""
    sections = []
    for lang in LANGUAGES:
        items = []
        for lesson in (x for x in lessons if x.lang == lang):
            if lesson.page:
                link = f'<a href="{lesson.page}">{html.escape(lesson.title)}</a>'
            else:
                failed = tr("no se pudo ejecutar", "could not be run", lang)
                link = (
                    f"{html.escape(lesson.stem)} <em>({failed}: {html.escape(lesson.error)})</em>"
                )
            items.append(f"<li>{link}</li>")
        if items:
            sections.append(
                f'<section lang="{lang}"><h2>{LANGUAGE_NAMES[lang]}</h2>'
                f"<p>{NOTE[lang]}</p><ul>{''.join(items)}</ul></section>"
            )
    return (
        '<!DOCTYPE html>\n<html lang="es"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>attnlab · lecciones / lessons</title>"
        f"<style>{projector_css()}{PAGES_CSS}"
        "body { font-family: sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; }"
        "</style></head><body><h1>attnlab · lecciones / lessons</h1>"
        f"{''.join(sections)}</body></html>\n"
    )
