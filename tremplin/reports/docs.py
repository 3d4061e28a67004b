"""docs/indicators.md is generated from the registry (`python manage.py indicators_doc`), so it cannot drift."""

from tremplin.reports.registry import PeriodKind, Unit, registry

HEADER = """# Indicateurs

<!-- Fichier généré par `python manage.py indicators_doc` depuis le registre des indicateurs :
     ne pas modifier à la main (un test vérifie qu'il est à jour). -->

Chaque indicateur a un identifiant stable, un libellé, une définition, une période, un
dénominateur quand c'est une part, et ses ventilations. Les parts et taux sont des fractions
entre 0 et 1 ; les heures gardent deux décimales. Une valeur vide (`null`) signifie « non
calculable » (par exemple un dénominateur nul), jamais zéro.

Obtenir les valeurs : page « Rapport d'activité » (PDF, XLSX, JSON), page « Indicateurs » (export XLSX),
ou `python manage.py activity_report --year 2023 --format json|xlsx|pdf|html --output FICHIER`
(aussi `--from` / `--to`). Chaque chiffre est comparé à la période précédente de même durée :
évolution = (N − N−1) / N−1 ; une période sans données (avant le premier enregistrement, au-delà du
dernier ou d'aujourd'hui) est signalée « données partielles » au lieu de 0.
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
        if indicator.key:
            lines.append("- **Chiffre clé** : oui (sommaire du rapport d'activité)")
        if indicator.records is not None:
            columns = ", ".join(column.label for column in indicator.record_columns)
            lines.append(f"- **Enregistrements** : listés ({columns})")
        else:
            lines.append(f"- **Enregistrements** : agrégat seulement — {indicator.aggregate_only}")
        lines.append(f"- **Définition** : {indicator.definition}\n")
    return "\n".join(lines).rstrip() + "\n"
