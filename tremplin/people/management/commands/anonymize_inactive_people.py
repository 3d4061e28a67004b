from django.core.management.base import BaseCommand
from django.utils import timezone

from tremplin.people.retention import anonymise_person, archive_person, retention_plan


class Command(BaseCommand):
    help = (
        "Au bout de la durée de conservation sans suivi (TREMPLIN_RETENTION_YEARS), place dans l'archive "
        "restreinte les personnes suivies dans un dispositif cofinancé par le FSE+ (TREMPLIN_FSE_PROGRAMMES) et "
        "anonymise les autres ; anonymise les fiches de l'archive restreinte dont l'obligation d'archivage FSE+ "
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
        to_archive = [decision.person for decision in plan if decision.archive]
        held = len(plan) - len(to_anonymise) - len(to_archive)
        self.stdout.write(
            f"{len(to_anonymise)} personne(s) à anonymiser, {len(to_archive)} à placer dans l'archive restreinte, "
            f"{held} conservée(s) dans l'archive restreinte."
        )
        if not wet_run:
            self.stdout.write("Simulation : relancez avec --wet-run pour anonymiser et archiver.")
            return
        today = timezone.localdate()
        for person in to_archive:
            archive_person(person=person, today=today)
        for person in to_anonymise:
            anonymise_person(person=person)
        self.stdout.write(
            f"{len(to_anonymise)} personne(s) anonymisée(s), {len(to_archive)} placée(s) dans l'archive restreinte."
        )
