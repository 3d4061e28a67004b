from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from config.routers import using_replica
from tremplin.reports.exports import report_workbook
from tremplin.reports.printing import report_html, report_json, report_pdf
from tremplin.reports.registry import Period, registry
from tremplin.reports.report import build_report


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise CommandError(f"Date invalide : « {value} ». Format attendu : AAAA-MM-JJ, par exemple 2023-01-31.") from e


class Command(BaseCommand):
    help = "Calcule les indicateurs du rapport d'activité pour une année ou une période."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="Année civile, par exemple 2023.")
        parser.add_argument("--from", dest="start", help="Début de la période (AAAA-MM-JJ).")
        parser.add_argument("--to", dest="end", help="Fin de la période (AAAA-MM-JJ).")
        parser.add_argument("--format", choices=["json", "text", "xlsx", "pdf", "html"], default="text")
        parser.add_argument("--output", help="Fichier de sortie (obligatoire pour xlsx et pdf).")
        parser.add_argument("--only", action="append", help="Identifiant d'indicateur (répétable).")

    def handle(self, *args, year=None, start=None, end=None, format="text", output=None, only=None, **options):
        period = self._period(year, start, end)
        indicators = list(registry)
        if only:
            unknown = sorted(set(only) - {i.id for i in indicators})
            if unknown:
                raise CommandError(f"Indicateur inconnu : {', '.join(unknown)}.")
            indicators = [i for i in indicators if i.id in only]
        if format in ("xlsx", "pdf") and not output:
            raise CommandError(f"--output est obligatoire avec --format {format}.")
        # The command line is run by the operators of the platform: it sees every record.
        # Heavy reads go to the replica when one is set (config/routers.py).
        if format != "text":
            with using_replica():
                report = build_report(
                    period=period,
                    user=None,
                    today=timezone.localdate(),
                    indicators=indicators,
                    with_charts=format != "json",
                )
        if format == "json":
            self._write(report_json(report), output)
        elif format == "xlsx":
            report_workbook(report).save(output)
            self.stdout.write(f"{len(report.comparisons)} indicateurs écrits dans {output}.")
        elif format == "pdf":
            with open(output, "wb") as f:
                f.write(report_pdf(report))
            self.stdout.write(f"Rapport d'activité ({period.label}) écrit dans {output}.")
        elif format == "html":
            self._write(report_html(report), output)
        else:
            with using_replica():
                results = registry.evaluate_all(period=period, user=None, indicators=indicators)
            lines = [f"Indicateurs, {period.label}"]
            for r in results:
                denominator = f" (sur {r.figure.denominator})" if r.figure.denominator is not None else ""
                lines.append(f"- {r.indicator.id} – {r.indicator.label} : {r.figure.value}{denominator}")
                for label, value in (r.figure.breakdown or {}).items():
                    lines.append(f"    · {label} : {value}")
            self._write("\n".join(lines), output)

    def _period(self, year, start, end) -> Period:
        if year and (start or end):
            raise CommandError("Indiquez soit --year, soit --from et --to, pas les deux.")
        if year:
            return Period.year(year)
        if not (start and end):
            raise CommandError("Indiquez --year AAAA, ou --from AAAA-MM-JJ et --to AAAA-MM-JJ.")
        start, end = _date(start), _date(end)
        if end < start:
            raise CommandError("La date --to doit suivre la date --from.")
        return Period(start, end)

    def _write(self, text, output):
        if output:
            with open(output, "w", encoding="utf-8") as f:
                f.write(text + "\n")
        else:
            self.stdout.write(text)
