from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from tremplin.ops.models import BackgroundJob


class Command(BaseCommand):
    help = (
        "Supprime les tâches de fond terminées depuis plus de N jours, avec leur fichier résultat (un export peut "
        "contenir des données personnelles : il ne reste pas sur le serveur). Simulation sans --wet-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="Âge minimal en jours (défaut : 7).")
        parser.add_argument("--wet-run", action="store_true", help="Supprimer pour de bon.")

    def handle(self, *args, days, wet_run, **options):
        old = BackgroundJob.objects.filter(finished_at__lt=timezone.now() - timedelta(days=days))
        count = old.count()
        if not wet_run:
            self.stdout.write(f"{count} tâche(s) de fond terminée(s) depuis plus de {days} jours (simulation).")
            return
        for job in old.iterator():
            if job.file:
                job.file.delete(save=False)
            job.delete()
        self.stdout.write(f"{count} tâche(s) de fond supprimée(s), avec leur fichier.")
