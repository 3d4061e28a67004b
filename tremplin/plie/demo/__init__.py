"""The PLIE's demo builder (run by tremplin.demo, see tremplin/core/modules.py): orientations, pathways, étapes,
interviews, contracts, exits and FSE+ questionnaires for the people it plans before the registry is drawn.

Volumes follow the 2023 activity report (seed 000), every year of the period; see tremplin.plie.demo.journeys."""

from collections import Counter
from datetime import date

from tremplin.demo.summary import number, percent
from tremplin.plie.demo.journeys import PlieDemo
from tremplin.plie.enums import POSITIVE_EXIT_KINDS, PathwayStatus, ReportCategory, StepKind
from tremplin.plie.models import (
    BusinessCreation,
    Contract,
    FseQuestionnaire,
    Interview,
    Orientation,
    Pathway,
    Step,
    report_category,
)

JOURNEY_RECORDS = (Step, Interview, Contract, BusinessCreation, FseQuestionnaire)


def plan(ctx) -> None:
    """Plan the journeys and draft their people: they register when they are oriented."""
    demo = ctx.state["plie"] = PlieDemo(ctx.people)
    ctx.people.drafts.extend(ctx.people.draft(plan=journey, planner=demo.follow_ups) for journey in demo.plan())


def build(ctx) -> list[str]:
    ctx.state["plie"].build(ctx.people.drafts)
    return summary(ctx.today)


def is_loaded(ctx) -> bool:
    return Pathway.objects.filter(proposed_organization__in=ctx.organization_ids).exists()


def delete(ctx) -> None:
    pathway_ids = list(Pathway.objects.filter(person__in=ctx.person_ids).values_list("pk", flat=True))
    for model in JOURNEY_RECORDS:
        model.objects.filter(pathway__in=pathway_ids).delete()
    Pathway.objects.filter(pk__in=pathway_ids).delete()
    Orientation.objects.filter(person__in=ctx.person_ids).delete()
    for model in JOURNEY_RECORDS:
        model.history.model.objects.filter(pathway_id__in=pathway_ids).delete()
    Pathway.history.model.objects.filter(id__in=pathway_ids).delete()
    Orientation.history.model.objects.filter(person_id__in=ctx.person_ids).delete()


def summary(today: date) -> list[str]:
    """French lines on the PLIE journeys: the last full year, as the activity report counts them."""
    year = today.year - 1
    start, end = date(year, 1, 1), date(year, 12, 31)
    pathways = Pathway.objects.all()
    accompanied = pathways.active_during(start, end)
    exits = pathways.exited_during(start, end)
    positive = exits.filter(exit_kind__in=POSITIVE_EXIT_KINDS).count()
    contracts = Contract.objects.filter(pathway__in=accompanied, started_on__range=(start, end))
    categories = Counter(
        report_category(c.contract_type, c.employer_kind, c.started_on, c.planned_or_actual_end) for c in contracts
    )
    supports = Step.objects.filter(
        pathway__in=accompanied, kind=StepKind.SPECIFIC_SUPPORT, started_on__range=(start, end)
    )
    orientations = Orientation.objects.all()
    return [
        f"PLIE : {number(pathways.entered().count())} parcours, dont {number(pathways.open().count())} en cours "
        f"({number(pathways.filter(status=PathwayStatus.ENTRY_PROPOSED).count())} entrées et "
        f"{number(pathways.filter(status=PathwayStatus.EXIT_PROPOSED).count())} sorties à valider en cellule) ; "
        f"{number(orientations.count())} orientations, dont "
        f"{number(orientations.filter(pathways__isnull=True).count())} sans entrée",
        f"PLIE en {year} : {number(accompanied.values('person').distinct().count())} personnes accompagnées, "
        f"{number(pathways.filter(entry_date__range=(start, end)).count())} entrées, "
        f"{number(exits.count())} sorties dont {percent(positive, exits.count())} positives, "
        f"{number(supports.count())} accompagnements spécifiques",
        f"Contrats signés en {year} : {number(sum(categories.values()))} ("
        + ", ".join(
            f"{label.lower()} : {categories[value]}" for value, label in ReportCategory.choices if categories[value]
        )
        + ")",
        f"Entretiens : {number(Interview.objects.count())} ; "
        f"questionnaires FSE+ : {number(FseQuestionnaire.objects.count())}",
    ]
