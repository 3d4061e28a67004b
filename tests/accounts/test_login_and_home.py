"""Logging in by e-mail, and the home page each role lands on."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, UserFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.people.enums import Programme

PASSWORD = "mot-de-passe-de-test"


def _login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _templates(response):
    return [t.name for t in response.templates]


# Login


def test_login_page_is_in_french(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Connexion à Tremplin" in content
    assert "Adresse e-mail" in content


def test_login_with_email_and_password(client, alice):
    response = _login(client, "alice@example.org")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).context["user"] == alice


@pytest.mark.parametrize("typed", ["Alice@Example.org", "ALICE@EXAMPLE.ORG", "  alice@example.org  "])
def test_login_ignores_the_case_of_the_email(client, alice, typed):
    response = _login(client, typed)
    assert response.status_code == 302, response.context["form"].errors
    assert int(client.session["_auth_user_id"]) == alice.pk


def test_login_with_wrong_password_is_refused_in_french(client, alice):
    response = _login(client, "alice@example.org", "pas-le-bon-mot-de-passe")
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_with_unknown_email_is_refused_with_the_same_message(client, alice):
    response = _login(client, "inconnu@example.org")
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_log_in(client, alice):
    alice.is_active = False
    alice.save()
    response = _login(client, "alice@example.org")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_follows_next(client, alice):
    response = client.post(
        reverse("accounts:login"),
        {"username": "alice@example.org", "password": PASSWORD, "next": reverse("people:list")},
    )
    assert response.status_code == 302
    assert response.url == reverse("people:list")


@pytest.mark.parametrize("url_name", ["home", "people:list", "structures:list", "reports:figures"])
def test_anonymous_is_redirected_to_login(client, url_name):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"


def test_logout_returns_to_login(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert client.get(reverse("home")).status_code == 302


# Unique e-mail


def test_email_is_stored_in_lower_case():
    user = User.objects.create_user("Camille.Martin@Example.ORG", "un-mot-de-passe-long", first_name="Camille")
    assert user.email == "camille.martin@example.org"
    user = UserFactory(email="Jean.Dupont@Example.org")
    user.refresh_from_db()
    assert user.email == "jean.dupont@example.org"


def test_two_accounts_cannot_share_an_email():
    UserFactory(email="camille@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="camille@example.org")
    assert User.objects.filter(email="camille@example.org").count() == 1


@pytest.mark.parametrize("other_spelling", ["Camille@Example.org", "CAMILLE@EXAMPLE.ORG"])
def test_two_accounts_cannot_share_an_email_in_another_case(other_spelling):
    UserFactory(email="camille@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(other_spelling, "un-mot-de-passe-long", first_name="C", last_name="M")
    with pytest.raises(IntegrityError), transaction.atomic():
        User(email=other_spelling, first_name="C", last_name="M").save()
    assert User.objects.filter(email__iexact="camille@example.org").count() == 1


@pytest.mark.parametrize("other_spelling", ["camille@example.org", "Camille@Example.org"])
def test_validation_reports_a_duplicate_email(other_spelling):
    """A form validating the model must see the duplicate before the database refuses it."""
    UserFactory(email="camille@example.org")
    with pytest.raises(ValidationError) as excinfo:
        User(email=other_spelling, first_name="C", last_name="M", password="x").full_clean()
    assert "email" in excinfo.value.message_dict


# Home page by role


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def test_coordinator_home(client, coordinator, person):
    response = _home(client, coordinator)
    assert "accounts/home/coordination.html" in _templates(response)
    assert "Accueil coordination" in response.content.decode()
    assert response.context["people_count"] == 1
    assert response.context["open_follow_ups"] == 1


def test_assistant_shares_the_coordination_home(client):
    response = _home(client, user_with_role(Role.ASSISTANT))
    assert "accounts/home/coordination.html" in _templates(response)


def test_referent_home_counts_only_her_scope(client, alice, person, operator):
    FollowUpFactory(person=PersonFactory(), organization=OrganizationFactory(name="Ailleurs"))
    FollowUpFactory(person=PersonFactory(), organization=operator, referent=alice)
    response = _home(client, alice)
    assert "accounts/home/referent.html" in _templates(response)
    content = response.content.decode()
    assert "Mon espace référent" in content
    assert "Mes suivis en cours" in content
    assert response.context["people_count"] == 2
    assert response.context["open_follow_ups"] == 2
    assert len(response.context["my_follow_ups"]) == 1


def test_manager_home(client, manager):
    response = _home(client, manager)
    assert "accounts/home/management.html" in _templates(response)
    assert "Accueil direction" in response.content.decode()


def test_facilitator_home(client):
    facilitator = user_with_role(Role.FACILITATOR)
    organization = facilitator.primary_membership.organization
    FollowUpFactory(organization=organization, programme=Programme.CLAUSES)
    FollowUpFactory(organization=organization, programme=Programme.PLIE)
    response = _home(client, facilitator)
    assert "accounts/home/programme.html" in _templates(response)
    assert "Personnes suivies dans votre dispositif" in response.content.decode()
    assert response.context["people_count"] == 1


def test_prescriber_home(client):
    prescriber = user_with_role(Role.PRESCRIBER)
    FollowUpFactory(prescriber=prescriber.primary_membership.organization)
    FollowUpFactory()
    response = _home(client, prescriber)
    assert "accounts/home/prescriber.html" in _templates(response)
    assert "Espace prescripteur" in response.content.decode()
    assert response.context["people_count"] == 1


@pytest.mark.parametrize("persona", ["buyer", "funder"])
def test_external_home_has_no_personal_data(client, request, persona, person):
    response = _home(client, request.getfixturevalue(persona))
    assert "accounts/home/external.html" in _templates(response)
    content = response.content.decode()
    assert "sans données personnelles" in content
    assert "people_count" not in response.context
    assert "Lefèvre".upper() not in content
    assert "Rechercher une personne" not in content


def test_funder_home_links_to_aggregates_but_buyer_home_does_not(client, funder, buyer):
    assert "Consulter les indicateurs agrégés" in _home(client, funder).content.decode()
    assert "Consulter les indicateurs agrégés" not in _home(client, buyer).content.decode()


def test_user_without_membership_home(client, person):
    response = _home(client, UserFactory())
    assert "accounts/home/no_role.html" in _templates(response)
    assert "n'est rattaché à aucune structure" in response.content.decode()
    assert "people_count" not in response.context


def test_user_whose_membership_ended_has_no_role(client):
    import datetime

    user = user_with_role(Role.COORDINATOR)
    user.memberships.update(ended_on=datetime.date(2020, 1, 1))
    response = _home(client, User.objects.get(pk=user.pk))
    assert "accounts/home/no_role.html" in _templates(response)
