"""add_member: who may be added to which structure, with which role."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.accounts.models import Membership, User
from tremplin.accounts.services import ROLE_ORGANIZATION_KINDS, add_member
from tremplin.structures.enums import OrganizationKind


def _add(organization, by, **kwargs):
    data = {"email": "ines.moreau@example.org", "first_name": "Inès", "last_name": "Moreau", "role": Role.REFERENT}
    data.update(kwargs)
    return add_member(organization=organization, by=by, **data)


def test_creates_a_user_without_usable_password(operator, coordinator):
    membership = _add(operator, coordinator, job_title="Conseillère")
    user = membership.user
    assert user.email == "ines.moreau@example.org"
    assert (user.first_name, user.last_name) == ("Inès", "Moreau")
    assert not user.has_usable_password()
    assert (membership.organization, membership.role, membership.job_title) == (operator, Role.REFERENT, "Conseillère")
    assert membership.ended_on is None
    assert membership.started_on == timezone.localdate()
    assert user.roles == {Role.REFERENT}


def test_creates_a_user_with_the_given_password(operator, coordinator):
    user = _add(operator, coordinator, password="un-mot-de-passe-long").user
    assert user.check_password("un-mot-de-passe-long")


def test_lower_cases_the_email_of_a_new_user(operator, coordinator):
    assert _add(operator, coordinator, email="Ines.Moreau@Example.ORG").user.email == "ines.moreau@example.org"


def test_history_records_who_added_the_member(operator, coordinator):
    membership = _add(operator, coordinator)
    assert membership.history.get().history_user == coordinator


@pytest.mark.parametrize("typed", ["ines.moreau@example.org", "INES.Moreau@example.org"])
def test_reuses_the_existing_account_of_that_email(operator, coordinator, typed):
    existing = UserFactory(email="ines.moreau@example.org", first_name="Inès", last_name="Moreau")
    MembershipFactory(user=existing, role=Role.PRESCRIBER)
    membership = _add(operator, coordinator, email=typed, first_name="Autre", last_name="Nom")
    assert membership.user == existing
    assert User.objects.count() == 2  # the coordinator and Inès
    existing.refresh_from_db()
    assert existing.first_name == "Inès"
    assert existing.memberships.count() == 2


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (Role.BUYER, OrganizationKind.OPERATOR),
        (Role.COORDINATOR, OrganizationKind.OPERATOR),
        (Role.REFERENT, OrganizationKind.FUNDER),
        (Role.FUNDER, OrganizationKind.LEAD),
        (Role.COMPANY, OrganizationKind.BUYER),
    ],
)
def test_refuses_a_role_that_does_not_exist_in_that_kind_of_structure(coordinator, role, kind):
    organization = OrganizationFactory(kind=kind)
    with pytest.raises(ValidationError) as excinfo:
        _add(organization, coordinator, role=role)
    message = excinfo.value.message_dict["role"][0]
    assert message == (
        f"Le rôle « {Role(role).label} » n'existe pas dans une structure « {organization.get_kind_display()} »."
    )
    assert not User.objects.filter(email="ines.moreau@example.org").exists()
    assert not Membership.objects.filter(organization=organization).exists()


def test_every_role_fits_at_least_one_kind_and_its_default_kind():
    from tests.factories import ROLE_KIND

    assert set(ROLE_ORGANIZATION_KINDS) == set(Role)
    for role, kind in ROLE_KIND.items():
        assert kind in ROLE_ORGANIZATION_KINDS[role]


def test_accepts_a_role_given_as_a_plain_string(coordinator):
    """The form hands the role over as a string, not as a Role member."""
    siae = OrganizationFactory(siae=True)
    membership = _add(siae, coordinator, role="company")
    assert membership.role == Role.COMPANY
    with pytest.raises(ValidationError):
        _add(siae, coordinator, role="funder", email="autre@example.org")


def test_refuses_a_duplicate_active_membership(operator, coordinator):
    _add(operator, coordinator)
    with pytest.raises(ValidationError) as excinfo:
        _add(operator, coordinator, email="INES.MOREAU@example.org")
    assert excinfo.value.message_dict["email"] == ["Inès Moreau a déjà ce rôle dans cette structure."]
    assert Membership.objects.filter(organization=operator).count() == 1


def test_refuses_a_duplicate_membership_that_ends_in_the_future(operator, coordinator):
    membership = _add(operator, coordinator)
    membership.ended_on = timezone.localdate() + datetime.timedelta(days=30)
    membership.save()
    with pytest.raises(ValidationError):
        _add(operator, coordinator)


def test_refuses_a_duplicate_membership_of_a_deactivated_account(operator, coordinator):
    """A deactivated account keeps its open membership: adding it again is refused, not a crash."""
    user = _add(operator, coordinator).user
    user.is_active = False
    user.save()
    with pytest.raises(ValidationError) as excinfo:
        _add(operator, coordinator)
    assert "email" in excinfo.value.message_dict
    assert Membership.objects.filter(organization=operator).count() == 1


def test_accepts_the_same_role_again_once_the_previous_membership_ended(operator, coordinator):
    old = _add(operator, coordinator)
    old.ended_on = datetime.date(2022, 12, 31)
    old.save()
    new = _add(operator, coordinator)
    assert new.pk != old.pk
    assert new.user == old.user
    assert list(Membership.objects.active().filter(user=new.user)) == [new]


def test_accepts_another_role_in_the_same_structure(coordinator):
    operator = OrganizationFactory(kind=OrganizationKind.OPERATOR)
    user = user_with_role(Role.REFERENT, organization=operator, email="ines.moreau@example.org")
    membership = _add(operator, coordinator, role=Role.PRESCRIBER)
    assert membership.user == user
    assert User.objects.get(pk=user.pk).roles == {Role.REFERENT, Role.PRESCRIBER}


def test_invalid_new_user_is_refused_and_nothing_is_created(operator, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        _add(operator, coordinator, email="pas-une-adresse")
    assert "email" in excinfo.value.message_dict
    assert not Membership.objects.filter(organization=operator).exists()
