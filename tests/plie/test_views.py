"""The PLIE screens (issue 3): who reaches what, French errors that name their field, nothing saved on error.

Personas (tests/conftest.py): alice is a référente at "IRFA Dijon", the structure that follows Zoé
(`person`); charlie is a référent elsewhere; the coordinator sits in the cellule; the manager reads only.
"""

import datetime
import html
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import FollowUpFactory, OrganizationFactory, SituationFactFactory, user_with_role
from tests.plie.factories import ContractFactory, OrientationFactory, PathwayFactory
from tremplin.accounts.enums import Role
from tremplin.people.enums import FactKind, Programme, WorkAuthorisation
from tremplin.people.models import FollowUp, PersonAccess
from tremplin.plie.enums import (
    Answer,
    AppointmentOutcome,
    ContractType,
    EmployerKind,
    ExitKind,
    FseMoment,
    OrientationStatus,
    PathwayStatus,
    StepKind,
)
from tremplin.plie.models import Contract, FseQuestionnaire, Interview, Orientation, Pathway, Step, add_months
from tremplin.structures.enums import OrganizationKind

TODAY = timezone.localdate()


def text(response) -> str:
    return html.unescape(response.content.decode())


def error_summary(response) -> str:
    """The list of errors above the form (includes/form_errors.html), as read by a screen reader."""
    content = text(response)
    start = content.index('id="form-errors"')
    return content[start : content.index("</div>", start)]


@pytest.fixture
def france_travail():
    return OrganizationFactory(name="France Travail Dijon", kind=OrganizationKind.PRESCRIBER)


@pytest.fixture
def eligible_person(person):
    SituationFactFactory(person=person, kind=FactKind.RSA, started_on=datetime.date(2022, 1, 1))
    SituationFactFactory(
        person=person,
        kind=FactKind.WORK_AUTHORISATION,
        value=WorkAuthorisation.NATIONAL,
        started_on=datetime.date(2000, 1, 1),
    )
    return person


@pytest.fixture
def orientation(eligible_person, france_travail, alice):
    return OrientationFactory(
        person=eligible_person,
        prescriber=france_travail,
        created_by=alice,
        oriented_on=TODAY - timedelta(days=10),
        first_appointment_on=TODAY - timedelta(days=3),
        appointment_outcome=AppointmentOutcome.PRESENT,
    )


@pytest.fixture
def pathway(person, operator, alice):
    """Zoé's active pathway, followed by alice at IRFA since four months."""
    follow_up = FollowUp.objects.get(person=person)
    follow_up.referent = alice
    follow_up.save()
    return PathwayFactory(
        person=person,
        proposed_organization=operator,
        proposed_referent=alice,
        entry_proposed_by=alice,
        entry_proposed_on=TODAY - timedelta(days=130),
        entry_date=TODAY - timedelta(days=120),
    )


@pytest.fixture
def proposed(eligible_person, operator, alice, orientation):
    return PathwayFactory(
        proposed=True,
        person=eligible_person,
        orientation=orientation,
        proposed_organization=operator,
        proposed_referent=alice,
        entry_proposed_by=alice,
        entry_proposed_on=TODAY - timedelta(days=1),
        eligibility={"at": TODAY.isoformat(), "criteria": []},
    )


@pytest.fixture
def prescriber(france_travail, person):
    """A prescriber of the structure that referred Zoé (her follow-up names it)."""
    FollowUp.objects.filter(person=person).update(prescriber=france_travail)
    return user_with_role(Role.PRESCRIBER, organization=france_travail)


def login(client, user):
    client.force_login(user)
    return client


# Navigation and home pages


@pytest.mark.parametrize(
    "role,shown", [(Role.REFERENT, True), (Role.COORDINATOR, True), (Role.FACILITATOR, False), (Role.FUNDER, False)]
)
def test_the_plie_menu_item_follows_plie_access(client, role, shown):
    response = login(client, user_with_role(role)).get(reverse("home"))
    assert (f'href="{reverse("plie:workspace")}"' in text(response)) is shown


def plie_panel(response) -> dict:
    """The context of the PLIE's home panel (tremplin/plie/registry.py)."""
    return dict(response.context["module_panels"])["plie/_home_panel.html"]


def test_referent_home_links_to_her_workspace_with_her_counts(client, alice, pathway):
    response = login(client, alice).get(reverse("home"))
    assert plie_panel(response)["my_pathways"] == 1
    assert plie_panel(response)["todo"]["no_contact"] == 1
    content = text(response)
    assert "Ouvrir l'espace PLIE" in content
    assert "Mes participant·es en parcours" in content


def test_coordinator_home_counts_what_awaits_the_cellule(client, coordinator, proposed):
    response = login(client, coordinator).get(reverse("home"))
    assert plie_panel(response)["entries_proposed"] == 1
    assert f'href="{reverse("plie:cell")}"' in text(response)


# Orientation


def test_referent_orients_a_person_from_her_record(client, alice, eligible_person, france_travail):
    login(client, alice)
    record = client.get(eligible_person.get_absolute_url())
    url = reverse("plie:orientation_create", kwargs={"public_id": eligible_person.public_id})
    assert "Orienter vers le PLIE" in text(record) and url in text(record)
    response = client.post(
        url,
        {
            "prescriber": france_travail.pk,
            "adviser_name": "M. Garnier",
            "oriented_on": (TODAY - timedelta(days=2)).isoformat(),
            "reason": "Demandeuse d'emploi de longue durée, souhaite un accompagnement renforcé.",
            "first_appointment_on": TODAY.isoformat(),
        },
    )
    orientation = Orientation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("plie:orientation_detail", kwargs={"orientation_id": orientation.pk})
    assert orientation.created_by == alice
    assert orientation.adviser_name == "M. Garnier"
    assert "</a> par France Travail Dijon le " in text(client.get(eligible_person.get_absolute_url()))


def test_orientation_errors_are_in_french_on_their_fields_and_nothing_is_saved(client, alice, person, france_travail):
    response = login(client, alice).post(
        reverse("plie:orientation_create", kwargs={"public_id": person.public_id}),
        {
            "prescriber": france_travail.pk,
            "oriented_on": TODAY.isoformat(),
            "reason": "",
            "first_appointment_on": (TODAY - timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 422
    summary = error_summary(response)
    assert "rien n'a été enregistré" in summary
    assert 'href="#id_reason"' in summary and "Motif de l'orientation</a> : Ce champ est obligatoire." in summary
    assert "Premier rendez-vous le</a> : Le premier rendez-vous ne peut pas précéder l'orientation." in summary
    assert 'aria-invalid="true"' in text(response)
    assert not Orientation.objects.exists()


@pytest.mark.parametrize(
    "persona,status", [("alice", 200), ("coordinator", 200), ("manager", 403), ("charlie", 404), ("funder", 404)]
)
def test_who_may_orient_a_person(client, request, person, persona, status):
    response = login(client, request.getfixturevalue(persona)).get(
        reverse("plie:orientation_create", kwargs={"public_id": person.public_id})
    )
    assert response.status_code == status


def test_an_absent_person_goes_on_the_outreach_list_until_reached(client, alice, orientation):
    login(client, alice)
    orientation.appointment_outcome = AppointmentOutcome.SCHEDULED
    orientation.save()
    response = client.post(
        reverse("plie:orientation_appointment", kwargs={"orientation_id": orientation.pk}),
        {"appointment-outcome": AppointmentOutcome.ABSENT, "appointment-on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    orientation.refresh_from_db()
    assert orientation.appointment_outcome == AppointmentOutcome.ABSENT
    outreach = client.get(reverse("plie:outreach_list"))
    assert "Zoé LEFÈVRE" in text(outreach)
    assert "Zoé LEFÈVRE" in text(client.get(reverse("plie:workspace")))

    response = client.post(
        reverse("plie:orientation_outreach", kwargs={"orientation_id": orientation.pk}),
        {
            "next": "outreach_list",
            f"outreach-{orientation.pk}-outreach_on": TODAY.isoformat(),
            f"outreach-{orientation.pk}-notes": "Appel et SMS, rendez-vous refixé.",
        },
    )
    assert response.status_code == 302 and response.url == reverse("plie:outreach_list")
    orientation.refresh_from_db()
    assert orientation.outreach_on == TODAY
    assert client.get(reverse("plie:outreach_list")).context["rows"] == []


def test_outreach_needs_its_notes(client, alice, orientation):
    orientation.appointment_outcome = AppointmentOutcome.ABSENT
    orientation.save()
    response = login(client, alice).post(
        reverse("plie:orientation_outreach", kwargs={"orientation_id": orientation.pk}),
        {"outreach-outreach_on": TODAY.isoformat(), "outreach-notes": ""},
    )
    assert response.status_code == 422
    assert "Démarches et résultat</a> : Décrivez les démarches faites pour joindre la personne." in error_summary(
        response
    )
    orientation.refresh_from_db()
    assert orientation.outreach_on is None


def test_an_appointment_before_the_orientation_is_refused(client, alice, orientation):
    response = login(client, alice).post(
        reverse("plie:orientation_appointment", kwargs={"orientation_id": orientation.pk}),
        {"appointment-outcome": AppointmentOutcome.ABSENT, "appointment-on": "2000-01-01"},
    )
    assert response.status_code == 422
    assert "Date du rendez-vous</a> : Le rendez-vous ne peut pas précéder l'orientation." in error_summary(response)
    orientation.refresh_from_db()
    assert orientation.appointment_outcome == AppointmentOutcome.PRESENT


def test_an_orientation_can_be_closed_without_entry(client, alice, orientation):
    response = login(client, alice).post(reverse("plie:orientation_close", kwargs={"orientation_id": orientation.pk}))
    assert response.status_code == 302
    orientation.refresh_from_db()
    assert orientation.status == OrientationStatus.NOT_ENTERED


def test_the_prescriber_reads_the_orientation_but_does_not_act(client, prescriber, orientation):
    login(client, prescriber)
    assert client.get(reverse("plie:orientation_detail", kwargs={"orientation_id": orientation.pk})).status_code == 200
    response = client.post(reverse("plie:orientation_close", kwargs={"orientation_id": orientation.pk}))
    assert response.status_code == 403
    orientation.refresh_from_db()
    assert orientation.status == OrientationStatus.OPEN


# Eligibility and proposal of the entry


def test_the_entry_page_answers_each_criterion_with_its_reason(client, alice, orientation):
    response = login(client, alice).get(reverse("plie:entry_propose", kwargs={"orientation_id": orientation.pk}))
    assert response.status_code == 200
    content = text(response)
    assert "Réside à Dijon." in content
    assert "Nationalité française ou européenne." in content
    assert "bénéficiaire du RSA" in content
    assert "À confirmer avec la personne." in content


def entry_data(operator, referent, **overrides):
    data = {
        "proposed_on": TODAY.isoformat(),
        "organization": operator.pk,
        "referent": referent.pk,
        "wants_pathway": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_referent_proposes_the_entry_to_the_cellule(client, alice, operator, orientation):
    response = login(client, alice).post(
        reverse("plie:entry_propose", kwargs={"orientation_id": orientation.pk}), entry_data(operator, alice)
    )
    pathway = Pathway.objects.get()
    assert response.status_code == 302 and response.url == pathway.get_absolute_url()
    assert pathway.status == PathwayStatus.ENTRY_PROPOSED
    assert pathway.orientation == orientation and pathway.proposed_referent == alice
    assert all(c["met"] for c in pathway.eligibility["criteria"])


def test_an_entry_without_the_persons_wish_is_refused_with_the_criterion(client, alice, operator, orientation):
    response = login(client, alice).post(
        reverse("plie:entry_propose", kwargs={"orientation_id": orientation.pk}),
        entry_data(operator, alice, wants_pathway=None),
    )
    assert response.status_code == 422
    summary = error_summary(response)
    assert "Critères d'entrée non remplis." in summary
    assert (
        "Souhaite s'inscrire dans un parcours intégré d'accès à l'emploi : La personne ne le souhaite pas." in summary
    )
    assert not Pathway.objects.exists()


def test_the_referent_must_belong_to_the_following_structure(client, coordinator, operator, charlie, orientation):
    response = login(client, coordinator).post(
        reverse("plie:entry_propose", kwargs={"orientation_id": orientation.pk}), entry_data(operator, charlie)
    )
    assert response.status_code == 422
    assert "Référent·e de parcours</a> : " in error_summary(response)
    assert "n'est pas référent·e de IRFA Dijon." in error_summary(response)
    assert not Pathway.objects.exists()


# The cellule


@pytest.mark.parametrize(
    "persona,status",
    [("coordinator", 200), ("alice", 403), ("manager", 403), ("charlie", 403), ("funder", 404), ("buyer", 404)],
)
def test_only_the_cellule_opens_the_cellule(client, request, persona, status):
    response = login(client, request.getfixturevalue(persona)).get(reverse("plie:cell"))
    assert response.status_code == status


def test_the_cellule_validates_an_entry(client, coordinator, alice, proposed):
    login(client, coordinator)
    assert "Zoé LEFÈVRE" in text(client.get(reverse("plie:cell")))
    response = client.post(
        reverse("plie:entry_validate", kwargs={"pathway_id": proposed.pk}),
        {f"entry-{proposed.pk}-entry_date": TODAY.isoformat(), f"entry-{proposed.pk}-notes": "Dossier complet."},
    )
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == PathwayStatus.ACTIVE and proposed.entry_date == TODAY
    follow_up = FollowUp.objects.open().get(person=proposed.person, programme=Programme.PLIE)
    assert follow_up.referent == alice
    assert proposed.orientation.status == OrientationStatus.ENTERED


def test_a_refusal_needs_a_motivated_note(client, coordinator, proposed):
    login(client, coordinator)
    url = reverse("plie:entry_refuse", kwargs={"pathway_id": proposed.pk})
    response = client.post(url, {f"refuse-{proposed.pk}-notes": "  "})
    assert response.status_code == 422
    assert "Motif du refus</a> : Motivez le refus" in error_summary(response)
    proposed.refresh_from_db()
    assert proposed.status == PathwayStatus.ENTRY_PROPOSED
    client.post(url, {f"refuse-{proposed.pk}-notes": "Ne réside pas sur le territoire."})
    proposed.refresh_from_db()
    assert proposed.status == PathwayStatus.ENTRY_REFUSED
    assert proposed.entry_decision_notes == "Ne réside pas sur le territoire."


@pytest.mark.parametrize("persona,status", [("alice", 403), ("manager", 403), ("charlie", 404)])
def test_others_cannot_decide_for_the_cellule(client, request, proposed, persona, status):
    response = login(client, request.getfixturevalue(persona)).post(
        reverse("plie:entry_validate", kwargs={"pathway_id": proposed.pk}),
        {f"entry-{proposed.pk}-entry_date": TODAY.isoformat()},
    )
    assert response.status_code == status
    proposed.refresh_from_db()
    assert proposed.status == PathwayStatus.ENTRY_PROPOSED


# The pathway page


@pytest.mark.parametrize(
    "persona,status",
    [("alice", 200), ("coordinator", 200), ("manager", 200), ("prescriber", 200), ("charlie", 404), ("funder", 404)],
)
def test_who_reads_a_pathway(client, request, pathway, persona, status):
    response = login(client, request.getfixturevalue(persona)).get(pathway.get_absolute_url())
    assert response.status_code == status
    if status == 404:
        assert "LEFÈVRE" not in text(response)


def test_reading_a_pathway_is_logged(client, alice, pathway):
    login(client, alice).get(pathway.get_absolute_url())
    assert PersonAccess.objects.filter(person=pathway.person, user=alice).exists()


def test_the_prescriber_sees_the_status_not_the_content(client, prescriber, pathway):
    ContractFactory(pathway=pathway, employer_name="Fromagerie Gaugry")
    content = text(login(client, prescriber).get(pathway.get_absolute_url()))
    assert "En parcours" in content
    assert "Fromagerie Gaugry" not in content
    assert "Ajouter" not in content


def test_the_pathway_page_shows_the_referent_and_her_history(client, alice, operator, pathway):
    bob = user_with_role(Role.REFERENT, organization=operator, first_name="Bob", last_name="Martin")
    login(client, alice)
    response = client.post(
        reverse("plie:referent_change", kwargs={"pathway_id": pathway.pk}),
        {"organization": operator.pk, "referent": bob.pk, "on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    assert FollowUp.objects.open().get(person=pathway.person).referent == bob
    content = text(client.get(pathway.get_absolute_url()))
    assert "Bob Martin, IRFA Dijon" in content
    assert alice.get_full_name() in content.split("Historique des suivis")[1]


def test_adding_a_step_checks_the_barrier(client, alice, pathway):
    login(client, alice)
    url = reverse("plie:step_add", kwargs={"pathway_id": pathway.pk})
    data = {"kind": StepKind.SPECIFIC_SUPPORT, "title": "Atelier santé", "started_on": TODAY.isoformat()}
    response = client.post(url, data)
    assert response.status_code == 422
    assert "Frein travaillé</a> : Indiquez le frein travaillé" in error_summary(response)
    assert not Step.objects.exists()
    response = client.post(url, {**data, "barrier": "health"})
    assert response.status_code == 302
    assert Step.objects.get().barrier == "health"


def test_a_qualifying_training_with_its_certification(client, alice, pathway):
    response = login(client, alice).post(
        reverse("plie:step_add", kwargs={"pathway_id": pathway.pk}),
        {
            "kind": StepKind.TRAINING_QUALIFYING,
            "title": "Titre professionnel agent de propreté",
            "provider": "AFPA Dijon",
            "started_on": (TODAY - timedelta(days=90)).isoformat(),
            "ended_on": (TODAY - timedelta(days=5)).isoformat(),
            "certification": "TP APH",
            "certification_obtained": "yes",
        },
    )
    assert response.status_code == 302
    step = Step.objects.get()
    assert step.certification_obtained is True and step.provider == "AFPA Dijon"


def test_interview_notes_stay_in_the_authors_structure(client, alice, coordinator, pathway):
    login(client, alice)
    response = client.post(
        reverse("plie:interview_add", kwargs={"pathway_id": pathway.pk}),
        {"held_on": TODAY.isoformat(), "kind": "individual", "notes": "Souhaite travailler en cuisine."},
    )
    assert response.status_code == 302
    assert Interview.objects.get().organization == alice.primary_membership.organization
    assert "Souhaite travailler en cuisine." in text(client.get(pathway.get_absolute_url()))
    content = text(login(client, coordinator).get(pathway.get_absolute_url()))
    assert "Souhaite travailler en cuisine." not in content
    assert "1 entretien d'autres structures" in content


def contract_data(**overrides):
    data = {
        "contract_type": ContractType.CDI,
        "employer_name": "Fromagerie Gaugry",
        "employer_kind": EmployerKind.ORDINARY,
        "job_title": "Préparateur",
        "started_on": (TODAY - timedelta(days=30)).isoformat(),
        "weekly_hours": "35",
    }
    data.update(overrides)
    return data


def test_adding_and_ending_a_contract(client, alice, pathway):
    login(client, alice)
    response = client.post(reverse("plie:contract_add", kwargs={"pathway_id": pathway.pk}), contract_data())
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert contract.weekly_hours == Decimal("35") and contract.job_title == "Préparateur"
    response = client.post(
        reverse("plie:contract_end", kwargs={"pathway_id": pathway.pk, "contract_id": contract.pk}),
        {f"end-{contract.pk}-ended_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.ended_on == TODAY


def test_contract_errors_name_their_fields(client, alice, pathway):
    response = login(client, alice).post(
        reverse("plie:contract_add", kwargs={"pathway_id": pathway.pk}),
        contract_data(
            contract_type=ContractType.CDD,
            planned_end_on=(TODAY - timedelta(days=60)).isoformat(),
            weekly_hours="10",
            part_time_agreement_evidence="Courriel du 3 mars",
        ),
    )
    assert response.status_code == 422
    summary = error_summary(response)
    assert "Fin prévue</a> : La fin prévue ne peut pas précéder le début du contrat." in summary
    assert "Accord du participant pour moins d'un mi-temps le</a> : Indiquez la date de l'accord" in summary
    assert not Contract.objects.exists()


def test_ending_a_contract_before_it_starts_is_refused(client, alice, pathway):
    contract = ContractFactory(pathway=pathway, started_on=TODAY - timedelta(days=10))
    response = login(client, alice).post(
        reverse("plie:contract_end", kwargs={"pathway_id": pathway.pk, "contract_id": contract.pk}),
        {f"end-{contract.pk}-ended_on": (TODAY - timedelta(days=20)).isoformat()},
    )
    assert response.status_code == 422
    assert "Fin effective</a> : La fin du contrat ne peut pas précéder son début." in error_summary(response)
    contract.refresh_from_db()
    assert contract.ended_on is None


def test_a_contract_of_another_pathway_is_not_found(client, alice, pathway):
    other = ContractFactory()
    response = login(client, alice).post(
        reverse("plie:contract_end", kwargs={"pathway_id": pathway.pk, "contract_id": other.pk}),
        {f"end-{other.pk}-ended_on": TODAY.isoformat()},
    )
    assert response.status_code == 404


@pytest.mark.parametrize("persona,status", [("manager", 403), ("prescriber", 403), ("charlie", 404)])
def test_readers_and_outsiders_cannot_record(client, request, pathway, persona, status):
    response = login(client, request.getfixturevalue(persona)).post(
        reverse("plie:contract_add", kwargs={"pathway_id": pathway.pk}), contract_data()
    )
    assert response.status_code == status
    assert not Contract.objects.exists()


def test_the_cellule_validates_an_aci_contract_of_someone_aged_55(client, coordinator, alice, pathway):
    person = pathway.person
    person.birth_date = datetime.date(TODAY.year - 58, 1, 1)
    person.save()
    contract = ContractFactory(
        pathway=pathway,
        contract_type=ContractType.CDDI,
        employer_kind=EmployerKind.ACI,
        started_on=TODAY - timedelta(days=100),
    )
    assert "Valider (ACI, 55 ans et plus)" not in text(login(client, alice).get(pathway.get_absolute_url()))
    login(client, coordinator)
    assert "Contrats en ACI de participant·es de 55 ans et plus à valider (1)" in text(
        client.get(reverse("plie:cell"))
    )
    response = client.post(
        reverse("plie:contract_validate_aci", kwargs={"pathway_id": pathway.pk, "contract_id": contract.pk}),
        {f"aci-{contract.pk}-on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.cell_validated_on == TODAY and contract.cell_validated_by == coordinator


def test_a_business_creation(client, alice, pathway):
    response = login(client, alice).post(
        reverse("plie:business_add", kwargs={"pathway_id": pathway.pk}),
        {"name": "Couture Zoé", "registered_on": (TODAY - timedelta(days=10)).isoformat(), "siret": "123"},
    )
    assert response.status_code == 422
    assert "SIRET</a> : Le SIRET compte 14 chiffres." in error_summary(response)


def test_fse_entry_questionnaire_accepts_refusals_and_is_never_overwritten(client, alice, pathway):
    login(client, alice)
    url = reverse("plie:fse_add", kwargs={"pathway_id": pathway.pk, "moment": FseMoment.ENTRY})
    page = text(client.get(url))
    assert "Ne souhaite pas répondre" in page
    answers = {
        "collected_on": TODAY.isoformat(),
        "labour_market_status": "long_term_unemployed",
        "isced_level": "3-4",
        "household": "refused",
        "disability": Answer.REFUSED,
        "third_country_national": Answer.NO,
        "foreign_background": Answer.REFUSED,
        "minority": Answer.REFUSED,
        "homeless": Answer.NO,
    }
    response = client.post(url, {**answers, "homeless": ""})
    assert response.status_code == 422
    assert "Sans domicile ou exclu·e du logement</a> : Choisissez une réponse" in error_summary(response)
    assert not FseQuestionnaire.objects.exists()
    assert client.post(url, answers).status_code == 302
    questionnaire = FseQuestionnaire.objects.get()
    assert questionnaire.disability == Answer.REFUSED and questionnaire.collected_by == alice
    response = client.post(url, {**answers, "disability": Answer.YES})
    assert response.status_code == 422
    assert "déjà été recueilli" in error_summary(response)
    assert FseQuestionnaire.objects.get().disability == Answer.REFUSED


def test_exit_questionnaires_wait_for_the_exit(client, alice, pathway):
    url = reverse("plie:fse_add", kwargs={"pathway_id": pathway.pk, "moment": FseMoment.EXIT})
    response = login(client, alice).post(
        url,
        {
            "collected_on": TODAY.isoformat(),
            "job_searching": Answer.NO,
            "in_education": Answer.NO,
            "qualification_gained": Answer.NO,
            "employed": Answer.YES,
        },
    )
    assert response.status_code == 422
    assert not FseQuestionnaire.objects.exists()
    assert client.get(reverse("plie:fse_add", kwargs={"pathway_id": pathway.pk, "moment": "bogus"})).status_code == 404


# Positive exit


@pytest.fixture
def cdi_pathway(pathway):
    ContractFactory(
        pathway=pathway,
        contract_type=ContractType.CDI,
        employer_name="Fromagerie Gaugry",
        started_on=add_months(TODAY, -7),
        weekly_hours=Decimal("35"),
    )
    return pathway


def test_the_pathway_page_says_when_and_why_a_criterion_is_met(client, alice, cdi_pathway):
    content = text(login(client, alice).get(cdi_pathway.get_absolute_url()))
    met_on = add_months(add_months(TODAY, -7), 6) - timedelta(days=1)
    assert (
        f"Critère rempli le {met_on:%d/%m/%Y} : CDI au terme de 6 mois de présence dans l'entreprise, car" in content
    )
    assert "CDI chez Fromagerie Gaugry" in content
    assert "aucun CDD." in content  # each rule's answer


def test_a_positive_exit_that_the_engine_does_not_back_is_refused_with_its_reason(client, alice, cdi_pathway):
    response = login(client, alice).post(
        reverse("plie:exit_propose", kwargs={"pathway_id": cdi_pathway.pk}),
        {"exit_date": TODAY.isoformat(), "exit_kind": ExitKind.POSITIVE_TRAINING},
    )
    assert response.status_code == 422
    assert "Motif de sortie</a> : Ce motif ne correspond pas au critère rempli." in error_summary(response)
    cdi_pathway.refresh_from_db()
    assert cdi_pathway.status == PathwayStatus.ACTIVE


def test_an_exit_that_is_not_positive_needs_an_explanation(client, alice, pathway):
    response = login(client, alice).post(
        reverse("plie:exit_propose", kwargs={"pathway_id": pathway.pk}),
        {"exit_date": TODAY.isoformat(), "exit_kind": ExitKind.MOVED, "explanation": ""},
    )
    assert response.status_code == 422
    assert "Justification</a> : Précisez les circonstances de la sortie." in error_summary(response)
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.ACTIVE


def test_positive_exit_proposed_then_validated_by_the_cellule(client, alice, coordinator, cdi_pathway):
    login(client, alice)
    response = client.post(
        reverse("plie:exit_propose", kwargs={"pathway_id": cdi_pathway.pk}),
        {"exit_date": TODAY.isoformat(), "exit_kind": ExitKind.POSITIVE_CDI},
    )
    assert response.status_code == 302
    cdi_pathway.refresh_from_db()
    assert cdi_pathway.status == PathwayStatus.EXIT_PROPOSED and cdi_pathway.exit_rule == "cdi"
    login(client, coordinator)
    assert "Sortie positive – CDI" in text(client.get(reverse("plie:cell")))
    response = client.post(reverse("plie:exit_validate", kwargs={"pathway_id": cdi_pathway.pk}))
    assert response.status_code == 302
    cdi_pathway.refresh_from_db()
    assert cdi_pathway.status == PathwayStatus.EXITED
    assert not FollowUp.objects.open().filter(person=cdi_pathway.person, programme=Programme.PLIE).exists()
    assert "Sorti·e" in text(client.get(cdi_pathway.get_absolute_url()))


def test_the_cellule_rejects_an_exit_with_a_note(client, coordinator, pathway):
    pathway.status = PathwayStatus.EXIT_PROPOSED
    pathway.exit_date, pathway.exit_kind = TODAY, ExitKind.MOVED
    pathway.save()
    login(client, coordinator)
    url = reverse("plie:exit_reject", kwargs={"pathway_id": pathway.pk})
    response = client.post(url, {f"reject-{pathway.pk}-notes": ""})
    assert response.status_code == 422
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.EXIT_PROPOSED
    assert client.post(url, {f"reject-{pathway.pk}-notes": "Déménagement non confirmé."}).status_code == 302
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.ACTIVE


# Workspace


def test_the_workspace_lists_my_participants_with_live_filters(client, alice, operator, pathway):
    colleague = user_with_role(Role.REFERENT, organization=operator)
    other = PathwayFactory(proposed_organization=operator, entry_date=TODAY - timedelta(days=10))
    FollowUpFactory(person=other.person, organization=operator, referent=colleague)
    elsewhere = PathwayFactory()
    FollowUpFactory(person=elsewhere.person)
    login(client, alice)
    response = client.get(reverse("plie:workspace"))
    assert list(response.context["page"].object_list) == [pathway]  # hers, by default
    response = client.get(reverse("plie:workspace"), {"status": "open", "referent": ""}, HTTP_HX_REQUEST="true")
    assert {p.pk for p in response.context["page"].object_list} == {pathway.pk, other.pk}
    response = client.get(
        reverse("plie:workspace"),
        {"q": "lefevre", "referent": ""},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="participants",
    )
    assert [t.name for t in response.templates] == [
        "plie/_participants.html",
        "plie/_status.html",
        "plie/_pagination.html",
    ]
    assert list(response.context["page"].object_list) == [pathway]


def test_the_workspace_list_costs_a_constant_number_of_queries(client, alice, operator, django_assert_max_num_queries):
    for _ in range(12):
        pathway = PathwayFactory(proposed_organization=operator, entry_date=TODAY - timedelta(days=10))
        FollowUpFactory(person=pathway.person, organization=operator, referent=alice)
    login(client, alice)
    with django_assert_max_num_queries(12):
        client.get(
            reverse("plie:workspace"), {"status": "open"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="participants"
        )


def test_the_workspace_is_not_for_roles_without_plie_data(client):
    assert login(client, user_with_role(Role.FACILITATOR)).get(reverse("plie:workspace")).status_code == 404


def test_a_closed_orientation_says_why_it_refuses_an_appointment(client, alice, orientation):
    orientation.status = OrientationStatus.NOT_ENTERED
    orientation.save()
    response = login(client, alice).post(
        reverse("plie:orientation_appointment", kwargs={"orientation_id": orientation.pk}),
        {"appointment-outcome": AppointmentOutcome.ABSENT, "appointment-on": TODAY.isoformat()},
    )
    assert response.status_code == 422
    assert "Cette orientation est close." in error_summary(response)
    orientation.refresh_from_db()
    assert orientation.appointment_outcome == AppointmentOutcome.PRESENT
