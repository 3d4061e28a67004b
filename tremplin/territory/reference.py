"""Loading of the reference data shipped in tremplin/territory/data (no download at run time)."""

import csv
from pathlib import Path

from django.db import transaction

from tremplin.core.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"

# Accented names and postcodes of the 23 communes of Dijon Métropole (the INSEE file is upper-case ASCII).
METROPOLE = {
    "21003": ("Ahuy", "21121"),
    "21105": ("Bressey-sur-Tille", "21560"),
    "21106": ("Bretenière", "21110"),
    "21166": ("Chenôve", "21300"),
    "21171": ("Chevigny-Saint-Sauveur", "21800"),
    "21192": ("Corcelles-les-Monts", "21160"),
    "21223": ("Daix", "21121"),
    "21231": ("Dijon", "21000"),
    "21263": ("Fénay", "21600"),
    "21270": ("Flavignerot", "21160"),
    "21278": ("Fontaine-lès-Dijon", "21121"),
    "21315": ("Hauteville-lès-Dijon", "21121"),
    "21355": ("Longvic", "21600"),
    "21370": ("Magny-sur-Tille", "21110"),
    "21390": ("Marsannay-la-Côte", "21160"),
    "21452": ("Neuilly-Crimolois", "21800"),
    "21473": ("Ouges", "21600"),
    "21481": ("Perrigny-lès-Dijon", "21160"),
    "21485": ("Plombières-lès-Dijon", "21370"),
    "21515": ("Quetigny", "21800"),
    "21540": ("Saint-Apollinaire", "21850"),
    "21605": ("Sennecey-lès-Dijon", "21800"),
    "21617": ("Talant", "21240"),
}

# Seeded from the neighbourhoods the activity reports name; codes and perimeters are to be
# completed by the coordination team from the 2024 decree (editable in the admin).
QPV_SEED = [
    ("21231", "Grésilles"),
    ("21231", "Fontaine d'Ouche"),
    ("21166", "Le Mail"),
    ("21515", "Centre-ville"),
    ("21617", "Belvédère"),
    ("21355", "Bief du Moulin"),
]

_LOWER_WORDS = {"le", "la", "les", "l", "de", "des", "du", "d", "sur", "sous", "en", "et", "aux", "au", "lès"}


def pretty_commune_name(insee_name: str) -> str:
    """ "SAINT-JEAN-DE-LOSNE" -> "Saint-Jean-de-Losne" (the source carries no accents)."""
    parts = insee_name.lower().split("-")
    out = []
    for index, part in enumerate(parts):
        words = part.split(" ")
        words = [w if (w in _LOWER_WORDS and (index or i)) else w.capitalize() for i, w in enumerate(words)]
        out.append(" ".join(words))
    return "-".join(out).replace("D'", "d'").replace("L'", "l'")


@transaction.atomic
def load_communes(Commune=None) -> int:
    if Commune is None:
        from tremplin.territory.models import Commune

    existing = {c.insee_code: c for c in Commune.objects.all()}
    count = 0
    with open(DATA_DIR / "communes-cote-dor.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter=";"):
            code = row["code_insee"].strip()
            name, postcode = METROPOLE.get(code, (pretty_commune_name(row["nom_insee"].strip()), ""))
            commune = existing.get(code) or Commune(insee_code=code)
            commune.name = name
            commune.department = code[:2]
            commune.is_metropole = row["dijon_metropole"].strip() == "oui"
            commune.postcode = commune.postcode or postcode
            commune.search_name = fold(name)
            commune.save()
            count += 1
    return count


@transaction.atomic
def load_qpvs(Commune=None, Qpv=None) -> int:
    if Commune is None:
        from tremplin.territory.models import Commune, Qpv

    for insee_code, name in QPV_SEED:
        Qpv.objects.get_or_create(commune=Commune.objects.get(insee_code=insee_code), name=name)
    return len(QPV_SEED)


@transaction.atomic
def load_rome_codes(RomeCode=None) -> int:
    if RomeCode is None:
        from tremplin.territory.models import RomeCode

    with open(DATA_DIR / "rome.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    for row in rows:
        RomeCode.objects.update_or_create(code=row["code_rome"].strip(), defaults={"label": row["libelle"].strip()})
    return len(rows)


def load_all() -> dict:
    return {"communes": load_communes(), "qpv": load_qpvs(), "rome": load_rome_codes()}
