"""The FSE+ 6-month follow-up as the référent meets it (issue 9, "The FSE+ 6-month follow-up"): one rule
(`fse.SixMonthWindow`) for the to-do list, the pathway page and the permission. The référent whose structure
followed the pathway records it after the exit (her follow-up is closed by then), within its window."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tests.plie.factories import PathwayFactory
from tests.plie.test_views import login, text
from tremplin.accounts.enums import Role
from tremplin.people.enums import Programme
from tremplin.plie import selectors
from tremplin.plie.enums import Answer, FseMoment, PathwayStatus
from tremplin.plie.models import FseQuestionnaire, add_months

TODAY = timezone.localdate()


def exited_pathway(person, organization, referent, exit_date):
    FollowUpFactory(
        person=person,
        organization=organization,
        programme=Programme.PLIE,
        referent=referent,
        started_on=exit_date - timedelta(days=300),
        ended_on=exit_date,
    )
    return PathwayFactory(
        person=person,
        proposed_organization=organization,
        proposed_referent=referent,
        entry_proposed_by=referent,
        entry_proposed_on=exit_date - timedelta(days=310),
        entry_date=exit_date - timedelta(days=300),
        status=PathwayStatus.EXITED,
        exit_date=exit_date,
        exit_kind="moved",
    )


@pytest.fixture
def irfa():
    return OrganizationFactory(name="IRFA")


@pytest.fixture
def referent(irfa):
    return user_with_role(Role.REFERENT, organization=irfa)


def post_six_months(client, pathway, collected_on=TODAY):
    return client.post(
        reverse("plie:fse_add", kwargs={"pathway_id": pathway.pk, "moment": FseMoment.SIX_MONTHS}),
        {"collected_on": collected_on.isoformat(), "employed": Answer.YES, "improved_situation": Answer.YES},
    )


def test_the_referent_records_a_due_follow_up_after_her_follow_up_closed(client, irfa, referent):
    pathway = exited_pathway(PersonFactory(), irfa, referent, add_months(TODAY, -6) + timedelta(days=10))
    login(client, referent)
    assert [todo.pathway for todo in selectors.six_month_follow_ups_due(user=referent, today=TODAY)] == [pathway]
    page = text(client.get(pathway.get_absolute_url()))
    assert reverse("plie:fse_add", kwargs={"pathway_id": pathway.pk, "moment": FseMoment.SIX_MONTHS}) in page
    assert "À recueillir maintenant" in page
    assert post_six_months(client, pathway).status_code == 302
    assert FseQuestionnaire.objects.get(pathway=pathway).moment == FseMoment.SIX_MONTHS
    assert selectors.six_month_follow_ups_due(user=referent, today=TODAY) == []


def test_a_window_closed_long_ago_is_not_listed_and_says_not_collected(client, irfa, referent):
    old = exited_pathway(PersonFactory(), irfa, referent, TODAY.replace(year=TODAY.year - 3))
    login(client, referent)
    assert selectors.six_month_follow_ups_due(user=referent, today=TODAY) == []
    page = text(client.get(old.get_absolute_url()))
    assert "Non recueilli : la période de recueil s'est close" in page
    six_months_url = reverse("plie:fse_add", kwargs={"pathway_id": old.pk, "moment": FseMoment.SIX_MONTHS})
    assert six_months_url not in page
    response = post_six_months(client, old)
    assert response.status_code == 422
    assert not FseQuestionnaire.objects.exists()


def test_not_yet_due_says_when(client, irfa, referent):
    recent = exited_pathway(PersonFactory(), irfa, referent, TODAY - timedelta(days=30))
    login(client, referent)
    due_on = add_months(recent.exit_date, 6)
    assert f"dû le {due_on:%d/%m/%Y}" in text(client.get(recent.get_absolute_url()))
    assert selectors.six_month_follow_ups_due(user=referent, today=TODAY) == []


def test_who_records(client, irfa, referent):
    pathway = exited_pathway(PersonFactory(), irfa, referent, add_months(TODAY, -6))
    coordinator = user_with_role(Role.COORDINATOR)
    manager = user_with_role(Role.MANAGER)
    elsewhere = user_with_role(Role.REFERENT)
    assert post_six_months(login(client, manager), pathway).status_code == 403
    assert post_six_months(login(client, elsewhere), pathway).status_code == 404
    assert post_six_months(login(client, coordinator), pathway).status_code == 302
