"""Recount every hours record (HoursRecord.counted_hours) after a change to the counting rules in code, or a
restore; `--check` only tells how many records differ from the computation (for operations and CI)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F

from tremplin.clauses.counting import annotate_counted_hours, refresh_counted_hours
from tremplin.clauses.models import HoursRecord
from tremplin.clauses.services import french_number

SHOWN = 10  # differing records listed by --check


class Command(BaseCommand):
    help = (
        "Recalcule les heures comptées de chaque relevé d'heures d'insertion selon les règles de comptage "
        "(tremplin/clauses/counting.py), après une modification de ces règles ou une restauration de la base, "
        "et indique combien ont changé. Avec --check, ne modifie rien : indique combien de relevés diffèrent "
        "du calcul et sort en erreur (code 1) s'il y en a."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Vérifie sans rien enregistrer ; code de sortie 1 si des heures comptées diffèrent du calcul.",
        )

    def handle(self, *args, check=False, **options):
        total = HoursRecord.objects.count()
        if check:
            self._check(total)
            return
        with transaction.atomic():
            changed = refresh_counted_hours()
        self.stdout.write(f"{total} relevé(s) d'heures recalculé(s) : {changed} modifié(s).")

    def _check(self, total):
        stale = annotate_counted_hours(HoursRecord.objects.all()).exclude(counted_hours=F("computed_hours"))
        count = stale.count()
        if not count:
            self.stdout.write(f"{total} relevé(s) d'heures : les heures comptées sont à jour.")
            return
        for pk, stored, computed in stale.order_by("pk").values_list("pk", "counted_hours", "computed_hours")[:SHOWN]:
            self.stdout.write(
                f"- relevé n° {pk} : {french_number(stored, decimals=2)} h enregistrées, "
                f"{french_number(computed, decimals=2)} h selon le calcul"
            )
        if count > SHOWN:
            self.stdout.write(f"- … et {count - SHOWN} autre(s).")
        raise CommandError(
            f"{count} relevé(s) d'heures sur {total} ont des heures comptées qui diffèrent du calcul : "
            "lancez « manage.py clauses_recount ».",
            returncode=1,
        )
