"""The person's rights (issue 7): the export of everything held (JSON and PDF, every module's sections),
anonymisation that erases free texts, history and files but keeps every past figure, and the restricted
archive that takes a record out of every page while it stays counted."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.clauses.factories import CandidateFactory, HoursRecordFactory, PlacementFactory
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, SituationFactFactory, user_with_role
from tests.plie.factories import ContractFactory, OrientationFactory, PathwayFactory, StepFactory
from tremplin.accounts.enums import Role
from tremplin.clauses.models import Candidate
from tremplin.people.enums import Programme
from tremplin.people.gdpr import personal_data
from tremplin.people.models import Person, PersonAccess
from tremplin.people.retention import anonymise_person
from tremplin.people.services import restrict_person
from tremplin.plie.models import Interview, Orientation
from tremplin.reports.registry import Period, registry

NOTE = "A confié des difficultés avec Jules Secretname"
REASON = "Orientée par sa conseillère Madame Secretname"


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    irfa = OrganizationFactory(name="IRFA")
    cesam = OrganizationFactory(name="CESAM")
    person = PersonFactory(first_name="Ondine", last_name="Vérité", registered_on=datetime.date(2023, 1, 5))
    FollowUpFactory(person=person, organization=irfa, programme=Programme.PLIE, started_on=datetime.date(2023, 1, 5))
    SituationFactFactory(person=person, in_qpv=True, started_on=datetime.date(2022, 1, 1))
    orientation = OrientationFactory(person=person, reason=REASON)
    pathway = PathwayFactory(person=person, orientation=orientation, proposed_organization=irfa)
    StepFactory(pathway=pathway, notes=NOTE)
    ContractFactory(pathway=pathway)
    referent = user_with_role(Role.REFERENT, organization=irfa)
    elsewhere = user_with_role(Role.REFERENT, organization=cesam)
    for author, org, notes in ((referent, irfa, NOTE), (elsewhere, cesam, "Note de CESAM")):
        interview = Interview(
            pathway=pathway, held_on=datetime.date(2023, 3, 1), author=author, organization=org, notes=notes
        )
        interview._history_user = author
        interview.save()
    candidate = CandidateFactory(
        person=person,
        referred_on=datetime.date(2023, 4, 1),
        reason=REASON,
        cv=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 cv"),
    )
    placement = PlacementFactory(
        person=person, candidate=candidate, started_on=datetime.date(2023, 5, 2), ended_on=datetime.date(2023, 9, 30)
    )
    HoursRecordFactory(placement=placement, month=datetime.date(2023, 6, 1))
    return {"person": person, "referent": referent, "candidate": candidate, "irfa": irfa}


def test_the_export_holds_every_module_and_only_the_interviews_the_requester_reads(world):
    data = personal_data(world["person"], user=world["referent"])
    for title in (
        "Identité et coordonnées",
        "Orientations vers le PLIE",
        "Parcours PLIE",
        "Entretiens (notes lisibles par le demandeur)",
        "Candidatures aux clauses d'insertion",
        "Mises en emploi (clauses)",
        "Heures d'insertion",
        "Documents",
    ):
        assert data[title], title
    text = json.dumps(data, ensure_ascii=False, default=str)
    assert NOTE in text and "Note de CESAM" not in text
    assert "cv" in data["Documents"][0]["Fichier"]
    assert data["Parcours PLIE"][0]["Étapes"] and data["Parcours PLIE"][0]["Contrats"]


def test_the_coordination_downloads_json_and_pdf(client, world):
    client.force_login(user_with_role(Role.COORDINATOR))
    person = world["person"]
    response = client.get(reverse("people:export", args=[person.public_id]))
    assert "Parcours PLIE" in json.loads(response.content)
    pdf = client.get(reverse("people:export_pdf", args=[person.public_id]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.force_login(world["referent"])
    assert client.get(reverse("people:export_pdf", args=[person.public_id])).status_code == 403


def figures():
    results = []
    for year in (2023, 2024):
        period = Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        results += [r.as_dict() for r in registry.evaluate_all(period=period)]
    return results


def test_anonymisation_erases_texts_history_and_files_and_keeps_every_figure(world):
    person = world["person"]
    before = figures()
    cv = Candidate.objects.get().cv
    storage, cv_name = cv.storage, cv.name
    assert storage.exists(cv_name)
    anonymise_person(person=person)
    assert figures() == before
    assert not storage.exists(cv_name)
    holders = [
        Orientation.objects.filter(person=person).values_list("reason", flat=True),
        Orientation.history.filter(person_id=person.pk).values_list("reason", flat=True),
        Interview.objects.filter(pathway__person=person).values_list("notes", flat=True),
        Interview.history.filter(pathway__person_id=person.pk).values_list("notes", flat=True),
        Candidate.objects.filter(person=person).values_list("reason", flat=True),
        Candidate.history.filter(person_id=person.pk).values_list("reason", flat=True),
        Candidate.history.filter(person_id=person.pk).values_list("cv", flat=True),
    ]
    leftover = " ".join(str(v) for values in holders for v in values)
    assert "Secretname" not in leftover and "cv" not in leftover
    assert "Secretname" not in json.dumps(personal_data(person), ensure_ascii=False, default=str)


def test_a_restricted_record_leaves_every_page_but_stays_counted(client, world):
    person = world["person"]
    coordinator = user_with_role(Role.COORDINATOR)
    before = figures()
    client.force_login(coordinator)
    response = client.post(reverse("people:restrict", args=[person.public_id]), {"restriction_reason": ""})
    assert Person.objects.restricted().count() == 0
    response = client.post(
        reverse("people:restrict", args=[person.public_id]),
        {"restriction_reason": "Demande d'effacement du 02/03/2026 (archivage FSE+)"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.restricted_at and person.history.latest().history_user == coordinator
    for user in (coordinator, world["referent"]):
        client.force_login(user)
        assert client.get(person.get_absolute_url()).status_code == 404
        assert "VÉRITÉ" not in client.get(reverse("people:list")).content.decode().upper()
        assert "VÉRITÉ" not in client.get(reverse("plie:workspace") + "?status=").content.decode().upper()
    client.force_login(coordinator)
    archive = client.get(reverse("people:archive")).content.decode()
    assert "VÉRITÉ" in archive.upper() and "effacement du 02/03/2026" in archive
    client.force_login(world["referent"])
    assert client.get(reverse("people:archive")).status_code == 403
    assert figures() == before
    assert Person.objects.counted_for(world["referent"]).filter(pk=person.pk).exists()


def test_restriction_needs_a_reason(world):
    with pytest.raises(Exception, match="motif"):
        restrict_person(person=world["person"], reason=" ", by=user_with_role(Role.COORDINATOR))


@pytest.fixture
def restricted(world):
    restrict_person(person=world["person"], reason="Demande de limitation", by=user_with_role(Role.COORDINATOR))
    return world["person"]


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ASSISTANT])
def test_the_coordination_exports_a_restricted_person_from_the_archive(client, restricted, role):
    coordinator = user_with_role(role)
    client.force_login(coordinator)
    archive = client.get(reverse("people:archive")).content.decode()
    url = reverse("people:archive_export", args=[restricted.public_id])
    assert url in archive and reverse("people:archive_export_pdf", args=[restricted.public_id]) in archive
    # The ordinary door stays shut: the restricted archive is read through its own door only.
    assert client.get(reverse("people:export", args=[restricted.public_id])).status_code == 404
    accesses = PersonAccess.objects.filter(person=restricted, user=coordinator, action=PersonAccess.Action.EXPORT)
    assert not accesses.exists()

    data = json.loads(client.get(url).content)
    assert data["Identité et coordonnées"]["first_name"] == "Ondine"
    for title in (
        "Parcours PLIE",
        "Orientations vers le PLIE",
        "Candidatures aux clauses d'insertion",
        "Heures d'insertion",
    ):
        assert data[title], title
    assert data["Identité et coordonnées"]["restriction_reason"] == "Demande de limitation"
    assert accesses.count() == 1
    pdf = client.get(reverse("people:archive_export_pdf", args=[restricted.public_id]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert accesses.count() == 2


@pytest.mark.parametrize("role", [Role.REFERENT, Role.MANAGER, Role.FUNDER, Role.FACILITATOR, Role.PRESCRIBER])
def test_no_one_else_exports_a_restricted_person(client, world, restricted, role):
    users = [user_with_role(role)] + ([world["referent"]] if role == Role.REFERENT else [])
    for user in users:
        client.force_login(user)
        for name in ("people:archive_export", "people:archive_export_pdf"):
            assert client.get(reverse(name, args=[restricted.public_id])).status_code == 404
    assert not PersonAccess.objects.filter(person=restricted, action=PersonAccess.Action.EXPORT).exists()


def test_the_archive_door_does_not_open_a_record_in_use(client, world):
    client.force_login(user_with_role(Role.COORDINATOR))
    assert client.get(reverse("people:archive_export", args=[world["person"].public_id])).status_code == 404
