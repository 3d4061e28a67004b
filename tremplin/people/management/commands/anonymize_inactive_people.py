from django.core.management.base import BaseCommand
from django.utils import timezone

from tremplin.people.retention import anonymise_person, inactive_people, retention_cutoff


class Command(BaseCommand):
    help = (
        "Anonymise les personnes qu'aucune structure ne suit depuis la durée de conservation "
        "(TREMPLIN_RETENTION_YEARS). Simulation sans --wet-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Anonymiser pour de bon.")
        parser.add_argument("--years", type=int, help="Durée de conservation en années (défaut : réglage).")

    def handle(self, *args, wet_run=False, years=None, **options):
        today = timezone.localdate()
        people = list(inactive_people(today=today, years=years).order_by("pk"))
        cutoff = retention_cutoff(today, years)
        self.stdout.write(f"{len(people)} personne(s) sans suivi depuis le {cutoff:%d/%m/%Y}.")
        if not wet_run:
            self.stdout.write("Simulation : relancez avec --wet-run pour anonymiser.")
            return
        for person in people:
            anonymise_person(person=person)
        self.stdout.write(f"{len(people)} personne(s) anonymisée(s).")
