"""A small bilingual corpus written for attnlab: short stories generated from a grammar.

``load_corpus("es")`` / ``load_corpus("en")`` read the text shipped with attnlab;
``generate_corpus(lang)`` draws it again from the grammars in ``grammar_es.py`` and
``grammar_en.py`` (seeded, so the result is byte for byte the shipped file).

How it is generated: each story picks a main character (a name with its gender), a second
character, and strings together an introduction, 3 to 6 sentences drawn from a handful of
templates, and an ending. Every word comes from small hand-written word lists with their
gender and number, and every template makes the words agree. So the text is simple, but it
has structure that only context can predict: agreement across several words, opening and
closing marks (« », ¿ ?, ¡ !, " ", ( )), and names that come back. Randomness comes from
Python's ``random.Random(seed).random()``, whose stream is stable across Python versions,
and is turned into choices by hand (no ``random.choice``, whose algorithm may change).
"""

from __future__ import annotations

import random
from pathlib import Path

from . import grammar_en, grammar_es

GRAMMARS = {"es": grammar_es, "en": grammar_en}
SEED = 2024
SIZE = 120_000  # characters per language, about 120 KiB
FILES = {lang: Path(__file__).parent / f"corpus_{lang}.txt" for lang in GRAMMARS}


class Picker:
    """Seeded choices from uniform numbers in [0, 1)."""

    def __init__(self, seed: int):
        self._random = random.Random(seed).random

    def random(self) -> float:
        return self._random()

    def pick(self, options):
        return options[int(self._random() * len(options))]

    def chance(self, p: float) -> bool:
        return self._random() < p


def check_lang(lang: str) -> str:
    if lang not in GRAMMARS:
        raise ValueError(f"lang must be one of {sorted(GRAMMARS)}, got {lang!r}")
    return lang


def generate_corpus(lang: str, *, seed: int = SEED, size: int = SIZE) -> str:
    """Stories in ``lang`` ("es" or "en"), one per line, until the text reaches ``size`` chars."""
    grammar = GRAMMARS[check_lang(lang)]
    picker = Picker(seed)
    stories, n = [], 0
    while n < size:
        stories.append(grammar.story(picker))
        n += len(stories[-1]) + 1
    return "\n".join(stories) + "\n"


def load_corpus(lang: str) -> str:
    """The shipped corpus in ``lang`` ("es" or "en")."""
    return FILES[check_lang(lang)].read_text(encoding="utf-8")


def write_corpus(directory=None) -> None:
    """Regenerate the shipped files (``python -c "from attnlab.data.corpus import write_corpus;
    write_corpus()"``)."""
    for lang, path in FILES.items():
        target = path if directory is None else Path(directory) / path.name
        target.write_text(generate_corpus(lang), encoding="utf-8", newline="\n")
