"""docs/indicators.md is generated from the registry (`python manage.py indicators_doc`), so it cannot drift."""

from tremplin.reports.registry import PeriodKind, Unit, registry

HEADER = """# Indicateurs

<!-- Fichier généré par `python manage.py indicators_doc` depuis le registre des indicateurs :
     ne pas modifier à la main (un test vérifie qu'il est à jour). -->

Chaque indicateur a un identifiant stable, un libellé, une définition, une période, un
dénominateur quand c'est une part, et ses ventilations. Les parts et taux sont des fractions
entre 0 et 1 ; les heures gardent deux décimales. Une valeur vide (`null`) signifie « non
calculable » (par exemple un dénominateur nul), jamais zéro.

Obtenir les valeurs : page « Indicateurs » (export XLSX), ou
`python manage.py activity_report --year 2023 --format json` (aussi `--from` / `--to`).
"""


def render_markdown() -> str:
    lines = [HEADER]
    for indicator in registry:
        lines.append(f"## `{indicator.id}` — {indicator.label}\n")
        lines.append(f"- **Domaine** : {indicator.area or '—'}")
        lines.append(f"- **Unité** : {Unit(indicator.unit).label}")
        lines.append(f"- **Période** : {PeriodKind(indicator.period_kind).label}")
        if indicator.denominator:
            lines.append(f"- **Dénominateur** : {indicator.denominator}")
        if indicator.breakdowns:
            lines.append(f"- **Ventilations** : {', '.join(indicator.breakdowns)}")
        lines.append(f"- **Définition** : {indicator.definition}\n")
    return "\n".join(lines).rstrip() + "\n"
