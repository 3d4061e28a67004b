import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.people.enums import Programme
from tremplin.people.models import Person
from tremplin.people.perms import can_edit_person, get_person_for_user
from tremplin.structures.enums import OrganizationKind


def visible(user):
    # A fresh instance: roles and memberships are cached on the user object.
    return set(Person.objects.visible_to(User.objects.get(pk=user.pk)))


def get_for(user, person, *, write=False):
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=user.pk)
    return get_person_for_user(request, person.public_id, write=write)


@pytest.fixture
def elsewhere():
    """Someone followed only by another structure."""
    person = PersonFactory(first_name="Marc", last_name="Autre")
    FollowUpFactory(person=person, organization=OrganizationFactory(name="Autre structure"))
    return person


@pytest.fixture
def closed(operator):
    """Someone the operator followed in the past."""
    person = PersonFactory(first_name="Inès", last_name="Ancienne")
    FollowUpFactory(person=person, organization=operator, ended_on=datetime.date(2024, 1, 31))
    return person


class TestReferent:
    def test_sees_only_the_people_of_their_structure(self, alice, person, closed, elsewhere):
        assert visible(alice) == {person, closed}

    def test_edits_open_follow_ups_only(self, alice, person, closed):
        assert can_edit_person(alice, person)
        assert not can_edit_person(alice, closed)

    def test_get_person_for_user(self, alice, person, closed, elsewhere):
        assert get_for(alice, person, write=True) == person
        assert get_for(alice, closed) == closed
        with pytest.raises(PermissionDenied):
            get_for(alice, closed, write=True)
        with pytest.raises(Http404):
            get_for(alice, elsewhere)

    def test_referent_elsewhere_sees_nothing_of_the_structure(self, charlie, person, closed):
        assert visible(charlie) == set()
        assert not can_edit_person(charlie, person)
        for write in (False, True):
            with pytest.raises(Http404):
                get_for(charlie, person, write=write)

    def test_unknown_person_is_404_too(self, alice):
        request = RequestFactory().get("/")
        request.user = alice
        with pytest.raises(Http404):
            get_person_for_user(request, "00000000-0000-0000-0000-000000000000")

    def test_person_followed_by_two_structures_is_seen_by_both(self, alice, charlie, person):
        FollowUpFactory(person=person, organization=charlie.memberships.get().organization)
        assert person in visible(alice)
        assert person in visible(charlie)


class TestSeeingAll:
    @pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ASSISTANT])
    def test_coordination_sees_and_edits_everyone(self, role, person, closed, elsewhere):
        user = user_with_role(role)
        orphan = PersonFactory()  # no follow-up at all
        assert visible(user) == {person, closed, elsewhere, orphan}
        assert all(can_edit_person(user, p) for p in (person, closed, elsewhere, orphan))
        assert get_for(user, elsewhere, write=True) == elsewhere

    def test_manager_sees_everyone_but_edits_nobody(self, manager, person, closed, elsewhere):
        assert visible(manager) == {person, closed, elsewhere}
        assert not can_edit_person(manager, person)
        assert get_for(manager, person) == person
        with pytest.raises(PermissionDenied):
            get_for(manager, person, write=True)


class TestProgrammeRoles:
    @pytest.fixture
    def lead(self):
        return OrganizationFactory(name="Maison de l'emploi", kind=OrganizationKind.LEAD)

    @pytest.fixture
    def followed(self, lead):
        """One person per programme, all followed by the lead structure."""
        people = {}
        for programme in Programme.values:
            people[programme] = PersonFactory(last_name=f"Suivi {programme}")
            FollowUpFactory(person=people[programme], organization=lead, programme=programme)
        return people

    def test_facilitator_sees_only_clauses_follow_ups_of_their_structure(self, lead, followed, person):
        other_clauses = PersonFactory()
        FollowUpFactory(person=other_clauses, organization=OrganizationFactory(), programme=Programme.CLAUSES)
        facilitator = user_with_role(Role.FACILITATOR, organization=lead)
        assert visible(facilitator) == {followed[Programme.CLAUSES]}
        assert can_edit_person(facilitator, followed[Programme.CLAUSES])
        with pytest.raises(Http404):
            get_for(facilitator, followed[Programme.PLIE])

    def test_mobility_adviser_sees_only_mobility_follow_ups(self, lead, followed):
        adviser = user_with_role(Role.MOBILITY_ADVISER, organization=lead)
        assert visible(adviser) == {followed[Programme.MOBILITY]}
        assert can_edit_person(adviser, followed[Programme.MOBILITY])
        assert not can_edit_person(adviser, followed[Programme.CLAUSES])

    def test_project_officer_sees_only_cite_follow_ups(self, lead, followed):
        officer = user_with_role(Role.PROJECT_OFFICER, organization=lead)
        assert visible(officer) == {followed[Programme.CITE]}

    def test_closed_programme_follow_up_is_read_only(self, lead):
        person = PersonFactory()
        FollowUpFactory(
            person=person, organization=lead, programme=Programme.CLAUSES, ended_on=datetime.date(2024, 6, 30)
        )
        facilitator = user_with_role(Role.FACILITATOR, organization=lead)
        assert visible(facilitator) == {person}
        assert not can_edit_person(facilitator, person)


class TestPrescriber:
    def test_sees_the_follow_ups_their_structure_prescribed_read_only(self, operator, person, elsewhere):
        prescriber_org = OrganizationFactory(name="France Travail Dijon", kind=OrganizationKind.PRESCRIBER)
        prescribed = PersonFactory(last_name="Prescrite")
        FollowUpFactory(person=prescribed, organization=operator, prescriber=prescriber_org)
        prescriber = user_with_role(Role.PRESCRIBER, organization=prescriber_org)

        assert visible(prescriber) == {prescribed}
        assert not can_edit_person(prescriber, prescribed)
        assert get_for(prescriber, prescribed) == prescribed
        with pytest.raises(PermissionDenied):
            get_for(prescriber, prescribed, write=True)
        with pytest.raises(Http404):
            get_for(prescriber, person)

    def test_still_sees_after_the_follow_up_ended(self, operator):
        prescriber_org = OrganizationFactory(kind=OrganizationKind.PRESCRIBER)
        prescribed = PersonFactory()
        FollowUpFactory(
            person=prescribed, organization=operator, prescriber=prescriber_org, ended_on=datetime.date(2024, 3, 1)
        )
        assert visible(user_with_role(Role.PRESCRIBER, organization=prescriber_org)) == {prescribed}


class TestNobody:
    @pytest.mark.parametrize("role", [Role.BUYER, Role.COMPANY, Role.FUNDER])
    def test_external_roles_see_nobody(self, role, person):
        user = user_with_role(role)
        assert visible(user) == set()
        assert not can_edit_person(user, person)
        with pytest.raises(Http404):
            get_for(user, person)

    def test_funder_and_buyer_personas(self, funder, buyer, person):
        assert visible(funder) == set()
        assert visible(buyer) == set()

    def test_external_role_in_the_following_structure_sees_nobody(self, operator, person):
        # Even a funder membership on the very structure that follows the person gives no access.
        assert visible(user_with_role(Role.FUNDER, organization=operator)) == set()

    def test_inactive_user_sees_nobody(self, alice, coordinator, person):
        for user in (alice, coordinator):
            User.objects.filter(pk=user.pk).update(is_active=False)
            assert visible(user) == set()
            with pytest.raises(Http404):
                get_for(user, person)

    def test_user_with_ended_membership_sees_nobody(self, alice, person):
        alice.memberships.update(ended_on=timezone.localdate() - datetime.timedelta(days=1))
        assert visible(alice) == set()
        assert not can_edit_person(User.objects.get(pk=alice.pk), person)
        with pytest.raises(Http404):
            get_for(alice, person)

    def test_membership_ending_today_still_counts(self, alice, person):
        alice.memberships.update(ended_on=timezone.localdate())
        assert visible(alice) == {person}

    def test_coordinator_with_ended_membership_sees_nobody(self, coordinator, person):
        coordinator.memberships.update(ended_on=datetime.date(2020, 1, 1))
        assert visible(coordinator) == set()

    def test_user_without_membership_sees_nobody(self, person):
        user = User.objects.create_user("sans-role@example.org", first_name="Sans", last_name="Rôle")
        assert visible(user) == set()

    def test_anonymous_sees_nobody(self, person):
        from django.contrib.auth.models import AnonymousUser

        assert not Person.objects.visible_to(AnonymousUser()).exists()
