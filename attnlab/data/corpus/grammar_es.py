"""The Spanish grammar of the corpus: short stories with agreement a model can learn.

Structure on purpose, for attention to find:
- gender and number agreement: article, noun and adjective agree ("la casa blanca", "los
  perros negros"), and a predicate agrees with a subject several words back ("María ...
  estaba cansada", "María y Pablo estaban cansados");
- matching pairs: «...» around dialogue, ¿...? and ¡...! around questions and exclamations,
  (...) around asides;
- repeated names: a character is introduced, then named again and again.
"""

from __future__ import annotations

# (name, gender)
PEOPLE = [
    ("María", "f"), ("Lucía", "f"), ("Elena", "f"), ("Sofía", "f"), ("Carmen", "f"),
    ("Inés", "f"), ("Julia", "f"), ("Marta", "f"), ("Pablo", "m"), ("Diego", "m"),
    ("Mateo", "m"), ("Tomás", "m"), ("Andrés", "m"), ("Jorge", "m"), ("Luis", "m"),
    ("Hugo", "m"),
]  # fmt: skip
# (masculine, feminine)
JOBS = [
    ("panadero", "panadera"), ("maestro", "maestra"), ("pescador", "pescadora"),
    ("médico", "médica"), ("pintor", "pintora"), ("cartero", "cartera"),
    ("carpintero", "carpintera"), ("jardinero", "jardinera"),
]  # fmt: skip
# (singular, plural, gender): things and places
THINGS = [
    ("casa", "casas", "f"), ("puerta", "puertas", "f"), ("ventana", "ventanas", "f"),
    ("mesa", "mesas", "f"), ("flor", "flores", "f"), ("carta", "cartas", "f"),
    ("llave", "llaves", "f"), ("taza", "tazas", "f"), ("lámpara", "lámparas", "f"),
    ("libro", "libros", "m"), ("árbol", "árboles", "m"), ("barco", "barcos", "m"),
    ("sombrero", "sombreros", "m"), ("reloj", "relojes", "m"), ("cuaderno", "cuadernos", "m"),
    ("jarrón", "jarrones", "m"),
]  # fmt: skip
# (singular, gender): where a character lives
HOMES = [("casa", "f"), ("cabaña", "f"), ("torre", "f"), ("molino", "m"), ("barco", "m")]
PLACES = [
    ("plaza", "f"), ("montaña", "f"), ("playa", "f"), ("escuela", "f"), ("calle", "f"),
    ("río", "m"), ("puerto", "m"), ("mercado", "m"), ("bosque", "m"), ("puente", "m"),
]  # fmt: skip
ANIMALS = [
    ("perro", "perros", "m"), ("gato", "gatos", "m"), ("pájaro", "pájaros", "m"),
    ("caballo", "caballos", "m"), ("oveja", "ovejas", "f"), ("gallina", "gallinas", "f"),
    ("vaca", "vacas", "f"), ("cabra", "cabras", "f"),
]  # fmt: skip
# (masc. sg, fem. sg, masc. pl, fem. pl)
ADJECTIVES = [
    ("blanco", "blanca", "blancos", "blancas"), ("rojo", "roja", "rojos", "rojas"),
    ("negro", "negra", "negros", "negras"), ("pequeño", "pequeña", "pequeños", "pequeñas"),
    ("viejo", "vieja", "viejos", "viejas"), ("nuevo", "nueva", "nuevos", "nuevas"),
    ("bonito", "bonita", "bonitos", "bonitas"), ("oscuro", "oscura", "oscuros", "oscuras"),
    ("grande", "grande", "grandes", "grandes"), ("verde", "verde", "verdes", "verdes"),
    ("azul", "azul", "azules", "azules"), ("amarillo", "amarilla", "amarillos", "amarillas"),
]  # fmt: skip
STATES = [
    ("cansado", "cansada", "cansados", "cansadas"),
    ("contento", "contenta", "contentos", "contentas"),
    ("sorprendido", "sorprendida", "sorprendidos", "sorprendidas"),
    ("preocupado", "preocupada", "preocupados", "preocupadas"),
    ("tranquilo", "tranquila", "tranquilos", "tranquilas"),
    ("enfadado", "enfadada", "enfadados", "enfadadas"),
]  # fmt: skip
# (singular, plural), past tense, transitive
VERBS = [
    ("miró", "miraron"), ("abrió", "abrieron"), ("encontró", "encontraron"),
    ("pintó", "pintaron"), ("buscó", "buscaron"), ("cerró", "cerraron"),
    ("llevó", "llevaron"), ("limpió", "limpiaron"),
]  # fmt: skip
TIMES = ["Cada mañana", "Por la tarde", "Aquel día", "Después", "De pronto", "Por la noche"]

DEFINITE = {("m", 0): "el", ("f", 0): "la", ("m", 1): "los", ("f", 1): "las"}
INDEFINITE = {("m", 0): "un", ("f", 0): "una", ("m", 1): "unos", ("f", 1): "unas"}


def form(forms, gender: str, plural: int) -> str:
    """The adjective form for a gender ("m"/"f") and number (0 singular, 1 plural)."""
    return forms[2 * plural + (gender == "f")]


def de(phrase: str) -> str:
    """ "de" + phrase, with the contraction de + el = del."""
    return "del" + phrase[2:] if phrase.startswith("el ") else "de " + phrase


def a(phrase: str) -> str:
    """ "a" + phrase, with the contraction a + el = al."""
    return "al" + phrase[2:] if phrase.startswith("el ") else "a " + phrase


def thing(p, *, plural=None, definite=True, adjective=True):
    """A noun phrase "la casa blanca" / "unos libros viejos"; returns (text, gender, plural)."""
    sg, pl, g = p.pick(THINGS)
    n = p.pick((0, 1)) if plural is None else plural
    art = (DEFINITE if definite else INDEFINITE)[(g, n)]
    text = f"{art} {pl if n else sg}"
    if adjective:
        text += " " + form(p.pick(ADJECTIVES), g, n)
    return text, g, n


def animals(p, plural):
    sg, pl, g = p.pick(ANIMALS)
    adj = form(p.pick(ADJECTIVES), g, plural)
    return f"{DEFINITE[(g, plural)]} {pl if plural else sg} {adj}", g


def place(p):
    name, g = p.pick(PLACES)
    return f"{DEFINITE[(g, 0)]} {name}"


def story(p) -> str:
    """One short story in Spanish, drawn with the picker ``p``."""
    name, g = p.pick(PEOPLE)
    job = p.pick(JOBS)[g == "f"]
    other, g2 = p.pick([q for q in PEOPLE if q[0] != name])
    job2 = p.pick(JOBS)[g2 == "f"]
    one, called = ("una", "llamada") if g == "f" else ("un", "llamado")
    s = [f"Había una vez {one} {job} {called} {name}."]
    home, hg = p.pick(HOMES)
    house = f"{INDEFINITE[(hg, 0)]} {home} {form(p.pick(ADJECTIVES), hg, 0)}"
    s.append(f"{name} vivía en {house} cerca {de(place(p))}.")

    def routine():
        return f"{p.pick(TIMES)}, {name} {p.pick(VERBS)[0]} {thing(p)[0]}."

    def because():
        n = p.pick((0, 1))
        subject, _ = animals(p, n)
        return (
            f"{name} estaba {form(p.pick(STATES), g, 0)} porque {subject} "
            f"{p.pick(VERBS)[n]} {thing(p)[0]}."
        )

    def question():
        phrase, tg, n = thing(p)
        if p.chance(0.5):
            said = f"¿Dónde {'están' if n else 'está'} {phrase}?"
        else:
            sg, pl, tg = p.pick(THINGS)
            said = f"¡Qué {sg} tan {form(p.pick(ADJECTIVES), tg, 0)}!"
        return f"{name} dijo: «{said}»"

    def aside():
        phrase, tg, n = thing(p, adjective=False)
        verb = "estaban" if n else "estaba"
        very = form(p.pick(ADJECTIVES), tg, n)
        return (
            f"{phrase.capitalize()} (que {'eran' if n else 'era'} muy {very}) {verb} en {place(p)}."
        )

    met = []

    def visitor():
        both = "f" if g == g2 == "f" else "m"  # a mixed pair agrees in the masculine
        if met:  # already introduced: the pair acts together
            return f"{name} y {other} {p.pick(VERBS)[1]} {thing(p)[0]}."
        met.append(other)
        return (
            f"Un día llegó {other}, {DEFINITE[(g2, 0)]} {job2} del pueblo. {name} y {other} "
            f"estaban {form(p.pick(STATES), both, 1)}."
        )

    def herd():
        n = 1
        subject, _ = animals(p, n)
        return f"{subject.capitalize()} {p.pick(VERBS)[n]} {thing(p)[0]} {de(place(p))}."

    def walk():
        pron = "Ella" if g == "f" else "Él"
        return f"{pron} fue {a(place(p))} con {thing(p, definite=False)[0]}."

    middle = [routine, because, question, aside, visitor, herd, walk]
    for _ in range(3 + int(p.random() * 4)):
        s.append(p.pick(middle)())
    s.append(f"Al final, {name} estaba muy {form(p.pick(STATES), g, 0)}.")
    return " ".join(s)
