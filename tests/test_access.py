"""Walk every URL of the app as every role: nothing outside a user's scope may leak.

Each route of our apps is resolved with the ids of one person (followed in the PLIE by the operator
"IRFA", prescribed by "France Travail Dijon"), of her records in each module, and of one structure,
then requested by each persona:
- a person's pages, and her records' in every module, answer 404 to everyone whose scope excludes
  the person (never 403);
- no page, list or export shows that person's name to those users;
- external users (buyer, company, funder) get no personal data and no structure directory;
- what a module keeps secret (the PLIE's interview notes) never reaches the others, on any page;
- each module's own rules (who reads, who writes) are its access module's `check`: tests/plie/access.py,
  tests/clauses/access.py...;
- anonymous visitors are sent to the login page.
A new view that forgets its chokepoint fails here. Each module registered in tremplin.core.modules teaches
this walk its URLs through its access module (contract in tremplin/core/modules.py).
"""

import datetime
import importlib
import inspect
import uuid
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, SituationFactFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.core.modules import modules
from tremplin.people.enums import FactKind, Programme
from tremplin.people.models import AttachmentRequest, PersonAccess
from tremplin.structures.enums import OrganizationKind

# Each module registered in tremplin.core.modules teaches this test its URLs through its access module
# (`tests/<module>/access.py`: NAMESPACES, PERSON_PARAMETERS, build(world), optionally check(...)).
MODULE_ACCESS = [importlib.import_module(path) for path in modules.access_tests()]
OUR_NAMESPACES = {"people", "structures", "reports", "accounts", None}
OUR_NAMESPACES |= {namespace for access in MODULE_ACCESS for namespace in access.NAMESPACES}
# The health endpoint (/sante/) answers the proxy and the monitoring without login, with states only.
PUBLIC_ROUTES = {"accounts:login", "health"}
UNIQUE_NAME = "Quintal-Zéphyrin"
# The restricted archive's doors open restricted records only: the world's person is in use, so they answer
# 404 to everyone here (tests/people/test_rights.py walks them with a restricted person).
RESTRICTED_ARCHIVE_ROUTES = {"people:archive_export", "people:archive_export_pdf"}
# URL parameters that designate the person or one of her records.
PERSON_PARAMETERS = ("<uuid:public_id>", "<int:attachment_id>") + tuple(
    parameter for access in MODULE_ACCESS for parameter in access.PERSON_PARAMETERS
)

# Who may see the person (the rules of docs/permissions.md, written out independently of the code).
PERSONAS = {
    "coordinator": True,
    "assistant": True,
    "manager": True,
    "referent_same_structure": True,
    "referent_other_structure": False,
    "facilitator": False,  # another structure's facilitator: the person has no clauses follow-up there
    "facilitator_clauses": True,  # her structure follows the person in the clauses service
    "mobility_adviser": False,
    "project_officer": False,
    "prescriber_who_referred": True,
    "prescriber_other": False,
    "buyer": False,  # the buyer of another operation
    "buyer_own": False,  # the buyer of the person's operation: reads it, never her name
    "company": False,  # the attributaire of another lot of the person's operation
    "company_own": False,  # the attributaire and employer: reads its lot, declares its employee's hours
    "funder": False,
    "no_membership": False,
}
EXTERNAL = {"buyer", "buyer_own", "company", "company_own", "funder", "no_membership"}


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
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    irfa = OrganizationFactory(name="IRFA")
    france_travail = OrganizationFactory(name="France Travail Dijon", kind=OrganizationKind.PRESCRIBER)
    person = PersonFactory(first_name="Ondine", last_name=UNIQUE_NAME, registered_on=datetime.date(2023, 1, 5))
    FollowUpFactory(person=person, organization=irfa, prescriber=france_travail, programme=Programme.PLIE)
    fact = SituationFactFactory(person=person, kind=FactKind.RQTH)
    users = {
        "coordinator": user_with_role(Role.COORDINATOR),
        "assistant": user_with_role(Role.ASSISTANT),
        "manager": user_with_role(Role.MANAGER),
        "referent_same_structure": user_with_role(Role.REFERENT, organization=irfa),
        "referent_other_structure": user_with_role(Role.REFERENT),
        "facilitator": user_with_role(Role.FACILITATOR),
        "facilitator_clauses": user_with_role(Role.FACILITATOR),
        "mobility_adviser": user_with_role(Role.MOBILITY_ADVISER),
        "project_officer": user_with_role(Role.PROJECT_OFFICER),
        "prescriber_who_referred": user_with_role(Role.PRESCRIBER, organization=france_travail),
        "prescriber_other": user_with_role(Role.PRESCRIBER),
        "buyer": user_with_role(Role.BUYER),
        "buyer_own": user_with_role(Role.BUYER, organization=OrganizationFactory(kind=OrganizationKind.BUYER)),
        "company": user_with_role(Role.COMPANY, organization=OrganizationFactory(company=True)),
        "company_own": user_with_role(Role.COMPANY, organization=OrganizationFactory(company=True)),
        "funder": user_with_role(Role.FUNDER),
    }
    from tests.factories import UserFactory

    users["no_membership"] = UserFactory()
    # Someone registered elsewhere looked like her: a pending « demande de rattachement » about her.
    attachment = AttachmentRequest.objects.create(person=PersonFactory(), target=person, reasons="même téléphone")
    world = {
        "attachment": attachment,
        "person": person,
        "fact": fact,
        "organization": irfa,
        "users": users,
        "france_travail": france_travail,
        "personas": PERSONAS,
        # (message, text, personas who may read it): what a module keeps secret, checked on every page.
        "secrets": [],
    }
    # Each module builds its records around the person, in the modules' order, and names its URL parameters.
    world["module_values"] = {}
    for access in MODULE_ACCESS:
        values = access.build(world)
        # Two modules naming a URL parameter alike would silently walk one's routes with the other's ids.
        shared = set(values) & set(world["module_values"])
        assert not shared, f"{access.__name__} reuses URL parameters of another module: {shared}"
        world["module_values"].update(values)
    return world


def url_for(pattern, world, *, unknown=False):
    """The route's URL for the world's records, or for ids that exist nowhere (`unknown`)."""
    values = {
        "public_id": str(uuid.uuid4() if unknown else world["person"].public_id),
        "pk": str(world["organization"].pk),
        "fact_id": str(world["fact"].pk),
        # The activity report: a figure of the shared register (its records are people), a year, a section.
        "indicator_id": "people.count",
        "year": str(world["person"].registered_on.year),
        "section": "registre-des-personnes",
        "attachment_id": str(999_999 if unknown else world["attachment"].pk),
    }
    for key, value in world["module_values"].items():
        # Ids (numbers, UUIDs) designate records: unknown ones exist nowhere. Other values (a slug) stay.
        if unknown and _is_uuid(value):
            value = uuid.uuid4()
        elif unknown and str(value).isdigit():
            value = 999_999
        values[key] = str(value)
    url = "/" + pattern
    for key, value in values.items():
        for converter in ("uuid", "int", "str", "slug"):
            url = url.replace(f"<{converter}:{key}>", value)
    assert "<" not in url, f"Route {pattern} takes a parameter this test does not know: teach it."
    return url


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def test_every_route_is_known_to_this_test():
    names = {name for name, _ in all_routes()}
    assert {"people:detail", "people:list", "structures:detail", "reports:figures", "home"} <= names
    for access in MODULE_ACCESS:
        assert getattr(access, "KNOWN_ROUTES", set()) <= names, access.__name__


def body_of(response) -> str:
    """The text of a page, or of a downloaded file.

    Consuming `streaming_content` closes the response with the test client's guard; closing it
    again would fire request_finished and close the database connection (fatal on PostgreSQL)."""
    if response.streaming:
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode(errors="replace")


def sees_person_on(persona, name) -> bool:
    # A module may show the person's name to a persona outside her scope on some of its routes (a company
    # declares the hours of its own employees: tests/clauses/access.py).
    return PERSONAS[persona] or any(
        access.sees_person(persona, name) for access in _modules_of(name) if hasattr(access, "sees_person")
    )


def _modules_of(name) -> list:
    return [access for access in MODULE_ACCESS if name.split(":")[0] in access.NAMESPACES]


@dataclass
class Route:
    """The route being walked, for the modules' `check(..., route=route)`: its pattern, whether it designates the
    person or one of her records, whether the persona may read the person's name there, and `unknown()`: the
    answer to the same request with ids that exist nowhere."""

    client: object
    method: str
    pattern: str
    world: dict
    takes_person: bool
    sees_person: bool

    def unknown(self):
        return getattr(self.client, self.method)(url_for(self.pattern, self.world, unknown=True))


def _check(access, persona, name, method, response, where, world, route) -> None:
    """The module's own rules; `route` is passed to the checks that take it."""
    if "route" in inspect.signature(access.check).parameters:
        access.check(persona, name, method, response, where, world, route=route)
    else:
        access.check(persona, name, method, response, where, world)


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_nothing_outside_scope_leaks(client, world, persona):
    user = world["users"][persona]
    client.force_login(user)
    for name, pattern in all_routes():
        if name in PUBLIC_ROUTES or name == "accounts:logout":
            continue
        sees_person = sees_person_on(persona, name)
        url = url_for(pattern, world)
        takes_person = any(parameter in pattern for parameter in PERSON_PARAMETERS)
        # A module's routes may follow its own check() instead of the rule for those who see the person.
        exempt = any(access.exempt(persona, name) for access in _modules_of(name) if hasattr(access, "exempt"))
        for method in ("get", "post"):
            logged = PersonAccess.objects.filter(user=user, person=world["person"]).count()
            response = getattr(client, method)(url)
            body = body_of(response)
            where = f"{persona} {method.upper()} {url} ({name}) -> {response.status_code}"
            if response.status_code == 200 and UNIQUE_NAME.lower() in body.lower():
                # Every page, list or file that shows a person's name logs the read (PersonAccess).
                now = PersonAccess.objects.filter(user=user, person=world["person"]).count()
                assert now > logged, f"Read not logged: {where}"
            if not sees_person:
                assert UNIQUE_NAME.lower() not in body.lower(), f"Leak: {where}"
                if takes_person:
                    # Exactly what an unknown id gets: the answer must not confirm that the person exists.
                    unknown = getattr(client, method)(url_for(pattern, world, unknown=True))
                    assert response.status_code == unknown.status_code, f"Differs from an unknown id: {where}"
                    assert response.status_code in (404, 405), f"Must answer 404: {where}"
            elif name in RESTRICTED_ARCHIVE_ROUTES:
                assert response.status_code in (404, 405), where
            elif takes_person and not exempt:
                # The world's fact is an RQTH: hidden (404) from roles that do not see sensitive facts.
                hidden_fact = "<int:fact_id>" in pattern and not user.sees_sensitive_facts
                assert response.status_code in (200, 302, 403, 405, 422) + ((404,) if hidden_fact else ()), where
            if persona in EXTERNAL and (name.startswith("people:") or name.startswith("structures:")):
                assert response.status_code in (404, 405), f"External users have no registry nor directory: {where}"
            route = Route(client, method, pattern, world, takes_person, sees_person)
            for access in _modules_of(name):
                if hasattr(access, "check"):
                    _check(access, persona, name, method, response, where, world, route)
            for message, secret, readers in world["secrets"]:
                if persona not in readers:
                    assert secret not in body, f"{message}: {where}"
            assert response.status_code < 500, where


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
