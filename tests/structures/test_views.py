"""Structures directory: who sees it, who manages it, members and contacts."""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, user_with_role, valid_siret
from tremplin.accounts.enums import Role
from tremplin.accounts.models import Membership, User
from tremplin.structures.enums import OrganizationKind
from tremplin.structures.models import Contact, Organization


@pytest.fixture
def structures():
    return {
        "regie": OrganizationFactory(name="Régie de Quartier Fontaine d'Ouche", kind=OrganizationKind.OPERATOR),
        "elan": OrganizationFactory(name="Élan Chantiers", siae=True),
        "metropole": OrganizationFactory(name="Dijon Métropole", kind=OrganizationKind.FUNDER),
    }


@pytest.fixture
def company_user():
    return user_with_role(Role.COMPANY, organization=OrganizationFactory(company=True), email="entreprise@example.org")


def _names(response):
    return [organization.name for organization in response.context["page"].object_list]


def _organization_post(**overrides):
    data = {
        "name": "Bâtir Ensemble",
        "kind": OrganizationKind.COMPANY,
        "siae_type": "",
        "siret": valid_siret(123),
        "address": "12 rue de la Liberté",
        "commune": "Dijon (21231)",
        "email": "contact@batir.example.org",
        "phone": "03 80 12 34 56",
        "website": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def _member_post(**overrides):
    data = {
        "email": "nouvelle@example.org",
        "first_name": "Inès",
        "last_name": "Moreau",
        "role": Role.REFERENT,
        "job_title": "Conseillère",
    }
    data.update(overrides)
    return data


# List and search


def test_list_shows_structures_to_a_coordinator(client, coordinator, structures):
    client.force_login(coordinator)
    response = client.get(reverse("structures:list"))
    assert response.status_code == 200
    assert "structures/list.html" in [t.name for t in response.templates]
    names = _names(response)
    for organization in structures.values():
        assert organization.name in names
    assert "Nouvelle structure" in response.content.decode()


def test_search_by_name_ignores_accents_and_case(client, coordinator, structures):
    client.force_login(coordinator)
    response = client.get(reverse("structures:list"), {"q": "regie de QUARTIER"})
    assert _names(response) == ["Régie de Quartier Fontaine d'Ouche"]
    response = client.get(reverse("structures:list"), {"q": "elan"})
    assert _names(response) == ["Élan Chantiers"]


def test_search_by_siret(client, coordinator, structures):
    client.force_login(coordinator)
    response = client.get(reverse("structures:list"), {"q": structures["elan"].siret})
    assert _names(response) == ["Élan Chantiers"]


def test_filter_by_kind(client, coordinator, structures):
    client.force_login(coordinator)
    response = client.get(reverse("structures:list"), {"kind": OrganizationKind.FUNDER})
    assert _names(response) == ["Dijon Métropole"]
    response = client.get(reverse("structures:list"), {"q": "dijon", "kind": OrganizationKind.OPERATOR})
    assert _names(response) == []


def test_htmx_request_gets_the_results_fragment_only(client, coordinator, structures):
    client.force_login(coordinator)
    response = client.get(reverse("structures:list"), {"q": "élan"}, HTTP_HX_REQUEST="true")
    templates = [t.name for t in response.templates]
    assert "structures/_results.html" in templates
    assert "structures/list.html" not in templates
    content = response.content.decode()
    assert "<html" not in content
    assert "Élan Chantiers" in content
    assert "Dijon Métropole" not in content


def test_list_is_open_to_a_referent_without_management_links(client, alice, structures):
    client.force_login(alice)
    response = client.get(reverse("structures:list"))
    assert response.status_code == 200
    assert response.context["can_manage"] is False
    assert "Nouvelle structure" not in response.content.decode()


@pytest.mark.parametrize("persona", ["buyer", "funder", "company_user"])
def test_external_users_get_404_on_list_and_detail(client, request, persona, structures):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("structures:list")).status_code == 404
    assert client.get(reverse("structures:detail", args=[structures["regie"].pk])).status_code == 404


def test_user_without_membership_gets_404(client, structures):
    client.force_login(UserFactory())
    assert client.get(reverse("structures:list")).status_code == 404
    assert client.get(reverse("structures:detail", args=[structures["regie"].pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, structures):
    response = client.get(reverse("structures:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# Detail


def test_detail_shows_members_and_contacts(client, coordinator, structures):
    organization = structures["regie"]
    member = user_with_role(Role.REFERENT, organization=organization, first_name="Yasmine", last_name="Benali")
    Contact.objects.create(organization=organization, first_name="Paul", last_name="Girard", job_title="Directeur")
    client.force_login(coordinator)
    response = client.get(reverse("structures:detail", args=[organization.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Régie de Quartier Fontaine d&#x27;Ouche" in content
    assert "Yasmine Benali" in content
    assert member.email in content
    assert "Paul Girard" in content
    assert "Ajouter un membre" in content


def test_detail_for_a_referent_has_no_forms(client, alice, structures):
    client.force_login(alice)
    response = client.get(reverse("structures:detail", args=[structures["elan"].pk]))
    assert response.status_code == 200
    assert response.context["member_form"] is None
    assert "Ajouter un membre" not in response.content.decode()


def test_detail_of_unknown_structure_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("structures:detail", args=[999999])).status_code == 404


# Create and edit


@pytest.mark.parametrize("persona", ["coordinator", "manager"])
def test_create_allowed_for_coordination_and_management(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(reverse("structures:create")).status_code == 200
    response = client.post(reverse("structures:create"), _organization_post())
    organization = Organization.objects.get(name="Bâtir Ensemble")
    assert response.status_code == 302
    assert response.url == reverse("structures:detail", args=[organization.pk])
    assert organization.kind == OrganizationKind.COMPANY
    assert organization.commune.insee_code == "21231"
    assert organization.phone == "0380123456"
    assert organization.history.get().history_user == user


def test_create_strips_spaces_from_siret(client, coordinator):
    siret = valid_siret(321)
    client.force_login(coordinator)
    client.post(
        reverse("structures:create"), _organization_post(siret=f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}")
    )
    assert Organization.objects.get(name="Bâtir Ensemble").siret == siret


def test_create_with_bad_siret_shows_french_error_and_creates_nothing(client, coordinator):
    siret = valid_siret(123)
    bad = siret[:-1] + str((int(siret[-1]) + 1) % 10)
    client.force_login(coordinator)
    response = client.post(reverse("structures:create"), _organization_post(siret=bad))
    assert response.status_code == 200
    assert "SIRET invalide : la clé de contrôle ne correspond pas." in response.content.decode()
    assert "rien n'a été enregistré" in response.content.decode()
    assert not Organization.objects.filter(name="Bâtir Ensemble").exists()


def test_create_company_without_siret_is_refused(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("structures:create"), _organization_post(siret=""))
    assert response.status_code == 200
    assert "Le SIRET est obligatoire pour une entreprise ou une SIAE." in response.content.decode()
    assert not Organization.objects.filter(name="Bâtir Ensemble").exists()


def test_create_with_a_siret_already_used_creates_nothing(client, coordinator):
    existing = OrganizationFactory(company=True)
    client.force_login(coordinator)
    response = client.post(reverse("structures:create"), _organization_post(siret=existing.siret))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Organization.objects.filter(siret=existing.siret).count() == 1


def test_create_with_a_bad_phone_is_refused(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("structures:create"), _organization_post(phone="12 34"))
    assert response.status_code == 200
    assert "Numéro de téléphone invalide" in response.content.decode()
    assert not Organization.objects.filter(name="Bâtir Ensemble").exists()


def test_referent_may_not_create_or_edit(client, alice, structures):
    client.force_login(alice)
    assert client.get(reverse("structures:create")).status_code == 403
    assert client.post(reverse("structures:create"), _organization_post()).status_code == 403
    assert not Organization.objects.filter(name="Bâtir Ensemble").exists()
    edit = reverse("structures:edit", args=[structures["regie"].pk])
    assert client.get(edit).status_code == 403
    response = client.post(edit, _organization_post(name="Renommée", kind=OrganizationKind.OPERATOR, siret=""))
    assert response.status_code == 403
    structures["regie"].refresh_from_db()
    assert structures["regie"].name == "Régie de Quartier Fontaine d'Ouche"


@pytest.mark.parametrize("persona", ["buyer", "funder"])
def test_external_users_get_404_on_create_edit_and_members(client, request, persona, structures):
    client.force_login(request.getfixturevalue(persona))
    pk = structures["regie"].pk
    assert client.get(reverse("structures:edit", args=[pk])).status_code == 404
    assert client.post(reverse("structures:member_add", args=[pk]), _member_post()).status_code == 404
    assert client.post(reverse("structures:contact_add", args=[pk]), {"first_name": "A"}).status_code == 404
    assert client.get(reverse("structures:create")).status_code == 404
    assert client.post(reverse("structures:create"), _organization_post()).status_code == 404
    assert not Organization.objects.filter(name="Bâtir Ensemble").exists()
    assert not User.objects.filter(email="nouvelle@example.org").exists()


def test_edit_saves_and_history_records_the_acting_user(client, manager, structures):
    organization = structures["regie"]
    client.force_login(manager)
    response = client.post(
        reverse("structures:edit", args=[organization.pk]),
        _organization_post(name="Régie de Quartier Grésilles", kind=OrganizationKind.OPERATOR, siret=""),
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name == "Régie de Quartier Grésilles"
    assert organization.search_text.startswith("regie de quartier gresilles")
    latest = organization.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == manager
    assert latest.name == "Régie de Quartier Grésilles"


def test_edit_with_invalid_data_leaves_structure_unchanged(client, coordinator, structures):
    organization = structures["regie"]
    client.force_login(coordinator)
    response = client.post(
        reverse("structures:edit", args=[organization.pk]),
        _organization_post(name="Nouveau nom", kind=OrganizationKind.OPERATOR, siae_type="ACI", siret=""),
    )
    assert response.status_code == 200
    assert "Le type de SIAE ne s&#x27;applique qu&#x27;aux structures" in response.content.decode()
    organization.refresh_from_db()
    assert organization.name == "Régie de Quartier Fontaine d'Ouche"
    assert organization.history.count() == 1


# Members


def test_add_member_creates_a_new_user_and_membership(client, coordinator, structures):
    organization = structures["regie"]
    client.force_login(coordinator)
    response = client.post(
        reverse("structures:member_add", args=[organization.pk]), _member_post(email="Nouvelle@Example.ORG")
    )
    assert response.status_code == 302
    assert response.url == reverse("structures:detail", args=[organization.pk])
    user = User.objects.get(email="nouvelle@example.org")
    assert (user.first_name, user.last_name) == ("Inès", "Moreau")
    assert not user.has_usable_password()
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role, membership.job_title) == (
        organization,
        Role.REFERENT,
        "Conseillère",
    )
    assert membership.history.get().history_user == coordinator


def test_add_member_attaches_an_existing_user_by_email(client, coordinator, structures):
    existing = UserFactory(email="yasmine@example.org", first_name="Yasmine", last_name="Benali")
    MembershipFactory(user=existing, role=Role.PRESCRIBER)
    client.force_login(coordinator)
    response = client.post(
        reverse("structures:member_add", args=[structures["regie"].pk]),
        _member_post(email="YASMINE@example.org", first_name="Autre", last_name="Nom"),
    )
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="yasmine@example.org").count() == 1
    existing.refresh_from_db()
    assert (existing.first_name, existing.last_name) == ("Yasmine", "Benali")
    assert existing.memberships.filter(organization=structures["regie"], role=Role.REFERENT).exists()
    assert existing.memberships.count() == 2


def test_add_member_refuses_a_role_that_does_not_fit_the_structure(client, coordinator, structures):
    client.force_login(coordinator)
    response = client.post(
        reverse("structures:member_add", args=[structures["regie"].pk]), _member_post(role=Role.BUYER)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["role"] == [
        "Le rôle « Donneur d'ordre » n'existe pas dans une structure « Opérateur (référents de parcours) »."
    ]
    assert "Le rôle « Donneur d&#x27;ordre » n&#x27;existe pas" in response.content.decode()
    assert not User.objects.filter(email="nouvelle@example.org").exists()
    assert not Membership.objects.filter(organization=structures["regie"]).exists()


def test_add_member_refuses_a_duplicate_active_membership(client, coordinator, structures):
    organization = structures["regie"]
    existing = user_with_role(Role.REFERENT, organization=organization, email="yasmine@example.org")
    client.force_login(coordinator)
    response = client.post(
        reverse("structures:member_add", args=[organization.pk]), _member_post(email="yasmine@example.org")
    )
    assert response.status_code == 200
    assert "a déjà ce rôle dans cette structure" in response.context["form"].errors["email"][0]
    assert existing.memberships.count() == 1


def test_referent_may_not_add_members(client, alice, structures):
    client.force_login(alice)
    response = client.post(reverse("structures:member_add", args=[structures["regie"].pk]), _member_post())
    assert response.status_code == 403
    assert not User.objects.filter(email="nouvelle@example.org").exists()


# Contacts


def test_add_contact(client, coordinator, structures):
    organization = structures["regie"]
    client.force_login(coordinator)
    response = client.post(
        reverse("structures:contact_add", args=[organization.pk]),
        {
            "first_name": "Paul",
            "last_name": "Girard",
            "job_title": "Directeur",
            "email": "",
            "phone": "+33 3 80 12 34 56",
        },
    )
    assert response.status_code == 302
    contact = organization.contacts.get()
    assert (contact.first_name, contact.last_name, contact.phone) == ("Paul", "Girard", "0380123456")
    assert contact.history.get().history_user == coordinator


@pytest.mark.parametrize("phone", ["12 34", "03 80 AB 34 56", "+44 20 7946 0958"])
def test_add_contact_with_a_bad_phone_is_refused(client, coordinator, structures, phone):
    organization = structures["regie"]
    client.force_login(coordinator)
    response = client.post(
        reverse("structures:contact_add", args=[organization.pk]),
        {"first_name": "Paul", "last_name": "Girard", "job_title": "", "email": "", "phone": phone},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    assert "rien n'a été enregistré" in response.content.decode()
    assert not organization.contacts.exists()


def test_referent_may_not_add_contacts(client, alice, structures):
    client.force_login(alice)
    response = client.post(
        reverse("structures:contact_add", args=[structures["regie"].pk]), {"first_name": "Paul", "last_name": "Girard"}
    )
    assert response.status_code == 403
    assert not Contact.objects.exists()
