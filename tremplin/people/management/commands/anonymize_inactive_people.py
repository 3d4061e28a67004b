from django.core.management.base import BaseCommand
from django.utils import timezone

from tremplin.people.retention import anonymise_person, retention_plan


class Command(BaseCommand):
    help = (
        "Anonymise les personnes qu'aucune structure ne suit depuis la durée de conservation "
        "(TREMPLIN_RETENTION_YEARS) et les fiches de l'archive restreinte dont l'obligation d'archivage FSE+ "
        "(TREMPLIN_FSE_ARCHIVE_YEARS) est échue. Simulation sans --wet-run : la liste dit quoi et pourquoi."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Anonymiser pour de bon.")
        parser.add_argument("--years", type=int, help="Durée de conservation en années (défaut : réglage).")

    def handle(self, *args, wet_run=False, years=None, **options):
        plan = retention_plan(today=timezone.localdate(), years=years)
        for decision in plan:
            self.stdout.write(decision.describe())
        to_anonymise = [decision.person for decision in plan if decision.anonymise]
        held = len(plan) - len(to_anonymise)
        self.stdout.write(
            f"{len(to_anonymise)} personne(s) à anonymiser, {held} conservée(s) dans l'archive restreinte."
        )
        if not wet_run:
            self.stdout.write("Simulation : relancez avec --wet-run pour anonymiser.")
            return
        for person in to_anonymise:
            anonymise_person(person=person)
        self.stdout.write(f"{len(to_anonymise)} personne(s) anonymisée(s).")
