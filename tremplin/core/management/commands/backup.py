from django.core.management.base import BaseCommand, CommandError

from tremplin.core.backup import BackupError, backup, default_directory, prune


class Command(BaseCommand):
    help = (
        "Sauvegarde complète : la base de données (SQLite par son API de sauvegarde en ligne, PostgreSQL par "
        "pg_dump) et les fichiers déposés (MEDIA_ROOT), dans une archive .tar.gz avec les sommes de contrôle "
        "SHA-256 de son contenu. Voir docs/sauvegarde.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help=f"Dossier de l'archive, ou nom de l'archive (.tar.gz). Par défaut : {default_directory()}.",
        )
        parser.add_argument(
            "--keep",
            type=int,
            help="Ne garde que les N archives les plus récentes du dossier (les plus anciennes sont supprimées).",
        )

    def handle(self, *args, output=None, keep=None, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep doit valoir au moins 1.")
        try:
            report = backup(output=output)
        except BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            f"Sauvegarde écrite : {report.path} ({report.size / 1_000_000:.1f} Mo, base {report.vendor}, "
            f"{report.files} fichier(s) déposé(s))."
        )
        self.stdout.write(f"SHA-256 : {report.sha256} (aussi dans {report.path.name}.sha256)")
        if keep:
            for old in prune(report.path.parent, keep=keep):
                self.stdout.write(f"Ancienne sauvegarde supprimée : {old.name}")
