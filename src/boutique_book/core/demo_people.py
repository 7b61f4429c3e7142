"""Demo book realism: who is a woman or a man (for salutations, gendered family names and the words of
moments), extra names so that names repeat only as often as they would in a real town, and one spouse each.

Kept apart from demo.py and drawn from its own random stream, so the rest of the demo (tiers, kinds, moments,
links) is the same as before for the same seed.
"""

from __future__ import annotations

import random
from collections import Counter

FEMININE = {
    "Anne", "Zoë", "Élodie", "Hélène", "Clémence", "Amélie", "Chloé", "Léa", "Océane", "Camille", "Margaux",
    "Juliette", "Inès", "Manon", "Sophie", "Käthe", "Greta", "Anneliese", "Hannah", "Lena", "Marlene", "Ingrid",
    "Giulia", "Chiara", "Francesca", "Alessandra", "Beatrice", "Lucía", "Inés", "Sofía", "Begoña", "Carmen",
    "Elena", "Olivia", "Charlotte", "Amelia", "Siobhán", "Harriet", "Imogen", "Emily", "Madison", "Grace",
    "Abigail", "Hannah", "Анна", "Ольга", "Наталья", "Екатерина", "Мария", "花子", "美咲", "由美", "さくら", "恵子",
    "芳", "娜", "静", "丽", "婷", "فاطمة", "ليلى", "نور", "مريم", "سارة",
}
MASCULINE = {
    "François", "Noël", "Jérôme", "Benoît", "Gaël", "Étienne", "Thibault", "Mathieu", "Rémi", "Jürgen", "Lukas",
    "Maximilian", "Jörg", "Felix", "Konrad", "Matthias", "Matteo", "Lorenzo", "Niccolò", "Giacomo", "Tommaso",
    "Álvaro", "Martín", "Javier", "Íñigo", "James", "Oliver", "Harry", "Rupert", "Hugh", "Michael", "Ethan",
    "Benjamin", "Dmitri", "Дмитрий", "Сергей", "Алексей", "Михаил", "太郎", "健太", "翔", "大輔", "伟", "明", "强",
    "محمد", "أحمد", "عمر", "خالد",
}

# Drawn only when a name is already taken in the book (so the first of each name stays as it was).
EXTRA_GIVEN = {
    "fr": ["Camille", "Margaux", "Juliette", "Inès", "Manon", "Étienne", "Thibault", "Mathieu", "Rémi"],
    "de": ["Hannah", "Lena", "Marlene", "Ingrid", "Felix", "Konrad", "Matthias"],
    "it": ["Alessandra", "Beatrice", "Giacomo", "Tommaso"],
    "es": ["Carmen", "Elena", "Javier", "Íñigo"],
    "en": ["Harriet", "Imogen", "Rupert", "Hugh"],
    "us": ["Abigail", "Hannah", "Benjamin"],
    "ru": ["Екатерина", "Мария", "Алексей", "Михаил"],
    "ja": ["さくら", "恵子", "大輔"],
    "zh": ["丽", "婷", "强"],
    "ar": ["مريم", "سارة", "عمر", "خالد"],
}
EXTRA_FAMILY = {
    "fr": ["Lemoine", "Garnier", "Faure", "Roussel", "Vasseur", "Delacroix", "Marchal", "Perrin", "Boucher",
           "Lambert", "Renaud", "Colin"],
    "de": ["Hoffmann", "Richter", "Wagner", "Zimmermann", "Krüger", "Hartmann", "Lange", "Brandt"],
    "it": ["Romano", "Greco", "Marino", "Galli", "Conti", "Moretti"],
    "es": ["López", "Martínez", "Navarro", "Ruiz", "Serrano", "Castillo"],
    "en": ["Evans", "Davies", "Walker", "Thompson", "Clarke", "Bennett"],
    "us": ["Davis", "Wilson", "Anderson", "Thomas", "Moore", "Jackson"],
    "ru": ["Соколов", "Морозов", "Новиков", "Лебедев"],
    "ja": ["伊藤", "中村", "小林", "加藤"],
    "zh": ["杨", "黄", "赵", "周"],
    "ar": ["الخطيب", "النجار", "يوسف"],
}
EXTRA_ROMAJI = {"さくら": "Sakura", "恵子": "Keiko", "大輔": "Daisuke", "伊藤": "Itō", "中村": "Nakamura",
                "小林": "Kobayashi", "加藤": "Katō"}

# Russian family names take the feminine form for women.
RU_FEMININE = {"Иванов": "Иванова", "Петров": "Петрова", "Смирнов": "Смирнова", "Кузнецов": "Кузнецова",
               "Волков": "Волкова", "Соколов": "Соколова", "Морозов": "Морозова", "Новиков": "Новикова",
               "Лебедев": "Лебедева"}
RU_MASCULINE = {v: k for k, v in RU_FEMININE.items()}


def gender(given: str) -> str:
    """'f', 'm' or '' (unknown: no gendered word is used)."""
    return "f" if given in FEMININE else "m" if given in MASCULINE else ""


def family_for(family: str, sex: str, code: str) -> str:
    if code != "ru":
        return family
    if sex == "f":
        return RU_FEMININE.get(family, family)
    return RU_MASCULINE.get(family, family)


class Names:
    """Hands out (given, family) with repeats only when the pools run out, like a real town's book."""

    def __init__(self, seed: int, used=()):
        self.rng = random.Random(seed * 104729 + 11)
        self.used = Counter(used)

    def pick(self, code: str, given: str, family: str, given_pool, family_pool) -> tuple[str, str]:
        sex = gender(given)
        family = family_for(family, sex, code)
        if self.used[(given, family)]:
            givens = list(given_pool) + EXTRA_GIVEN.get(code, [])
            families = list(family_pool) + EXTRA_FAMILY.get(code, [])
            for _ in range(24):
                g = self.rng.choice(givens)
                f = family_for(self.rng.choice(families), gender(g), code)
                if not self.used[(g, f)]:
                    given, family = g, f
                    break
        self.used[(given, family)] += 1
        return given, family


SALUTATION = {"fr": {"f": "Madame", "m": "Monsieur"}}


def salutation(language: str, given: str, drawn: str) -> str:
    """The demo drew whether to write a salutation at all (drawn non-empty); its words follow the person."""
    if not drawn:
        return ""
    return SALUTATION.get(language, {}).get(gender(given), "")


def words(text, sex: str) -> str:
    """A moment text written for a woman, a man, or anyone: (feminine, masculine) pairs pick by sex."""
    if isinstance(text, tuple):
        return text[1] if sex == "m" else text[0]
    return text


def one_spouse_each(link_rows: set) -> set:
    """Random links may give someone two spouses: the second and later become friends."""
    married: set = set()
    result = set()
    for a, b, kind in sorted(link_rows):
        if kind == "spouse":
            if a in married or b in married:
                kind = "friend"
            else:
                married.update((a, b))
        result.add((a, b, kind))
    return result
