"""GDPR right of access and portability: everything Tremplin holds about one person.

Each module registers the sections it holds (`@section("Parcours PLIE")`, from its own `gdpr.py`,
imported by its AppConfig.ready) and how to anonymise them (`@anonymiser`), so that the export and the
anonymisation stay complete as modules are added; people never imports the modules above it.
A section is called with the person and the user who asks (`user=None`: the command line), and returns
a dict or a list of dicts whose keys are French labels.
"""

import inspect
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


def personal_data(person, *, user=None) -> dict:
    data = {}
    for title, func in _SECTIONS:
        takes_user = "user" in inspect.signature(func).parameters
        data[title] = func(person, user=user) if takes_user else func(person)
    return data


def labelled_rows(queryset, *, exclude=("id", "created_at", "updated_at")) -> list[dict]:
    """Every field of each row, under its French label, with the label of a choice and the name of a
    related record: what a module's section returns."""
    rows_out = []
    for obj in queryset:
        row = {}
        for field in obj._meta.concrete_fields:
            if field.name in exclude:
                continue
            label = str(field.verbose_name)
            if field.choices:
                value = getattr(obj, f"get_{field.name}_display")()
            elif field.is_relation:
                related = getattr(obj, field.name)
                value = str(related) if related is not None else None
            else:
                value = getattr(obj, field.name)
                if hasattr(value, "name") and hasattr(value, "storage"):  # a file: its name, not its bytes
                    value = value.name.rsplit("/", 1)[-1] if value else ""
            row[label[:1].upper() + label[1:]] = _plain(value)
        rows_out.append(row)
    return rows_out


def erase_texts(queryset, fields: list[str]) -> None:
    """Blank free-text fields on rows and on their change-history rows (django-simple-history)."""
    model = queryset.model
    ids = list(queryset.values_list("pk", flat=True))
    if not ids:
        return
    blank = {name: "" for name in fields}
    model.objects.filter(pk__in=ids).update(**blank)
    history = getattr(model, "history", None)
    if history is not None:
        history.filter(id__in=ids).update(**blank)


def delete_files(queryset, field: str) -> None:
    """Remove uploaded files (a CV, a payslip) from the storage and from the rows and their history."""
    model = queryset.model
    ids = []
    for obj in queryset:
        stored = getattr(obj, field)
        if stored:
            stored.storage.delete(stored.name)
        ids.append(obj.pk)
    if ids:
        model.objects.filter(pk__in=ids).update(**{field: ""})
        history = getattr(model, "history", None)
        if history is not None:
            history.filter(id__in=ids).update(**{field: ""})


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


# The dates at which figures compute a person's age (entry, exit, placement...): each module registers
# those it holds, so that anonymisation can blur the day of birth without changing any past age.
_REFERENCE_DATES: list[Callable] = []


def reference_dates(func):
    _REFERENCE_DATES.append(func)
    return func


@reference_dates
def _registry_dates(person):
    dates = [person.registered_on]
    for started_on, ended_on in person.follow_ups.values_list("started_on", "ended_on"):
        dates += [started_on, ended_on]
    for started_on, ended_on in person.facts.values_list("started_on", "ended_on"):
        dates += [started_on, ended_on]
    return dates


def dates_of(person) -> list:
    return [day for func in _REFERENCE_DATES for day in func(person) if day is not None]


def run_anonymisers(person):
    for func in _ANONYMISERS:
        func(person)
