from django.db.models import Count, Min

from tremplin.people.enums import FactKind, Sex
from tremplin.people.models import Person, SituationFact
from tremplin.reports.registry import Figure, PeriodKind, RecordColumn, Unit, registry, share


def coverage(user):
    """(first registration, up to today): before the first registration the register holds no data."""
    return (Person.objects.aggregate(first=Min("registered_on"))["first"], None)


def _registered(*, period, user):
    return Person.objects.counted_for(user).registered_by(period.end)


def registered_records(*, period, user):
    """The people registered at the end of the period whom the user may read."""
    visible = Person.objects.all() if user is None else Person.objects.visible_to(user)
    return (
        _registered(period=period, user=user).filter(pk__in=visible.values("pk")).order_by("last_name", "first_name")
    )


PERSON_COLUMNS = (
    RecordColumn("Personne", lambda p: p.full_name, lambda p: p.get_absolute_url()),
    RecordColumn("Inscrite le", lambda p: p.registered_on),
)


@registry.indicator(
    id="people.count",
    key=True,
    label="Personnes inscrites au registre",
    definition=(
        "Personnes inscrites au registre commun à la date de fin de la période (date d'inscription "
        "antérieure ou égale à cette date), hors personnes effacées au titre du RGPD."
    ),
    unit=Unit.COUNT,
    period_kind=PeriodKind.SNAPSHOT,
    breakdowns=("sexe",),
    area="Registre des personnes",
    coverage=coverage,
    records=registered_records,
    record_columns=PERSON_COLUMNS,
)
def people_count(*, period, user):
    people = _registered(period=period, user=user)
    by_sex = dict(people.values_list("sex").annotate(n=Count("pk")).order_by())
    breakdown = {label: by_sex.get(value, 0) for value, label in Sex.choices}
    return Figure(value=sum(by_sex.values()), breakdown=breakdown)


@registry.indicator(
    id="people.qpv_share",
    label="Part des personnes résidant en quartier prioritaire (QPV)",
    definition=(
        "Parmi les personnes inscrites au registre à la fin de la période, part de celles qui résident "
        "dans un quartier prioritaire à cette date (fait de situation « résidence en QPV » en cours, "
        "hors « ne souhaite pas répondre »). Ventilation : part de chaque quartier, sur le même dénominateur."
    ),
    unit=Unit.SHARE,
    period_kind=PeriodKind.SNAPSHOT,
    denominator="personnes inscrites au registre à la fin de la période (people.count)",
    breakdowns=("quartier",),
    area="Registre des personnes",
    coverage=coverage,
    records=registered_records,
    record_columns=PERSON_COLUMNS,
)
def people_qpv_share(*, period, user):
    people = _registered(period=period, user=user)
    total = people.count()
    facts = (
        SituationFact.objects.filter(kind=FactKind.QPV_RESIDENCE, person__in=people)
        .at(period.end)
        .asserted()
        .exclude(qpv__isnull=True)
    )
    per_qpv = facts.values_list("qpv__name", "qpv__commune__name").annotate(n=Count("person", distinct=True))
    breakdown = {f"{name} ({commune})": share(n, total) for name, commune, n in per_qpv.order_by("qpv__name")}
    residents = facts.values("person").distinct().count()
    return Figure(value=share(residents, total), denominator=total, breakdown=breakdown)
