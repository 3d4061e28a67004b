from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tremplin.accounts.models import User
from tremplin.plie.imports import import_file
from tremplin.plie.perms import is_cell_member


class Command(BaseCommand):
    help = (
        "Importe les participant·es, parcours, contrats, étapes et créations d'entreprise du PLIE depuis l'outil "
        "précédent (classeur XLSX du modèle d'import, ou CSV de son onglet « Participants »). Rien n'est enregistré "
        "si le fichier contient une erreur (code de sortie 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Classeur .xlsx du modèle, ou .csv de l'onglet « Participants » (UTF-8).")
        parser.add_argument(
            "--as",
            dest="as_email",
            required=True,
            metavar="EMAIL",
            help="Adresse e-mail du membre de la cellule qui importe (auteur des créations dans l'historique).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Vérifie le fichier sans rien enregistrer.")

    def handle(self, *args, file, as_email, dry_run=False, **options):
        user = User.objects.filter(email=as_email.lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"Aucun utilisateur actif n'a l'adresse « {as_email} ».")
        if not is_cell_member(user):
            raise CommandError(f"{user} n'est pas membre de la cellule de suivi : l'import lui est refusé.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        report = import_file(path.read_bytes(), by=user, filename=path.name, dry_run=dry_run)
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(
                f"Import refusé : {len(report.errors)} erreur(s), rien n'a été enregistré.", returncode=1
            )
        if report.written:
            self.stdout.write(self.style.SUCCESS("Import terminé."))
