"""What the PLIE teaches the access walk (tests/test_access.py, contract in tremplin/core/modules.py).

The world's person is oriented to the PLIE (prescribed by "France Travail Dijon"), in a pathway proposed by
"IRFA", with a contract, a step, a business creation and an interview whose notes stay in IRFA:
- roles without PLIE data (facilitator, mobility, projects, external) get 404 on every PLIE page;
- PLIE users who may only read (direction, prescriber) get 403 on every PLIE write, and only the
  cellule (coordination, assistance) reaches the cellule's pages and decisions;
- interview notes never leave the author's structure.
"""

import datetime

from tests.plie.factories import (
    BusinessCreationFactory,
    ContractFactory,
    OrientationFactory,
    PathwayFactory,
    StepFactory,
)
from tremplin.plie.enums import AppointmentOutcome
from tremplin.plie.models import Interview, Orientation, Pathway

NAMESPACES = {"plie"}
PERSON_PARAMETERS = ("<int:pathway_id>", "<int:orientation_id>")
KNOWN_ROUTES = {"plie:workspace", "plie:pathway_detail", "plie:orientation_detail", "plie:cell"}
SECRET_NOTE = "Confidence-Ératostène"

# PLIE roles (docs/permissions.md): the others get 404 on every PLIE page.
PLIE_PERSONAS = {
    "coordinator",
    "assistant",
    "manager",
    "referent_same_structure",
    "referent_other_structure",
    "prescriber_who_referred",
    "prescriber_other",
}
# PLIE users who only read: the direction and prescribers.
PLIE_READERS = {"manager", "prescriber_who_referred", "prescriber_other"}
CELL = {"coordinator", "assistant"}
CELL_ROUTES = {
    "plie:cell",
    "plie:entry_validate",
    "plie:entry_refuse",
    "plie:exit_validate",
    "plie:exit_reject",
    "plie:contract_validate_aci",
    "plie:import",
    "plie:import_template",
}
PLIE_READ_ROUTES = {"plie:workspace", "plie:orientation_list", "plie:outreach_list", "plie:pathway_detail"}
PLIE_READ_ROUTES |= {"plie:orientation_detail"}


def build(world) -> dict[str, str]:
    person, irfa, users = world["person"], world["organization"], world["users"]
    orientation = OrientationFactory(
        person=person,
        prescriber=world["france_travail"],
        first_appointment_on=datetime.date(2023, 1, 12),
        appointment_outcome=AppointmentOutcome.ABSENT,
    )
    pathway = PathwayFactory(person=person, orientation=orientation, proposed_organization=irfa)
    contract = ContractFactory(pathway=pathway)
    step = StepFactory(pathway=pathway)
    BusinessCreationFactory(pathway=pathway)
    # As the services record them: forms posted during the walk then really write.
    Orientation.objects.filter(pk=orientation.pk).update(created_by=users["referent_same_structure"])
    Pathway.objects.filter(pk=pathway.pk).update(entry_proposed_by=users["referent_same_structure"])
    Interview.objects.create(
        pathway=pathway,
        held_on=datetime.date(2023, 3, 1),
        author=users["referent_same_structure"],
        organization=irfa,
        notes=SECRET_NOTE,
    )
    # Interview notes never leave the author's structure, on any page.
    world["secrets"].append(("Interview notes leave their structure", SECRET_NOTE, {"referent_same_structure"}))
    world.update(orientation=orientation, pathway=pathway, contract=contract, step=step)
    return {
        "orientation_id": str(orientation.pk),
        "pathway_id": str(pathway.pk),
        "contract_id": str(contract.pk),
        "step_id": str(step.pk),
        "moment": "entry",
    }


def exempt(persona, name) -> bool:
    """Roles without PLIE data follow check() only, not the walk's rule for those who see the person."""
    return persona not in PLIE_PERSONAS


# Prescribers orient the people they enter (issue 9): these forms open for them, read-only otherwise.
PRESCRIBER_REFERRAL_ROUTES = {"plie:orientation_start", "plie:orientation_propose"}


def check(persona, name, method, response, where, world) -> None:
    status = response.status_code
    if persona.startswith("prescriber") and name in PRESCRIBER_REFERRAL_ROUTES:
        assert status in (200, 302, 405, 422), f"Prescribers orient people: {where}"
        return
    if persona not in PLIE_PERSONAS:
        assert status in (404, 405), f"No PLIE data for this role: {where}"
    elif name in CELL_ROUTES:
        if persona not in CELL:
            assert status in (403, 404, 405), f"Cellule only: {where}"
    elif name not in PLIE_READ_ROUTES and persona in PLIE_READERS and status not in (404, 405):
        # Reading is not writing: the direction and prescribers never reach a form.
        assert status == 403, f"Read-only users may not write: {where}"
    if method == "get" and name in PLIE_READ_ROUTES and persona in PLIE_PERSONAS and world["personas"][persona]:
        assert status == 200, f"PLIE users read what is in their scope: {where}"
