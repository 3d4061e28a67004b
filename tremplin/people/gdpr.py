"""GDPR right of access and portability: everything Tremplin holds about one person.

Each module registers the section it holds (`@section("PLIE")`), so that the export stays
complete as modules are added.
"""

from collections.abc import Callable

from django.forms.models import model_to_dict

_SECTIONS: list[tuple[str, Callable]] = []


def section(title: str):
    def decorator(func):
        _SECTIONS.append((title, func))
        return func

    return decorator


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "hex") and not isinstance(value, (bytes, str)):
        return str(value)
    return value


def rows(queryset, fields):
    return [{f: _plain(v) for f, v in model_to_dict(obj, fields=fields).items()} for obj in queryset]


@section("Identité et coordonnées")
def _identity(person):
    data = {f: _plain(v) for f, v in model_to_dict(person, exclude=["id"]).items()}
    data["public_id"] = str(person.public_id)
    data["commune"] = person.commune.name
    data["registered_on"] = person.registered_on.isoformat()
    return data


@section("Situations")
def _facts(person):
    return [
        {
            "situation": fact.get_kind_display(),
            "valeur": fact.value_label,
            "depuis": _plain(fact.started_on),
            "jusqu_au": _plain(fact.ended_on),
            "source": fact.source,
        }
        for fact in person.facts.select_related("qpv")
    ]


@section("Suivis")
def _follow_ups(person):
    return [
        {
            "dispositif": f.get_programme_display(),
            "structure": f.organization.name,
            "referent": str(f.referent) if f.referent else None,
            "prescripteur": f.prescriber.name if f.prescriber else None,
            "debut": _plain(f.started_on),
            "fin": _plain(f.ended_on),
        }
        for f in person.follow_ups.select_related("organization", "referent", "prescriber")
    ]


@section("Consultations de la fiche")
def _accesses(person):
    return [
        {"le": _plain(a.at), "par": str(a.user) if a.user else None, "action": a.get_action_display()}
        for a in person.accesses.select_related("user")
    ]


def personal_data(person) -> dict:
    return {title: func(person) for title, func in _SECTIONS}


# Anonymisation: each module registers how to strip identifying text from what it holds.
_ANONYMISERS: list[Callable] = []


def anonymiser(func):
    _ANONYMISERS.append(func)
    return func


@anonymiser
def _anonymise_facts(person):
    from tremplin.people.models import SituationFact

    person.facts.update(source="")
    SituationFact.history.filter(person_id=person.pk).update(source="")


def run_anonymisers(person):
    for func in _ANONYMISERS:
        func(person)
