"""Each cell of a PLIE import file parsed into its value, or _CellError with a French message."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from tremplin.core.text import fold
from tremplin.core.validators import normalize_french_phone
from tremplin.people.enums import EducationLevel, Sex
from tremplin.plie.enums import (
    PLIE_CONTRACT_CHOICES,
    Barrier,
    ContractType,
    EmployerKind,
    ExitKind,
    StepKind,
)
from tremplin.plie.imports.columns import MAX_WEEKLY_HOURS
from tremplin.plie.imports.report import _d, _uncapitalise


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    """A cell as text: numbers without a useless ".0", dates as JJ/MM/AAAA."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return _d(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\xa0", " ").strip()


# --- Values: parsing each cell -------------------------------------------------------------------


class _CellError(Exception):
    pass


def _choices(enum, aliases=()) -> dict[str, str]:
    """Folded value, label and label without its parentheses (or its "Sortie positive – " prefix) -> value.

    `enum`: a TextChoices, or the (value, label) list of the choices the import accepts."""
    found = {}
    for value, label in getattr(enum, "choices", enum):
        found[fold(value)] = value
        found[fold(label)] = value
        found[fold(re.sub(r"\(.*?\)", "", label))] = value
        if " – " in label:
            found.setdefault(fold(label.split(" – ", 1)[1]), value)
    for alias, value in aliases:
        found[fold(alias)] = value
    return found


SEXES = _choices(Sex, [("H", Sex.MAN), ("femme", Sex.WOMAN), ("homme", Sex.MAN), ("non binaire", Sex.NON_BINARY)])
EXIT_KINDS = _choices(ExitKind)
CONTRACT_TYPES = _choices(
    PLIE_CONTRACT_CHOICES,
    [
        # The labels of the PLIE's own list before the shared vocabulary (files made from older templates).
        ("Intérim d'insertion (CTTI, ETTI)", ContractType.CTTI),
        ("Intérim d'insertion", ContractType.CTTI),
        ("CDDI (EI, ACI)", ContractType.CDDI),
        ("Autre contrat", ContractType.OTHER),
        ("intérim", ContractType.INTERIM),
        ("mission intérim", ContractType.INTERIM),
        ("CTTI", ContractType.CTTI),
        ("CDDI", ContractType.CDDI),
        ("contrat pro", ContractType.PROFESSIONALISATION),
        ("professionnalisation", ContractType.PROFESSIONALISATION),
        ("apprentissage", ContractType.APPRENTICESHIP),
        ("contrat aidé", ContractType.SUBSIDISED),
        ("PEC", ContractType.SUBSIDISED),
        ("CUI", ContractType.SUBSIDISED),
        ("autre", ContractType.OTHER),
    ],
)
EMPLOYER_KINDS = _choices(
    EmployerKind,
    [("ordinaire", EmployerKind.ORDINARY), ("entreprise", EmployerKind.ORDINARY), ("public", EmployerKind.PUBLIC)],
)
EDUCATION_LEVELS = _choices(
    EducationLevel,
    [
        ("sans diplôme", EducationLevel.NONE),
        ("aucun", EducationLevel.NONE),
        ("niveau 1", EducationLevel.NONE),
        ("niveau 2", EducationLevel.NONE),
        ("CAP", EducationLevel.LEVEL_3),
        ("BEP", EducationLevel.LEVEL_3),
        ("CAP BEP", EducationLevel.LEVEL_3),
        ("bac", EducationLevel.LEVEL_4),
        ("baccalauréat", EducationLevel.LEVEL_4),
        ("bac + 2", EducationLevel.LEVEL_5),
        ("BTS", EducationLevel.LEVEL_5),
        ("DUT", EducationLevel.LEVEL_5),
        ("licence", EducationLevel.LEVEL_6),
        ("bac + 3", EducationLevel.LEVEL_6),
        ("master", EducationLevel.LEVEL_7),
        ("bac + 5", EducationLevel.LEVEL_7),
        ("doctorat", EducationLevel.LEVEL_8),
        # The former nomenclature (1969), still used by older tools: V = CAP/BEP.
        ("VI", EducationLevel.NONE),
        ("V bis", EducationLevel.NONE),
        ("Vbis", EducationLevel.NONE),
        ("V", EducationLevel.LEVEL_3),
        ("IV", EducationLevel.LEVEL_4),
        ("III", EducationLevel.LEVEL_5),
        ("II", EducationLevel.LEVEL_6),
        ("I", EducationLevel.LEVEL_7),
    ]
    + [(f"niveau {level}", level) for level in ("3", "4", "5", "6", "7", "8")],
)
# "Formation" alone: the column "Formation qualifiante (oui/non)" tells which one.
ANY_TRAINING = "training"
TRAINING_KINDS = {StepKind.TRAINING_PREQUALIFYING, StepKind.TRAINING_QUALIFYING, StepKind.TRAINING_CERTIFYING}
STEP_KINDS = _choices(
    StepKind,
    [
        ("formation", ANY_TRAINING),
        ("PMSMP", StepKind.IMMERSION),
        ("immersion", StepKind.IMMERSION),
        ("projet professionnel", StepKind.PROJECT),
        ("accompagnement spécifique", StepKind.SPECIFIC_SUPPORT),
        ("formation pré qualifiante", StepKind.TRAINING_PREQUALIFYING),
        ("formation préqualifiante", StepKind.TRAINING_PREQUALIFYING),
    ],
)
BARRIERS = _choices(Barrier, [("santé", Barrier.HEALTH), ("français", Barrier.LANGUAGE)])
YES_NO = {"oui": True, "o": True, "yes": True, "1": True, "x": True, "vrai": True, "non": False, "n": False}
YES_NO.update({"no": False, "0": False, "faux": False})

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


def _parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = _text(value)
    match = _DMY.match(raw)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO.match(raw)
        if not match:
            raise _CellError(f"date illisible « {raw} » : format attendu JJ/MM/AAAA")
        year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError as e:
        raise _CellError(f"date impossible « {raw} »") from e


def _parse_choice(value, choices, what) -> str:
    raw = _text(value)
    found = choices.get(fold(raw))
    if found is None:
        raise _CellError(f"{what} inconnu « {raw} » : voir les valeurs admises dans l'onglet « Aide » du modèle")
    return found


def _parse_hours(value) -> Decimal:
    raw = _text(value)
    cleaned = re.sub(r"\s*(h|heures?)$", "", raw.replace(" ", "").replace(",", "."), flags=re.IGNORECASE)
    try:
        hours = Decimal(cleaned)
    except InvalidOperation as e:
        raise _CellError(f"« {raw} » n'est pas un nombre d'heures") from e
    if not hours.is_finite() or hours <= 0 or hours > MAX_WEEKLY_HOURS:
        raise _CellError(f"« {raw} » heures par semaine : la valeur doit être supérieure à 0 et au plus 60")
    return hours.quantize(Decimal("0.01"))


def _parse_label(value) -> str:
    """A free text of a record (a title, a name, an evidence): 200 characters at most, as the model keeps them."""
    raw = _text(value)
    if len(raw) > 200:
        raise _CellError(f"{len(raw)} caractères : 200 au plus")
    return raw


def _parse_siret(value) -> str:
    raw = _text(value).replace(" ", "")
    if isinstance(value, int | float) and len(raw) == 13:
        raw = "0" + raw
    if len(raw) != 14 or not raw.isascii() or not raw.isdigit():
        raise _CellError(f"SIRET invalide « {_text(value)[:30]} » : 14 chiffres")
    return raw


def _parse_phone(value) -> str:
    raw = _text(value)
    if isinstance(value, int | float) and len(raw) == 9:
        raw = "0" + raw  # Excel drops the leading zero of a number typed as a number
    try:
        return normalize_french_phone(raw)
    except ValidationError as e:
        raise _CellError(_uncapitalise(e.messages[0])) from e


def _parse_postcode(value) -> str:
    raw = _text(value)
    if isinstance(value, int | float) and len(raw) == 4:
        raw = "0" + raw
    return raw
