from django.core.management.base import BaseCommand, CommandError

from tremplin.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restaure une archive de `manage.py backup` : vérifie d'abord chaque somme de contrôle, puis remplace "
        "la base de données et les fichiers déposés (les fichiers présents sont mis de côté, pas supprimés). "
        "Sans --wet-run, vérifie seulement l'archive (exercice de restauration) et ne modifie rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Archive .tar.gz écrite par manage.py backup.")
        parser.add_argument(
            "--wet-run",
            action="store_true",
            help="Restaure pour de bon : la base actuelle est remplacée par celle de l'archive.",
        )

    def handle(self, *args, archive, wet_run=False, **options):
        try:
            report = restore(archive, wet_run=wet_run)
        except BackupError as e:
            raise CommandError(str(e)) from e
        described = f"sauvegarde du {report.created_at}, base {report.vendor}, {report.files} fichier(s) déposé(s)"
        if not report.restored:
            self.stdout.write(
                f"Archive vérifiée, intacte ({described}). "
                "Rien n'a été modifié : relancez avec --wet-run pour restaurer."
            )
            return
        self.stdout.write(self.style.SUCCESS(f"Restauration terminée ({described})."))
        if report.previous_media:
            self.stdout.write(
                f"Les fichiers déposés présents avant la restauration sont dans {report.previous_media}."
            )
        if report.pending_migrations:
            self.stdout.write(
                f"La base restaurée attend {len(report.pending_migrations)} migration(s) : "
                "lancez « manage.py migrate »."
            )
        self.stdout.write("Vérifiez ensuite les heures comptées : « manage.py clauses_recount --check ».")
