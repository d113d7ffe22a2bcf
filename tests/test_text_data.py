"""Text data: the character tokenizer and the bilingual corpus (deterministic, with the
agreement, paired marks and repeated names it promises)."""

import re

import numpy as np
import pytest

from attnlab.data import CharTokenizer, generate_corpus, load_corpus, split_text
from attnlab.data.corpus import FILES, grammar_en, grammar_es


# -- CharTokenizer -------------------------------------------------------------------------
def test_fit_encode_decode_round_trip():
    text = "¿Dónde está la llave? «Aquí»."
    tok = CharTokenizer().fit(text)
    assert tok.chars == sorted(set(text)) and tok.vocab_size == len(set(text))
    ids = tok.encode(text)
    assert ids.dtype == np.int64 and ids.shape == (len(text),)
    assert tok.decode(ids) == text
    assert tok.decode(ids.reshape(1, -1)) == text  # any shape is flattened
    assert tok.encode("").shape == (0,)


def test_unknown_character_is_named_with_its_position():
    tok = CharTokenizer().fit("abc ")
    with pytest.raises(ValueError, match=r"character 'é' \(U\+00E9\) at position 3 is not in"):
        tok.encode("abcé")


def test_declared_unk_maps_unknown_characters_to_one_id():
    tok = CharTokenizer("abc", unk="<unk>")
    assert tok.vocab_size == 4 and tok.unk_id == 3
    np.testing.assert_array_equal(tok.encode("axbñ"), [0, 3, 1, 3])
    assert tok.decode(tok.encode("axb")) == "a<unk>b"


def test_save_and_load_keep_the_vocabulary(tmp_path):
    tok = CharTokenizer(unk="?").fit("ñandú «x»")
    tok.save(tmp_path / "tok.json")
    back = CharTokenizer.load(tmp_path / "tok.json")
    assert back == tok
    np.testing.assert_array_equal(back.encode("ñandú"), tok.encode("ñandú"))
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ValueError, match="not a CharTokenizer JSON file"):
        CharTokenizer.load(tmp_path / "bad.json")


def test_tokenizer_errors():
    tok = CharTokenizer().fit("ab")
    with pytest.raises(ValueError, match="id 5 is outside the vocabulary of size 2"):
        tok.decode([0, 5])
    with pytest.raises(TypeError, match="ids must be integers"):
        tok.decode(np.array([0.0]))
    with pytest.raises(TypeError, match="text must be a str"):
        tok.encode(b"ab")
    with pytest.raises(ValueError, match="must not repeat"):
        CharTokenizer("aba")
    with pytest.raises(RuntimeError, match="call fit"):
        CharTokenizer().encode("a")


def test_split_text_keeps_whole_lines_in_order():
    text = "".join(f"line {i}\n" for i in range(20))
    train, val = split_text(text, 0.1)
    assert train + val == text and val == "line 18\nline 19\n"


# -- the corpus ----------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["es", "en"])
def test_corpus_regenerates_byte_for_byte(lang):
    assert generate_corpus(lang).encode("utf-8") == FILES[lang].read_bytes()
    assert generate_corpus(lang, seed=1) != load_corpus(lang)
    assert 100_000 < len(FILES[lang].read_bytes()) < 200_000


def _stories(lang):
    return load_corpus(lang).splitlines()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_paired_marks_are_balanced_and_never_nested_wrongly(lang):
    pairs = {"«": "»", "¿": "?", "¡": "!", "(": ")"} if lang == "es" else {"(": ")"}
    for line in _stories(lang):
        stack = []
        for ch in line:
            if ch in pairs:
                stack.append(pairs[ch])
            elif ch in pairs.values() and ch in stack:
                assert stack.pop() == ch, line
        assert not stack, line
        assert line.count('"') % 2 == 0


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_main_character_is_named_again(lang):
    intro = r"llamad[ao] (\w+)\." if lang == "es" else r"named (\w+)\."
    for line in _stories(lang):
        name = re.search(intro, line).group(1)
        assert line.count(name) >= 3  # introduced, then at least twice more


def test_spanish_articles_nouns_and_adjectives_agree():
    g = grammar_es
    nouns = {}
    for sg, pl, gen in g.THINGS + g.ANIMALS:
        nouns[sg], nouns[pl] = (gen, 0), (gen, 1)
    for name, gen in g.PLACES + g.HOMES:
        nouns[name] = (gen, 0)
    articles = {**{v: k for k, v in g.DEFINITE.items()}, **{v: k for k, v in g.INDEFINITE.items()}}
    adjectives = {}
    for forms in g.ADJECTIVES + g.STATES:
        for i, f in enumerate(forms):
            adjectives.setdefault(f, set()).add((("m", "f")[i % 2], i // 2))
    text = load_corpus("es")
    words = re.findall(r"\w+", text.lower())
    checked_art = checked_adj = 0
    for w1, w2, w3 in zip(words, words[1:], words[2:], strict=False):
        if w1 in articles and w2 in nouns:
            assert articles[w1] == nouns[w2], (w1, w2)
            checked_art += 1
        if w1 in articles and w2 in nouns and w3 in adjectives:
            assert nouns[w2] in adjectives[w3], (w1, w2, w3)
            checked_adj += 1
    assert checked_art > 2000 and checked_adj > 1000
    people = dict(g.PEOPLE)
    states = {f: (("m", "f")[i % 2], i // 2) for forms in g.STATES for i, f in enumerate(forms)}
    for line in text.splitlines():
        name = re.search(r"llamad([ao]) (\w+)", line)
        assert people[name.group(2)] == ("f" if name.group(1) == "a" else "m")
        for who, state in re.findall(r"(\w+) estaba (?:muy )?(\w+)", line):
            assert states[state] == (people[who], 0), line
        for a, b, state in re.findall(r"(\w+) y (\w+) estaban (\w+)", line):
            both = "f" if people[a] == people[b] == "f" else "m"
            assert states[state] == (both, 1), line
        for verb, n in re.findall(r"¿Dónde (está|están) \w+ (\w+)", line):
            assert nouns[n][1] == (verb == "están"), line


def test_english_subject_verb_agreement_articles_and_pronouns():
    g = grammar_en
    singular = {sg for sg, _ in g.ANIMALS + g.THINGS}
    plural = {pl for _, pl in g.ANIMALS + g.THINGS}
    verbs_sg = {sg for sg, _ in g.ACTIONS}
    verbs_pl = {pl for _, pl in g.ACTIONS}
    text = load_corpus("en")
    crowds = re.findall(r"The (\w+) near the (\w+) (\w+) all day", text)
    assert len(crowds) > 200
    for subject, distractor, verb in crowds:
        assert (subject in singular) == (verb in verbs_sg) and (subject in plural) == (
            verb in verbs_pl
        )
        assert (distractor in singular) != (subject in singular)  # the distractor disagrees
    for article, word in re.findall(r"\b(a|an) (\w+)", text):
        assert (article == "an") == (word[0] in "aeiou"), (article, word)
    for verb, noun in re.findall(r"Where (is|are) the \w+ (\w+)\?", text):
        assert (noun in plural) == (verb == "are")
    people = dict(g.PEOPLE)
    for line in text.splitlines():
        name = re.search(r"named (\w+)\.", line).group(1)
        he = g.PRONOUNS[people[name]]
        end = re.search(r"In the end, (\w+) was very \w+, and (\w+) \w+(?: for)? (\w+)", line)
        assert end.group(1) == name and (end.group(2), end.group(3)) == he, line


# -- corrupt files and characters that cannot be saved --------------------------------------
@pytest.mark.parametrize(
    "content, match",
    [
        ('{"type": "CharTokenizer"}', "has no 'chars'"),
        ('{"type": "CharTokenizer", "chars": 5}', "'chars' must be a string"),
        ('{"type": "CharTokenizer", "chars": ["a", "b"]}', "'chars' must be a string"),
        ('{"type": "CharTokenizer", "chars": "ab", "unk": 3}', "unk must be a non-empty string"),
        ('{"type": "CharTokenizer", "chars": "aa"}', "must not repeat"),
        ("[1, 2]", "not a CharTokenizer description"),
        ("{not json", "not a CharTokenizer JSON file"),
        (b"\xff\xfe\x00garbage", "not UTF-8 text"),
    ],
)
def test_loading_a_corrupt_tokenizer_file_names_the_file(tmp_path, content, match):
    path = tmp_path / "tok.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=match) as info:
        CharTokenizer.load(path)
    assert str(path) in str(info.value)


def test_lone_surrogates_are_refused_when_fitting():
    with pytest.raises(ValueError, match=r"U\+D800 at position 1 is a lone surrogate"):
        CharTokenizer().fit("a\ud800")
    with pytest.raises(ValueError, match="lone surrogate"):
        CharTokenizer(["a", "\udfff"])
    tok = CharTokenizer().fit("a😀")  # a real astral character is fine
    assert tok.decode(tok.encode("😀a")) == "😀a"
