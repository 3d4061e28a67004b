"""The FSE+ participant export (CSV and XLSX): one row per participation entered in the period.

Columns are documented in docs/fse-export.md. An empty cell means "not collected" (no
questionnaire, or no answer); "Ne souhaite pas répondre" is a value of its own. Every person
exported is logged in the personal-data access log (PersonAccess, action "export").
"""

from django.utils import timezone

from tremplin.core.exports import Column, csv_response, xlsx_response
from tremplin.people.models import PersonAccess
from tremplin.plie.fse import participant_rows
from tremplin.plie.perms import has_plie_access

DATE = "DD/MM/YYYY"


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Oui" if value else "Non")


def _answer(moment: str, field: str):
    """The label of a questionnaire answer, empty when the questionnaire or the answer is missing."""

    def value(row):
        questionnaire = getattr(row, moment)
        if questionnaire is None or not getattr(questionnaire, field):
            return ""
        return getattr(questionnaire, f"get_{field}_display")()

    return value


def _collected_on(moment: str):
    def value(row):
        questionnaire = getattr(row, moment)
        return questionnaire.collected_on if questionnaire else None

    return value


FSE_PARTICIPANT_COLUMNS = [
    # The participation and the person.
    Column("Identifiant de la participation", lambda r: r.pathway.pk),
    Column("Identifiant de la personne", lambda r: str(r.person.public_id)),
    Column("Nom", lambda r: r.person.last_name),
    Column("Prénom", lambda r: r.person.first_name),
    Column("Sexe", lambda r: r.person.get_sex_display()),
    Column("Date de naissance", lambda r: r.person.birth_date, DATE),
    Column("Âge à l'entrée", lambda r: r.age_at_entry),
    Column("Commune de résidence", lambda r: r.person.commune.name),
    Column("Code INSEE de la commune", lambda r: r.person.commune.insee_code),
    Column("Structure de suivi", lambda r: r.pathway.proposed_organization.name),
    Column("Date d'entrée", lambda r: r.pathway.entry_date, DATE),
    Column("Date de sortie", lambda r: r.pathway.exit_date if r.exited else None, DATE),
    Column("Motif de sortie", lambda r: r.pathway.get_exit_kind_display() if r.exited else ""),
    Column("Sortie positive", lambda r: _yes_no(r.pathway.is_positive_exit) if r.exited else ""),
    # Entry questionnaire.
    Column("Entrée – questionnaire recueilli le", _collected_on("entry"), DATE),
    Column("Entrée – recueilli dans les 4 semaines", lambda r: _yes_no(r.entry_on_time)),
    Column("Entrée – situation sur le marché du travail", _answer("entry", "labour_market_status")),
    Column("Entrée – niveau d'études (CITE)", _answer("entry", "isced_level")),
    Column("Entrée – situation du ménage", _answer("entry", "household")),
    Column("Entrée – handicap", _answer("entry", "disability")),
    Column("Entrée – ressortissant·e de pays tiers", _answer("entry", "third_country_national")),
    Column("Entrée – origine étrangère", _answer("entry", "foreign_background")),
    Column("Entrée – minorité", _answer("entry", "minority")),
    Column("Entrée – sans domicile ou exclu·e du logement", _answer("entry", "homeless")),
    # Exit questionnaire.
    Column("Sortie – questionnaire recueilli le", _collected_on("exit"), DATE),
    Column("Sortie – situation sur le marché du travail", _answer("exit", "labour_market_status")),
    Column("Sortie – en recherche d'emploi", _answer("exit", "job_searching")),
    Column("Sortie – en études ou en formation", _answer("exit", "in_education")),
    Column("Sortie – qualification obtenue", _answer("exit", "qualification_gained")),
    Column("Sortie – en emploi, y compris indépendant", _answer("exit", "employed")),
    # Six months after the exit.
    Column("6 mois – questionnaire recueilli le", _collected_on("six_months"), DATE),
    Column("6 mois – situation sur le marché du travail", _answer("six_months", "labour_market_status")),
    Column("6 mois – en emploi, y compris indépendant", _answer("six_months", "employed")),
    Column("6 mois – situation améliorée", _answer("six_months", "improved_situation")),
]


def can_export_fse(user) -> bool:
    """The export holds sensitive answers (disability, minority...): PLIE roles that see sensitive
    facts only (coordination, assistance, direction, référents), each on their own scope."""
    return has_plie_access(user) and user.sees_sensitive_facts


def _log_export(rows, user) -> None:
    if user is None:
        return
    person_ids = {row.person.pk for row in rows}
    PersonAccess.objects.bulk_create(
        PersonAccess(person_id=pk, user=user, action=PersonAccess.Action.EXPORT) for pk in sorted(person_ids)
    )


def _filename(period) -> str:
    return f"tremplin-fse-participants-{period.start:%Y%m%d}-{period.end:%Y%m%d}"


def fse_participants_csv(*, user, period):
    """The FSE+ participant export as a CSV download (semicolons, UTF-8 with BOM)."""
    rows = participant_rows(user=user, period=period)
    _log_export(rows, user)
    return csv_response(rows, FSE_PARTICIPANT_COLUMNS, filename=_filename(period))


def fse_participants_xlsx(*, user, period):
    """The FSE+ participant export as an XLSX download."""
    rows = participant_rows(user=user, period=period)
    _log_export(rows, user)
    return xlsx_response(
        rows,
        FSE_PARTICIPANT_COLUMNS,
        filename=_filename(period),
        title="Participants FSE+",
        preamble=[
            f"Tremplin – participants FSE+ entrés dans le PLIE, {period.label}",
            f"Extrait le {timezone.localdate():%d/%m/%Y} par {user} ({user.email})"
            if user is not None
            else f"Extrait le {timezone.localdate():%d/%m/%Y}",
            "Case vide : non recueilli. « Ne souhaite pas répondre » : refus de répondre.",
        ],
    )
