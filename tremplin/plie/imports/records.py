"""The other sheets of a PLIE import workbook: étapes and business creations, each row tied to a person of the
"Participants" sheet by the three identity columns, and checked with the rules of the forms that record them
(plie.forms.StepForm, BusinessForm)."""

from tremplin.core.text import fold
from tremplin.plie.enums import StepKind
from tremplin.plie.imports.columns import STEP_SHEET
from tremplin.plie.imports.report import _d
from tremplin.plie.imports.values import ANY_TRAINING, TRAINING_KINDS
from tremplin.plie.models import BusinessCreation, Step

QUALIFYING = {StepKind.TRAINING_QUALIFYING, StepKind.TRAINING_CERTIFYING}


def attach(importer, groups, rows):
    """Each row of the other sheets to the group of its person, or an error naming its sheet and row."""
    by_key = {group.key: group for group in groups}
    for row in rows:
        key = importer.row_key(row)
        if key is None:
            continue
        group = by_key.get(key)
        if group is None:
            importer._fail(
                row,
                "last_name",
                f"aucune ligne de l'onglet « Participants » pour {row.text('first_name')} {row.text('last_name')}, "
                f"né·e le {_d(row.values['birth_date'])} : une ligne de cet onglet se rattache au parcours d'une "
                "personne de l'onglet « Participants »",
            )
            continue
        if group.rows:
            importer._warn_swapped(group.rows[0], row)
        (group.step_rows if row.sheet == STEP_SHEET.name else group.business_rows).append(row)


def build(importer, group):
    """The étapes and business creations of the group's pathway, not saved yet, once each is valid."""
    exit_date = group.values.get("exit_date")
    seen = {}
    for row in group.step_rows:
        step = _step(importer, row)
        if step is None:
            continue
        if _after_exit(importer, row, "step_start", step.started_on, exit_date, "l'étape commence"):
            continue
        identity = (step.kind, fold(step.title), step.started_on)
        if identity in seen:
            importer._fail(row, "step_start", f"même étape que la ligne {seen[identity]} de l'onglet")
            continue
        seen[identity] = row.number
        group.steps.append((row, step))
    seen = {}
    for row in group.business_rows:
        business = _business(importer, row)
        if business is None:
            continue
        if _after_exit(
            importer, row, "business_registered", business.registered_on, exit_date, "l'entreprise est immatriculée"
        ):
            continue
        identity = (fold(business.name), business.registered_on)
        if identity in seen:
            importer._fail(row, "business_name", f"même entreprise que la ligne {seen[identity]} de l'onglet")
            continue
        seen[identity] = row.number
        group.businesses.append((row, business))


def _after_exit(importer, row, key, day, exit_date, what) -> bool:
    if exit_date is not None and day > exit_date:
        importer._fail(row, key, f"{what} après la sortie du PLIE ({_d(exit_date)})")
        return True
    return False


def _required(importer, row, keys) -> bool:
    missing = [key for key in keys if not row.has(key) and key not in row.failed]
    for key in missing:
        importer._fail(row, key, "valeur obligatoire manquante")
    return not missing and not (set(keys) & row.failed)


def _step(importer, row) -> Step | None:
    if not _required(importer, row, ["step_kind", "step_start"]):
        return None
    values = row.values
    kind = _step_kind(importer, row)
    barrier = values.get("step_barrier", "")
    if kind == StepKind.SPECIFIC_SUPPORT and not barrier and "step_barrier" not in row.failed:
        importer._fail(row, "step_barrier", "indiquez le frein travaillé dans cet accompagnement spécifique")
    elif kind is not None and kind != StepKind.SPECIFIC_SUPPORT and barrier:
        importer._fail(row, "step_barrier", "le frein travaillé ne concerne que les accompagnements spécifiques")
    start, end = values["step_start"], values.get("step_end")
    if end is not None and end < start:
        importer._fail(row, "step_end", f"la fin de l'étape ({_d(end)}) précède son début ({_d(start)})")
    if values.get("step_certified") and end is None and "step_end" not in row.failed:
        importer._fail(row, "step_end", "indiquez la date de fin de l'étape dont la certification est obtenue")
    if row.failed or kind is None:
        return None
    return Step(
        kind=kind,
        barrier=barrier,
        title=values.get("step_title") or StepKind(kind).label,
        provider=values.get("step_provider", ""),
        started_on=start,
        ended_on=end,
        certification=values.get("step_certification", ""),
        certification_obtained=values.get("step_certified"),
        notes=values.get("step_notes", ""),
    )


def _step_kind(importer, row) -> str | None:
    """The kind, with the column "Formation qualifiante (oui/non)" deciding for "Formation" and agreeing with the
    kind of a training; it concerns trainings only."""
    kind, qualifying = row.values["step_kind"], row.values.get("step_qualifying")
    if "step_qualifying" in row.failed:
        return None
    if kind == ANY_TRAINING:
        if qualifying is None:
            importer._fail(
                row,
                "step_qualifying",
                "« Formation » : précisez si elle est qualifiante ou certifiante (« oui ») ou pré-qualifiante "
                "(« non »)",
            )
            return None
        return StepKind.TRAINING_QUALIFYING if qualifying else StepKind.TRAINING_PREQUALIFYING
    if qualifying is None:
        return kind
    if kind not in TRAINING_KINDS:
        importer._fail(
            row, "step_qualifying", f"ne concerne que les formations, or l'étape est « {StepKind(kind).label} »"
        )
        return None
    if qualifying != (kind in QUALIFYING):
        importer._fail(
            row,
            "step_qualifying",
            f"« {row.text('step_qualifying')} » contredit le type d'étape « {StepKind(kind).label} »",
        )
        return None
    return kind


def _business(importer, row) -> BusinessCreation | None:
    if not _required(importer, row, ["business_name", "business_registered"]):
        return None
    values = row.values
    registered, ceased = values["business_registered"], values.get("business_ceased")
    if ceased is not None and ceased < registered:
        importer._fail(
            row,
            "business_ceased",
            f"la cessation d'activité ({_d(ceased)}) précède l'immatriculation ({_d(registered)})",
        )
    if row.failed:
        return None
    return BusinessCreation(
        name=values["business_name"],
        registered_on=registered,
        siret=values.get("business_siret", ""),
        ceased_on=ceased,
    )
