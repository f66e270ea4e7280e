"""Pseudonyms: suggestions (common Norwegian names, unused in the project) and the checks a
chosen pseudonym or category must pass.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from themecoder import store
from themecoder.core.anonymise_base import WORDS, category_for, fold, known_names
from themecoder.core.project import Project
from themecoder.errors import Conflict, UserError

if TYPE_CHECKING:
    from themecoder.core.key_file import KeyFile


FEMALE_NAMES = (
    "Anne Inger Kari Marit Ingrid Eva Berit Astrid Bjørg Hilde Anna Solveig Marianne Randi Ida "
    "Nina Maria Elisabeth Kristin Bente Heidi Silje Hanne Gunn Tone Julie Ragnhild Wenche Karin "
    "Camilla Elin Linda Turid Mona Ellen Grethe Tove Sara Marte Hege Emma Nora Sofie Thea "
    "Ingeborg Lene Siri Mari Tonje Kristine Helene Emilie Trine Unni Aud Laila Ane Maja Ella "
    "Olivia Frida Vilde Synne Tuva Sigrid Guro Ragna Oda Kaja Mathilde Hedda Amalie Ingvild "
    "Marthe Stine Vigdis Torill Gerd Reidun Åse Sissel Kirsten Margrethe Helga Jorunn Lise "
    "Cecilie Irene Janne Rigmor Sølvi Agnes Else Henny Tiril Selma Iselin Margit Oddny"
).split()


MALE_NAMES = (
    "Jan Bjørn Ole Lars Kjell Knut Svein Arne Thomas Hans Geir Morten Terje Martin Erik Andreas "
    "Rune Trond John Harald Anders Jon Olav Tore Gunnar Espen Nils Rolf Stein Leif Øyvind Einar "
    "Kristian Magnus Jonas Daniel Henrik Fredrik Kristoffer Håkon Sindre Sander Emil Mathias "
    "Tobias Jakob Filip Oskar Aksel William Noah Elias Isak Johannes Sigurd Eirik Halvor "
    "Torbjørn Steinar Roar Frode Helge Ivar Vidar Egil Ola Petter Asbjørn Reidar Sverre Øystein "
    "Vegard Audun Ragnar Sigmund Gaute Jørgen Simen Sebastian Adrian Vetle Markus Brage Torstein "
    "Atle Bård Eivind Hallvard Jostein Kåre Lasse Ottar Pål Snorre Tormod Ulrik"
).split()


SURNAMES = (
    "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen "
    "Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Halvorsen "
    "Henriksen Lund Sørensen Jakobsen Moen Gundersen Iversen Strand Solberg Svendsen Eide Knutsen "
    "Martinsen Paulsen Bakken Kristoffersen Mathisen Lie Amundsen Rasmussen Lunde Solheim Berge "
    "Moe Nygård Bakke Kristensen Fredriksen Holm Lien Hauge Christensen Andresen Nielsen Knudsen "
    "Evensen Sæther Aas Myhre Hanssen Haugland Ruud Tangen Vik Engen Aasen Brekke Sandvik"
).split()


def check_pseudonym(project: Project, pseudonym: str, original: str, key: "KeyFile") -> str:
    pseudonym = " ".join((pseudonym or "").split())
    if not pseudonym:
        raise UserError("the pseudonym is empty")
    if pseudonym.startswith("[") and pseudonym.endswith("]"):
        raise UserError("a [category] is a category replacement, not a pseudonym")
    if fold(pseudonym) == fold(original):
        raise UserError("the pseudonym is the name itself")
    entry = key.lookup(original)
    own = entry is not None and fold(entry.replacement) == fold(pseudonym)
    if not own:
        used = _used_words(project)
        clash = [w for w in WORDS.findall(pseudonym.casefold()) if w in used]
        if clash:
            raise Conflict(f"«{pseudonym}» occurs in the project's text already ({', '.join(clash)}); "
                           f"a pseudonym must not be mistaken for someone in the data: choose another")
    return pseudonym


def _used_words(project: Project) -> set[str]:
    used: set[str] = set()
    for _doc_id, text in store.identifiers.document_texts(project.db):
        used.update(WORDS.findall(text.casefold()))
    for p in store.participants.participants(project.db):
        used.update(WORDS.findall(p.pseudonym.casefold()))
    for k in known_names(project):
        used.update(WORDS.findall(k["name"].casefold()))
    return used


def gender_of(project: Project, original: str, gender: str | None) -> str | None:
    if gender in ("f", "m"):
        return gender
    known = store.identifiers.known_name_gender(project.db, fold(original))
    if known is not None:
        return known
    first = original.split()[0] if original.split() else ""
    female = {n.casefold() for n in FEMALE_NAMES}
    male = {n.casefold() for n in MALE_NAMES}
    if first.casefold() in female and first.casefold() not in male:
        return "f"
    if first.casefold() in male and first.casefold() not in female:
        return "m"
    return None


def suggest_pseudonym(
    project: Project, original: str, *, gender: str | None = None, key: "KeyFile | None" = None,
    kind: str = "person", avoid: Iterable[str] = (),
) -> str:
    """A pseudonym for `original`: its pseudonym in the key if it has one; otherwise a common
    Norwegian first name (of the same gender when known), plus a surname for a full name,
    that occurs nowhere in the project's text and is no one else's pseudonym."""
    if kind != "person":
        return category_for(kind)
    original = " ".join(original.split())
    if key is not None:
        entry = key.lookup(original)
        if entry is not None:
            return entry.replacement
    used = _used_words(project) | {fold(a) for a in avoid}
    taken = set()
    if key is not None:
        taken = {fold(r) for r in key.replacements()}
        for r in key.replacements():
            used.update(WORDS.findall(r.casefold()))
    parts = original.split()
    seed = fold(original) + (key.key_id if key is not None else project.id)

    def pick(pool: list[str], salt: str) -> str | None:
        ranked = sorted(pool, key=lambda n: hashlib.sha256((seed + salt + n).encode()).hexdigest())
        return next((n for n in ranked if n.casefold() not in used), None)

    # Same person, other form: "Kari" when "Kari Nordmann" is keyed as "Eva Hansen", and back.
    first_given: str | None = None
    if key is not None and parts:
        for e in key.entries:
            eparts, rparts = e.original.split(), e.replacement.split()
            if eparts and rparts and fold(eparts[0]) == fold(parts[0]) and e.kind == "person":
                if len(parts) == 1 and len(eparts) > 1 and fold(rparts[0]) not in taken:
                    return rparts[0]
                if len(parts) > 1 and len(eparts) == 1:
                    first_given = rparts[0]
    g = gender_of(project, original, gender)
    pool = FEMALE_NAMES if g == "f" else MALE_NAMES if g == "m" else FEMALE_NAMES + MALE_NAMES
    first = first_given or pick(list(pool), "first") or pick(FEMALE_NAMES + MALE_NAMES, "first")
    if first is None:
        raise UserError("no unused pseudonym left in the suggestion list; choose one yourself")
    if len(parts) == 1:
        return first
    surname = pick(SURNAMES, "sur")
    if surname is None:
        raise UserError("no unused surname left in the suggestion list; choose one yourself")
    suggestion = f"{first} {surname}"
    return suggestion


def normalise_category(category: str | None, kind: str) -> str:
    if category is None or category.strip() == "":
        return category_for(kind)
    c = " ".join(category.split())
    if not (c.startswith("[") and c.endswith("]")):
        c = f"[{c.strip('[]')}]"
    if len(c) < 3 or "[" in c[1:-1] or "]" in c[1:-1]:
        raise UserError(f"a category looks like [navn], not {category!r}")
    return c
