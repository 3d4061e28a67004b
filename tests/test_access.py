"""Walk every URL of the app as every role: nothing outside a user's scope may leak.

Each route of our apps is resolved with the ids of one person (followed by the PLIE operator
"IRFA", prescribed by "France Travail Dijon"), of her PLIE orientation, pathway and records, and of
one structure, then requested by each persona:
- a person's pages, and her orientation's and pathway's, answer 404 to everyone whose scope excludes
  the person (never 403);
- no page, list or export shows that person's name to those users;
- external users (buyer, company, funder) get no personal data and no structure directory;
- roles without PLIE data (facilitator, mobility, projects, external) get 404 on every PLIE page;
- PLIE users who may only read (direction, prescriber) get 403 on every PLIE write, and only the
  cellule (coordination, assistance) reaches the cellule's pages and decisions;
- interview notes never leave the author's structure;
- anonymous visitors are sent to the login page.
A new view that forgets its chokepoint fails here. This test grows with every module.
"""

import datetime
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, SituationFactFactory, user_with_role
from tests.plie.factories import (
    BusinessCreationFactory,
    ContractFactory,
    OrientationFactory,
    PathwayFactory,
    StepFactory,
)
from tremplin.accounts.enums import Role
from tremplin.people.enums import FactKind, Programme
from tremplin.plie.enums import AppointmentOutcome
from tremplin.plie.models import Interview, Orientation, Pathway
from tremplin.structures.enums import OrganizationKind

OUR_NAMESPACES = {"people", "structures", "reports", "accounts", "plie", None}
PUBLIC_ROUTES = {"accounts:login"}
UNIQUE_NAME = "Quintal-Zéphyrin"
SECRET_NOTE = "Confidence-Ératostène"
# URL parameters that designate the person or one of her records.
PERSON_PARAMETERS = ("<uuid:public_id>", "<int:pathway_id>", "<int:orientation_id>")

# Who may see the person (the rules of docs/permissions.md, written out independently of the code).
PERSONAS = {
    "coordinator": True,
    "assistant": True,
    "manager": True,
    "referent_same_structure": True,
    "referent_other_structure": False,
    "facilitator": False,  # the person has no clauses follow-up
    "mobility_adviser": False,
    "project_officer": False,
    "prescriber_who_referred": True,
    "prescriber_other": False,
    "buyer": False,
    "company": False,
    "funder": False,
    "no_membership": False,
}
EXTERNAL = {"buyer", "company", "funder", "no_membership"}
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


def iter_routes(resolvers=None, namespace=None, prefix=""):
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from iter_routes(entry.url_patterns, entry.namespace or namespace, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern)


def all_routes():
    return sorted(
        {(name, pattern) for name, pattern in iter_routes() if name.split(":")[0] in OUR_NAMESPACES or ":" not in name}
    )


@pytest.fixture
def world():
    irfa = OrganizationFactory(name="IRFA")
    france_travail = OrganizationFactory(name="France Travail Dijon", kind=OrganizationKind.PRESCRIBER)
    person = PersonFactory(first_name="Ondine", last_name=UNIQUE_NAME, registered_on=datetime.date(2023, 1, 5))
    FollowUpFactory(person=person, organization=irfa, prescriber=france_travail, programme=Programme.PLIE)
    fact = SituationFactFactory(person=person, kind=FactKind.RQTH)
    orientation = OrientationFactory(
        person=person,
        prescriber=france_travail,
        first_appointment_on=datetime.date(2023, 1, 12),
        appointment_outcome=AppointmentOutcome.ABSENT,
    )
    pathway = PathwayFactory(person=person, orientation=orientation, proposed_organization=irfa)
    contract = ContractFactory(pathway=pathway)
    step = StepFactory(pathway=pathway)
    BusinessCreationFactory(pathway=pathway)
    users = {
        "coordinator": user_with_role(Role.COORDINATOR),
        "assistant": user_with_role(Role.ASSISTANT),
        "manager": user_with_role(Role.MANAGER),
        "referent_same_structure": user_with_role(Role.REFERENT, organization=irfa),
        "referent_other_structure": user_with_role(Role.REFERENT),
        "facilitator": user_with_role(Role.FACILITATOR),
        "mobility_adviser": user_with_role(Role.MOBILITY_ADVISER),
        "project_officer": user_with_role(Role.PROJECT_OFFICER),
        "prescriber_who_referred": user_with_role(Role.PRESCRIBER, organization=france_travail),
        "prescriber_other": user_with_role(Role.PRESCRIBER),
        "buyer": user_with_role(Role.BUYER),
        "company": user_with_role(Role.COMPANY),
        "funder": user_with_role(Role.FUNDER),
    }
    from tests.factories import UserFactory

    users["no_membership"] = UserFactory()
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
    return {
        "person": person,
        "fact": fact,
        "organization": irfa,
        "orientation": orientation,
        "pathway": pathway,
        "contract": contract,
        "step": step,
        "users": users,
    }


def url_for(pattern, world, *, unknown=False):
    """The route's URL for the world's records, or for ids that exist nowhere (`unknown`)."""
    values = {
        "public_id": str(uuid.uuid4() if unknown else world["person"].public_id),
        "pk": str(world["organization"].pk),
        "fact_id": str(world["fact"].pk),
        "orientation_id": str(999_999 if unknown else world["orientation"].pk),
        "pathway_id": str(999_999 if unknown else world["pathway"].pk),
        "contract_id": str(999_999 if unknown else world["contract"].pk),
        "step_id": str(999_999 if unknown else world["step"].pk),
        "moment": "entry",
    }
    url = "/" + pattern
    for key, value in values.items():
        for converter in ("uuid", "int", "str", "slug"):
            url = url.replace(f"<{converter}:{key}>", value)
    assert "<" not in url, f"Route {pattern} takes a parameter this test does not know: teach it."
    return url


def test_every_route_is_known_to_this_test():
    names = {name for name, _ in all_routes()}
    assert {"people:detail", "people:list", "structures:detail", "reports:figures", "home"} <= names
    assert {"plie:workspace", "plie:pathway_detail", "plie:orientation_detail", "plie:cell"} <= names


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_nothing_outside_scope_leaks(client, world, persona):
    user = world["users"][persona]
    client.force_login(user)
    sees_person = PERSONAS[persona]
    for name, pattern in all_routes():
        if name in PUBLIC_ROUTES or name == "accounts:logout":
            continue
        url = url_for(pattern, world)
        takes_person = any(parameter in pattern for parameter in PERSON_PARAMETERS)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            body = response.content.decode(errors="replace")
            where = f"{persona} {method.upper()} {url} ({name}) -> {response.status_code}"
            if not sees_person:
                assert UNIQUE_NAME.lower() not in body.lower(), f"Leak: {where}"
                if takes_person:
                    # Exactly what an unknown id gets: the answer must not confirm that the person exists.
                    unknown = getattr(client, method)(url_for(pattern, world, unknown=True))
                    assert response.status_code == unknown.status_code, f"Differs from an unknown id: {where}"
                    assert response.status_code in (404, 405), f"Must answer 404: {where}"
            elif takes_person:
                assert response.status_code in (200, 302, 403, 405, 422), where
            if persona in EXTERNAL and (name.startswith("people:") or name.startswith("structures:")):
                assert response.status_code in (404, 405), f"External users have no registry nor directory: {where}"
            if name.startswith("plie:"):
                check_plie_route(persona, name, method, response, where)
            if persona != "referent_same_structure":
                assert SECRET_NOTE not in body, f"Interview notes leave their structure: {where}"
            assert response.status_code < 500, where


def check_plie_route(persona, name, method, response, where):
    status = response.status_code
    if persona not in PLIE_PERSONAS:
        assert status in (404, 405), f"No PLIE data for this role: {where}"
    elif name in CELL_ROUTES:
        if persona not in CELL:
            assert status in (403, 404, 405), f"Cellule only: {where}"
    elif name not in PLIE_READ_ROUTES and persona in PLIE_READERS and status not in (404, 405):
        # Reading is not writing: the direction and prescribers never reach a form.
        assert status == 403, f"Read-only users may not write: {where}"
    if method == "get" and name in PLIE_READ_ROUTES and persona in PLIE_PERSONAS and PERSONAS[persona]:
        assert status == 200, f"PLIE users read what is in their scope: {where}"


def test_anonymous_visitors_are_sent_to_login(client, world):
    for name, pattern in all_routes():
        if name in PUBLIC_ROUTES or name == "accounts:logout":
            continue
        response = client.get(url_for(pattern, world))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/comptes/connexion/"), name


def test_sensitive_facts_are_hidden_from_roles_that_do_not_need_them(client, world):
    # The facilitator follows the person under the clauses programme: sees the record, not the RQTH.
    person = world["person"]
    facilitator = world["users"]["facilitator"]
    FollowUpFactory(
        person=person, organization=facilitator.primary_membership.organization, programme=Programme.CLAUSES
    )
    client.force_login(facilitator)
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    assert "RQTH" not in response.content.decode()
    client.force_login(world["users"]["referent_same_structure"])
    assert "RQTH" in client.get(person.get_absolute_url()).content.decode()
