from django.core.management.base import BaseCommand

from tremplin.accounts.two_factor import DEMO_KEY, demo_code, secret


class Command(BaseCommand):
    help = (
        "Affiche le code à usage unique du moment pour les comptes de démonstration qui exigent la double "
        "authentification (coordination, assistance, direction, admin). Ce code vient de la clé publique de "
        "démonstration : il n'ouvre aucun compte réel."
    )

    def handle(self, *args, **options):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        key = secret(TOTPDevice(key=DEMO_KEY))
        self.stdout.write(f"Code de démonstration : {demo_code()} (valable 30 secondes ; clé {key})")
