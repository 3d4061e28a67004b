from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tremplin.accounts.models import User
from tremplin.clauses.hours import can_declare_hours, import_hours


class Command(BaseCommand):
    help = (
        "Importe un relevé mensuel d'heures d'insertion (fichier XLSX ou CSV du modèle), au nom d'un utilisateur "
        "qui déclare ces heures. Rien n'est enregistré si le fichier contient une erreur (code de sortie 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier .xlsx ou .csv (points-virgules, UTF-8).")
        parser.add_argument(
            "--as",
            dest="as_email",
            required=True,
            metavar="EMAIL",
            help="E-mail de l'utilisateur qui déclare (coordination, assistance, facilitation ou entreprise) : "
            "seules ses mises en emploi sont acceptées, et il est l'auteur des relevés dans l'historique.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Vérifie le fichier sans rien enregistrer.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Remplace les mois déjà saisis (sinon, un mois déjà saisi est une erreur).",
        )

    def handle(self, *args, file, as_email, dry_run=False, replace=False, **options):
        user = User.objects.filter(email=as_email.lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"Aucun utilisateur actif n'a l'adresse « {as_email} ».")
        if not can_declare_hours(user):
            raise CommandError(f"{user} ne déclare pas d'heures d'insertion : l'import lui est refusé.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        report = import_hours(path, by=user, filename=path.name, dry_run=dry_run, replace=replace)
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(
                f"Import refusé : {report.error_count} erreur(s), rien n'a été enregistré.", returncode=1
            )
        if not dry_run:
            self.stdout.write(self.style.SUCCESS("Import terminé."))
