"""Validators for French identifiers, each with a French message naming what is wrong."""

import re

from django.core.exceptions import ValidationError

from tremplin.core.text import digits

_PHONE_ALLOWED = re.compile(r"^[0-9 .+\-()]+$")


def normalize_french_phone(value: str) -> str:
    """Return the phone number as 10 digits ("0380123456"), or raise ValidationError.

    Accepts the usual spellings: 03 80 12 34 56, 03.80.12.34.56, +33 3 80 12 34 56, 0033380123456.
    """
    raw = (value or "").strip()
    if not raw:
        return ""
    if not _PHONE_ALLOWED.match(raw):
        raise ValidationError("Le numéro de téléphone ne doit contenir que des chiffres, espaces, points ou tirets.")
    number = digits(raw)
    if raw.startswith("+33") or number.startswith("0033"):
        number = "0" + number[4:] if number.startswith("0033") else "0" + number[2:]
        if number.startswith("00"):
            number = number[1:]
    elif raw.startswith("+"):
        raise ValidationError("Seuls les numéros français (+33 ou 0X XX XX XX XX) sont acceptés.")
    if len(number) != 10 or not number.startswith("0") or number[1] == "0":
        raise ValidationError("Numéro de téléphone invalide : 10 chiffres attendus, par exemple 03 80 12 34 56.")
    return number


def format_french_phone(number: str) -> str:
    return " ".join(number[i : i + 2] for i in range(0, len(number), 2)) if number else ""


def validate_postcode(value: str) -> None:
    if not re.fullmatch(r"\d{5}", value or ""):
        raise ValidationError("Code postal invalide : 5 chiffres attendus, par exemple 21000.")
    if value.startswith("00") or value.startswith("96") or value.startswith("99"):
        raise ValidationError("Code postal invalide : ce code ne correspond à aucun département.")


def luhn_ok(number: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(number)):
        n = int(char)
        if position % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


# La Poste's establishments share one SIREN and follow another checksum (sum of digits % 5),
# except the head office, whose SIRET follows the usual Luhn key.
LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"


def validate_siret(value: str) -> None:
    if not re.fullmatch(r"\d{14}", value or ""):
        raise ValidationError("SIRET invalide : 14 chiffres attendus, sans espace.")
    if value.startswith(LA_POSTE_SIREN) and value != LA_POSTE_HEAD_OFFICE:
        if sum(int(c) for c in value) % 5 != 0:
            raise ValidationError("SIRET invalide : la clé de contrôle ne correspond pas.")
        return
    if not luhn_ok(value[:9]):
        raise ValidationError("SIRET invalide : le numéro SIREN (9 premiers chiffres) a une clé de contrôle erronée.")
    if not luhn_ok(value):
        raise ValidationError("SIRET invalide : la clé de contrôle ne correspond pas.")
