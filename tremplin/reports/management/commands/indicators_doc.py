from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from tremplin.reports.docs import render_markdown

DOC_PATH = Path(settings.BASE_DIR) / "docs" / "indicators.md"


class Command(BaseCommand):
    help = "Régénère docs/indicators.md depuis le registre des indicateurs."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Échoue si le fichier n'est pas à jour.")

    def handle(self, *args, check=False, **options):
        content = render_markdown()
        if check:
            if not DOC_PATH.exists() or DOC_PATH.read_text(encoding="utf-8") != content:
                self.stderr.write("docs/indicators.md n'est pas à jour : lancez `python manage.py indicators_doc`.")
                raise SystemExit(1)
            self.stdout.write("docs/indicators.md est à jour.")
            return
        DOC_PATH.write_text(content, encoding="utf-8")
        self.stdout.write(f"{DOC_PATH.relative_to(settings.BASE_DIR)} écrit.")
