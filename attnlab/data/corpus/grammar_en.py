"""The English grammar of the corpus: short stories with agreement a model can learn.

Structure on purpose, for attention to find:
- subject-verb number agreement across a distractor: "the dog near the trees sleeps",
  "the dogs near the tree sleep"; "where is the key?" / "where are the keys?";
- pronouns that follow a character introduced earlier ("Anna ... she ... her hat");
- "a" or "an" chosen by the next word ("an old boat", "a red boat");
- matching pairs: "..." around dialogue, (...) around asides;
- repeated names: a character is introduced, then named again and again.
"""

from __future__ import annotations

# (name, "f"/"m")
PEOPLE = [
    ("Anna", "f"), ("Mary", "f"), ("Lucy", "f"), ("Emma", "f"), ("Rose", "f"), ("Kate", "f"),
    ("Nora", "f"), ("Jane", "f"), ("Tom", "m"), ("Jack", "m"), ("Sam", "m"), ("Peter", "m"),
    ("Oliver", "m"), ("Henry", "m"), ("Leo", "m"), ("Ben", "m"),
]  # fmt: skip
KINDS = ["young", "old", "kind", "tall", "quiet", "clever", "busy", "elderly"]  # people
JOBS = ["baker", "teacher", "fisher", "doctor", "painter", "farmer", "sailor", "tailor"]
# (singular, plural)
THINGS = [
    ("door", "doors"), ("window", "windows"), ("table", "tables"), ("flower", "flowers"),
    ("letter", "letters"), ("key", "keys"), ("cup", "cups"), ("lamp", "lamps"),
    ("book", "books"), ("box", "boxes"), ("boat", "boats"), ("hat", "hats"),
    ("clock", "clocks"), ("notebook", "notebooks"), ("apple", "apples"), ("umbrella", "umbrellas"),
]  # fmt: skip
HOMES = ["house", "cabin", "tower", "mill", "boat", "farmhouse", "old house", "cottage"]
PLACES = ["square", "mountain", "beach", "school", "street", "river", "harbour", "market",
          "forest", "bridge", "village", "garden"]  # fmt: skip
ANIMALS = [
    ("dog", "dogs"), ("cat", "cats"), ("bird", "birds"), ("horse", "horses"),
    ("duck", "ducks"), ("hen", "hens"), ("cow", "cows"), ("goat", "goats"),
    ("fox", "foxes"), ("child", "children"),
]  # fmt: skip
ADJECTIVES = ["white", "red", "black", "small", "old", "new", "pretty", "dark", "big",
              "green", "blue", "yellow", "empty", "orange"]  # fmt: skip
STATES = ["tired", "happy", "surprised", "worried", "calm", "angry"]
VERBS = ["watched", "opened", "found", "painted", "looked for", "closed", "carried", "cleaned"]
# present tense (singular, plural): the verb must agree with the subject, not the distractor
ACTIONS = [
    ("sleeps", "sleep"), ("waits", "wait"), ("sings", "sing"), ("plays", "play"),
    ("runs", "run"), ("hides", "hide"), ("eats", "eat"), ("rests", "rest"),
]  # fmt: skip
TIMES = ["Every morning", "In the afternoon", "That day", "Later", "Suddenly", "At night"]
PRONOUNS = {"f": ("she", "her"), "m": ("he", "his")}


def an(word: str) -> str:
    """ "a" or "an" + word, by its first letter."""
    return ("an " if word[0] in "aeiou" else "a ") + word


def thing(p, *, plural=None, adjective=True):
    """ "the red door" / "the old boxes"; returns (text without article, plural)."""
    sg, pl = p.pick(THINGS)
    n = p.pick((0, 1)) if plural is None else plural
    noun = pl if n else sg
    return (f"{p.pick(ADJECTIVES)} {noun}" if adjective else noun), n


def story(p) -> str:
    """One short story in English, drawn with the picker ``p``."""
    name, g = p.pick(PEOPLE)
    he, his = PRONOUNS[g]
    other, g2 = p.pick([q for q in PEOPLE if q[0] != name])
    s = [f"Once there was {an(p.pick(KINDS))} {p.pick(JOBS)} named {name}."]
    s.append(f"{name} lived in {an(p.pick(HOMES))} near the {p.pick(PLACES)}.")

    def routine():
        return f"{p.pick(TIMES)}, {name} {p.pick(VERBS)} the {thing(p)[0]}."

    def crowd():
        n = p.pick((0, 1))
        sg, pl = p.pick(ANIMALS)
        near_sg, near_pl = p.pick(THINGS)
        near = near_sg if n else near_pl  # the distractor has the other number
        verb = p.pick(ACTIONS)[n]
        return f"The {pl if n else sg} near the {near} {verb} all day."

    def question():
        phrase, n = thing(p)
        said = f"Where {'are' if n else 'is'} the {phrase}?"
        if p.chance(0.4):
            said = f"What {an(thing(p, plural=0)[0])}!"
        return f'{name} said, "{said}"'

    def aside():
        return f"{name} (who was {p.pick(STATES)}) {p.pick(VERBS)} {his} {thing(p)[0]}."

    met = []

    def visitor():
        together = f"{name} and {other} {p.pick(VERBS)} the {thing(p)[0]} together."
        if met:  # already introduced
            return together
        met.append(other)
        he2 = PRONOUNS[g2][0].capitalize()
        return (
            f"One day, {other} came to the {p.pick(PLACES)}. {he2} was {an(p.pick(JOBS))}. "
            + together
        )

    def walk():
        return f"{he.capitalize()} went to the {p.pick(PLACES)} with {an(thing(p, plural=0)[0])}."

    middle = [routine, crowd, question, aside, visitor, walk]
    for _ in range(3 + int(p.random() * 4)):
        s.append(p.pick(middle)())
    s.append(f"In the end, {name} was very {p.pick(STATES)}, and {he} {p.pick(VERBS)} {his} "
             f"{thing(p)[0]}.")  # fmt: skip
    return " ".join(s)
