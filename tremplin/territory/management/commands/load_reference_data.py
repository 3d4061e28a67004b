from django.core.management.base import BaseCommand

from tremplin.territory.reference import load_all


class Command(BaseCommand):
    help = "Charge les référentiels livrés avec l'application (communes de Côte-d'Or, QPV, codes ROME)."

    def handle(self, *args, **options):
        counts = load_all()
        self.stdout.write(
            f"Référentiels chargés : {counts['communes']} communes, {counts['qpv']} QPV, {counts['rome']} codes ROME."
        )
