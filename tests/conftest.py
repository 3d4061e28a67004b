"""Personas, after healthchecks: alice follows the person, bob is a reader at the same time
(a manager), charlie is a référent elsewhere and must not even learn that the person exists."""

import pytest

from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tremplin.accounts.enums import Role


@pytest.fixture(autouse=True)
def enable_db(db):
    """Every test may use the database (reference data comes from migrations)."""


@pytest.fixture
def operator():
    return OrganizationFactory(name="IRFA Dijon")


@pytest.fixture
def person(operator):
    person = PersonFactory(first_name="Zoé", last_name="Lefèvre")
    FollowUpFactory(person=person, organization=operator)
    return person


@pytest.fixture
def alice(operator):
    """Référente in the structure that follows `person`."""
    return user_with_role(Role.REFERENT, organization=operator, email="alice@example.org")


@pytest.fixture
def charlie():
    """Référent in another structure."""
    return user_with_role(Role.REFERENT, organization=OrganizationFactory(name="CESAM"), email="charlie@example.org")


@pytest.fixture
def coordinator():
    return user_with_role(Role.COORDINATOR, email="coordination@example.org")


@pytest.fixture
def manager():
    return user_with_role(Role.MANAGER, email="direction@example.org")


@pytest.fixture
def funder():
    return user_with_role(Role.FUNDER, email="financeur@example.org")


@pytest.fixture
def buyer():
    return user_with_role(Role.BUYER, email="acheteur@example.org")
