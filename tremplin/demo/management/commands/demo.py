from django.core.management.base import BaseCommand, CommandError

from tremplin.demo.context import DemoError
from tremplin.demo.data import LEAD_NAME
from tremplin.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Charge le jeu de données de démonstration (Creativ' et ses partenaires à Dijon, environ 6 000 personnes "
        "avec leurs parcours PLIE et les clauses d'insertion). "
        "Sans effet si la démonstration est déjà chargée : la commande affiche alors les utilisateurs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Supprime les données de démonstration (structures, utilisateurs et personnes) puis les recharge.",
        )

    def handle(self, *args, reset=False, **options):
        try:
            report = load_demo(reset=reset)
        except DemoError as e:
            raise CommandError(str(e)) from e
        if report.created:
            self.stdout.write(self.style.SUCCESS(f"Données de démonstration chargées en {report.seconds:.1f} s."))
            for line in report.summary:
                self.stdout.write(f"- {line}")
        else:
            self.stdout.write(
                f"Les données de démonstration sont déjà chargées (la structure « {LEAD_NAME} » existe). "
                "Utilisez --reset pour les recharger."
            )
        self._second_factor()
        self.stdout.write("")
        self.stdout.write(f"Utilisateurs de démonstration (mot de passe commun : {report.password}) :")
        header = ("E-mail", "Nom", "Rôle", "Structure", "Mot de passe")
        rows = [(u.email, u.name, u.role, u.structure, report.password) for u in report.users]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for index, row in enumerate([header, *rows]):
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))

    def _second_factor(self):
        """Coordination, assistance, direction and admin give a TOTP code after their password: their demo
        accounts share the published demo key (tremplin.accounts.two_factor)."""
        from django.conf import settings
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from tremplin.accounts.models import User
        from tremplin.accounts.two_factor import DEMO_KEY, give_demo_devices, secret
        from tremplin.demo.data import EMAIL_DOMAIN

        give_demo_devices(User.objects.filter(email__iendswith="@" + EMAIL_DOMAIN))
        if not settings.TREMPLIN_REQUIRE_2FA:
            return
        self.stdout.write("")
        self.stdout.write(
            "Double authentification : après leur mot de passe, les comptes de coordination, d'assistance, de "
            "direction et l'admin donnent un code à 6 chiffres. Code du moment : « python manage.py demo_code », "
            f"ou ajoutez la clé de démonstration {secret(TOTPDevice(key=DEMO_KEY))} à une application "
            "d'authentification."
        )
