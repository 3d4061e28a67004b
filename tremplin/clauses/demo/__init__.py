"""The clauses d'insertion's demo builder (run by tremplin.demo, see tremplin/core/modules.py): buyers, operations,
lots, companies, the candidates' pool, placements and monthly hours, at the scale of the 2023 activity report.
See tremplin.clauses.demo.builder."""

from datetime import date

from django.db import connection
from django.db.models import Count, Q

from tremplin.clauses.counting import refresh_counted_hours
from tremplin.clauses.demo.builder import ClausesDemo
from tremplin.clauses.demo.data import HIRE_CONTRACTS
from tremplin.clauses.enums import CandidateStatus, EvaluationStatus, Sector
from tremplin.clauses.models import (
    Candidate,
    CountingConvention,
    GlobalisationAgreement,
    HoursRecord,
    Lot,
    Market,
    Operation,
    Placement,
)
from tremplin.demo.summary import number, percent
from tremplin.people.enums import REFUSED, FactKind, Sex
from tremplin.people.models import Person, SituationFact
from tremplin.reports.registry import Period, registry
from tremplin.structures.models import Organization


def build(ctx) -> list[str]:
    ClausesDemo(ctx.people).build(ctx.people.drafts)
    # The monthly records are bulk inserted: their counted hours are set by the counting module at once,
    # planned from the statistics of the rows just inserted (PostgreSQL).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (HoursRecord, Placement, Lot, Market, Operation):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    refresh_counted_hours()
    return summary(ctx.today)


def is_loaded(ctx) -> bool:
    return Operation.objects.filter(buyer__in=ctx.organization_ids).exists()


def delete(ctx) -> None:
    """The operations of the demo's buyers, and whatever refers to its people and structures."""
    org_ids, person_ids = ctx.organization_ids, ctx.person_ids
    operation_ids = list(
        Operation.objects.filter(Q(buyer__in=org_ids) | Q(owner__in=org_ids)).values_list("pk", flat=True)
    )
    lot_ids = list(Lot.objects.filter(market__operation__in=operation_ids).values_list("pk", flat=True))
    placement_ids = list(
        Placement.objects.filter(Q(lot__in=lot_ids) | Q(person__in=person_ids) | Q(employer__in=org_ids))
        .values_list("pk", flat=True)
        .distinct()
    )
    candidate_ids = list(
        Candidate.objects.filter(Q(person__in=person_ids) | Q(prescriber__in=org_ids)).values_list("pk", flat=True)
    )
    agreement_ids = list(
        GlobalisationAgreement.objects.filter(operations__in=operation_ids).values_list("pk", flat=True).distinct()
    )
    records = HoursRecord.objects.filter(Q(placement__in=placement_ids) | Q(worked_on__in=operation_ids))
    records._raw_delete(records.db)  # tens of thousands of rows, nothing refers to them: no collector
    Placement.objects.filter(pk__in=placement_ids).delete()
    Candidate.objects.filter(pk__in=candidate_ids).delete()
    GlobalisationAgreement.objects.filter(pk__in=agreement_ids).delete()
    Operation.objects.filter(pk__in=operation_ids).delete()  # with conventions, markets and lots
    HoursRecord.history.model.objects.filter(placement_id__in=placement_ids).delete()
    Placement.history.model.objects.filter(id__in=placement_ids).delete()
    Candidate.history.model.objects.filter(id__in=candidate_ids).delete()
    GlobalisationAgreement.history.model.objects.filter(id__in=agreement_ids).delete()
    Lot.history.model.objects.filter(id__in=lot_ids).delete()
    for model in (CountingConvention, Market):
        model.history.model.objects.filter(operation_id__in=operation_ids).delete()
    Operation.history.model.objects.filter(id__in=operation_ids).delete()


def hours_number(value) -> str:
    """Hours as the indicators page writes them: 468 854,95."""
    return f"{value:,.2f}".replace(",", " ").replace(".", ",")


def summary(today: date) -> list[str]:
    """French lines on the clauses d'insertion: the volumes, and the last full year as the counting module
    counts it (monthly records; the CDI equivalences of a few conventions left aside)."""
    year = today.year - 1
    first, last = date(year, 1, 1), date(year, 12, 31)
    records = HoursRecord.objects.filter(month__range=(first, last))
    # The hours are the registered figure (clauses.hours_realised, as the indicators page shows it), not a
    # sum of their own: the demo once printed 465 855 h for a year whose figures said 468 854,95 h.
    realised = registry.get("clauses.hours_realised").evaluate(period=Period.year(year)).figure
    hours = realised.value or 0
    sectors = realised.breakdown or {}
    counted = records.filter(counted_hours__gt=0)
    employees = Person.objects.filter(pk__in=counted.values("placement__person"))
    qpv_facts = (
        SituationFact.objects.filter(kind=FactKind.QPV_RESIDENCE, started_on__lte=last)
        .exclude(value=REFUSED)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
    )
    total = employees.count()
    women = employees.filter(sex=Sex.WOMAN).count()
    qpv = employees.filter(pk__in=qpv_facts.values("person")).count()
    operations = Operation.objects.filter(pk__in=counted.values("placement__lot__market__operation"))
    buyers = operations.values("buyer").distinct().count()
    employers = Organization.objects.filter(pk__in=counted.values("placement__employer")).count()
    hires = Placement.objects.filter(started_on__range=(first, last), contract__in=HIRE_CONTRACTS).count()
    candidates = dict(Candidate.objects.values_list("status").annotate(n=Count("pk")).order_by())
    due = Placement.objects.filter(evaluation_status=EvaluationStatus.TO_DO).count()
    btp, services = sectors.get(Sector.BTP.label) or 0, sectors.get(Sector.SERVICES.label) or 0
    return [
        f"Clauses d'insertion : {number(Operation.objects.count())} opérations, "
        f"{number(Lot.objects.count())} lots, {number(Placement.objects.count())} mises en emploi, "
        f"{number(HoursRecord.objects.count())} relevés d'heures ; {number(sum(candidates.values()))} candidatures, "
        f"dont {number(candidates.get(CandidateStatus.VALIDATED, 0))} "
        f"au vivier et {number(candidates.get(CandidateStatus.REFERRED, 0))} à recevoir ; {number(due)} évaluations "
        "tripartites à faire",
        f"Clauses en {year} : {hours_number(hours)} heures comptées (BTP {percent(btp, hours)}, services "
        f"{percent(services, hours)}), {number(operations.count())} opérations de {buyers} donneurs d'ordre, "
        f"{employers} employeurs, {number(total)} salarié·es (femmes {percent(women, total)}, QPV "
        f"{percent(qpv, total)}), {hires} embauches",
    ]
