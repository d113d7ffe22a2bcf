"""The languages attnlab speaks, and the one way it picks a string in one of them.

Every text a user reads (lesson messages, exercise feedback, parity reports, training logs,
figure labels) comes in Spanish and English, side by side:

- inline, where the text is used once: ``tr("hola", "hello")``;
- in a table, where many texts live together (the figures' labels):
  ``pick(TABLE[key], lang)`` with ``TABLE[key] = {"es": ..., "en": ...}``.

Both follow the current language (:func:`set_language`) unless ``lang`` is given.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping

LANGUAGES = ("es", "en")  # the one list: Spanish first, as the project was born
_state = {"lang": "en"}


def check_language(lang) -> str:
    """Return ``lang`` if attnlab speaks it, else raise ValueError naming the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(map(repr, LANGUAGES))}, got {lang!r}")
    return lang


def set_language(lang: str) -> None:
    """Choose the language of messages (lessons, exercises, reports, training logs)."""
    _state["lang"] = check_language(lang)


def get_language() -> str:
    """The current language, ``"es"`` or ``"en"``."""
    return _state["lang"]


def tr(es: str, en: str, lang: str | None = None) -> str:
    """The Spanish or the English string, following :func:`set_language` (or ``lang``)."""
    lang = check_language(lang or _state["lang"])
    return es if lang == "es" else en


def pick(entry: Mapping[str, str], lang: str | None = None, **fields) -> str:
    """One language's side of a table entry ``{"es": ..., "en": ...}``, with ``fields`` filled."""
    lang = check_language(lang or _state["lang"])
    text = entry[lang]
    return text.format(**fields) if fields else text


def default_language() -> str:
    """The language a command uses without ``--lang``: ``ATTNLAB_LANG``, else the locale.

    ``ATTNLAB_LANG`` is a language (``es``, ``en``) or a locale of one (``es_AR.UTF-8``);
    anything else is a ValueError naming it and the choices (not a silent English). Without
    it a Spanish locale gives ``"es"`` and any other ``"en"``.
    """
    env = os.environ.get("ATTNLAB_LANG", "").strip()
    if env:
        lang = env.lower().replace("-", "_").split(".")[0].split("_")[0]  # es_AR.UTF-8 -> es
        if lang not in LANGUAGES:
            raise ValueError(
                f"ATTNLAB_LANG={env!r} is not a language attnlab speaks: set it to "
                f"{' or '.join(map(repr, LANGUAGES))} (a locale such as es_AR.UTF-8 works too), "
                f"or unset it"
            )
        return lang
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "es" if value.lower().startswith("es") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "es" if loc.lower().startswith("es") else "en"


__all__ = [
    "LANGUAGES",
    "check_language",
    "default_language",
    "get_language",
    "pick",
    "set_language",
    "tr",
]
