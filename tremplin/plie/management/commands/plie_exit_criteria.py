"""For every participant in a PLIE pathway at a date: which positive-exit criterion is met, since when, and why."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Prefetch
from django.utils import timezone

from tremplin.people.enums import Programme
from tremplin.people.models import FollowUp
from tremplin.plie.exits import assess_exit
from tremplin.plie.models import Pathway

CHUNK_SIZE = 500


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise CommandError(f"Date invalide : « {value} ». Format attendu : AAAA-MM-JJ, par exemple 2024-06-30.") from e


def _structure(pathway: Pathway, at: date) -> str:
    """The structure following the pathway on `at` (its PLIE follow-up), else the one proposed at entry."""
    follow_ups = [
        f for f in pathway.person.plie_follow_ups if f.started_on <= at and (f.ended_on is None or f.ended_on >= at)
    ]
    if follow_ups:
        return max(follow_ups, key=lambda f: f.started_on).organization.name
    return pathway.proposed_organization.name


def pathways_in_pathway_on(at: date):
    return (
        Pathway.objects.in_pathway_on(at)
        .select_related("person", "proposed_organization")
        .prefetch_related(
            "contracts",
            "steps",
            "businesses",
            Prefetch(
                "person__follow_ups",
                queryset=FollowUp.objects.filter(programme=Programme.PLIE).select_related("organization"),
                to_attr="plie_follow_ups",
            ),
        )
        .order_by("entry_date", "pk")
    )


def exit_criteria(at: date, *, only_met: bool = False):
    """One dict per participant in a pathway on `at`: identification, then ExitAssessment.as_dict()."""
    for pathway in pathways_in_pathway_on(at).iterator(chunk_size=CHUNK_SIZE):
        assessment = assess_exit(pathway, at)
        if only_met and not assessment.met:
            continue
        yield {
            "pathway_id": pathway.pk,
            "person": {"public_id": str(pathway.person.public_id), "name": pathway.person.full_name},
            "entry_date": pathway.entry_date.isoformat(),
            "structure": _structure(pathway, at),
            **assessment.as_dict(),
        }


class Command(BaseCommand):
    help = (
        "Pour chaque participant·e en parcours PLIE à une date, indique le critère de sortie positive rempli "
        "(CDI, CDD, intérim, contrat aidé, ACI 55 ans et plus, formation, création d'entreprise), "
        "depuis quand, pourquoi et avec quels contrats."
    )

    def add_arguments(self, parser):
        parser.add_argument("--at", help="Date d'évaluation (AAAA-MM-JJ) ; par défaut, aujourd'hui.")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="Format de sortie.")
        parser.add_argument(
            "--only-met", action="store_true", help="Ne lister que les participant·e·s qui remplissent un critère."
        )

    def handle(self, *args, at=None, format="text", only_met=False, **options):
        at = _date(at) if at else timezone.localdate()
        rows = exit_criteria(at, only_met=only_met)
        if format == "json":
            self.stdout.write(json.dumps(list(rows), ensure_ascii=False, indent=2))
            return
        count = met = 0
        for row in rows:
            count += 1
            met += row["rule"] is not None
            self.stdout.write(self._text(row))
        if only_met:
            self.stdout.write(f"{count} participant·e(s) remplissant un critère de sortie positive au {at:%d/%m/%Y}.")
        else:
            self.stdout.write(
                f"{count} participant·e(s) en parcours au {at:%d/%m/%Y}, "
                f"dont {met} remplissant un critère de sortie positive."
            )

    @staticmethod
    def _text(row) -> str:
        entry = date.fromisoformat(row["entry_date"])
        lines = [
            f"{row['person']['name']} – parcours n° {row['pathway_id']}, entré·e le {entry:%d/%m/%Y}, "
            f"suivi·e par {row['structure']}",
            f"  {row['explanation']}",
        ]
        lines += [f"  · {record['label']}" for record in row["records"]]
        lines += [f"  En attente : {pending['reason']}" for pending in row["pending"]]
        return "\n".join(lines)
