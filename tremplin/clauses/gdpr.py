"""What the clauses service holds about a person, for the GDPR export, and what anonymisation erases
(registered in people.gdpr by ClausesConfig.ready)."""

from tremplin.clauses.models import Candidate, HoursRecord, Placement
from tremplin.people.gdpr import anonymiser, delete_files, erase_texts, labelled_rows, reference_dates, section


@section("Candidatures aux clauses d'insertion")
def _candidacies(person):
    return labelled_rows(Candidate.objects.filter(person=person).select_related("prescriber", "decided_by"))


@section("Mises en emploi (clauses)")
def _placements(person):
    return labelled_rows(Placement.objects.filter(person=person).select_related("lot", "employer", "candidate"))


@section("Heures d'insertion")
def _hours(person):
    return labelled_rows(HoursRecord.objects.filter(placement__person=person).select_related("placement", "worked_on"))


@section("Documents")
def _documents(person):
    documents = [
        {"Document": "CV", "Fichier": c.cv.name.rsplit("/", 1)[-1], "Déposé pour": f"candidature du {c.referred_on}"}
        for c in Candidate.objects.filter(person=person).exclude(cv="")
    ]
    documents += [
        {"Document": "Justificatif d'heures", "Fichier": r.evidence.name.rsplit("/", 1)[-1], "Mois": str(r.month)}
        for r in HoursRecord.objects.filter(placement__person=person).exclude(evidence="")
    ]
    return documents


@anonymiser
def _anonymise(person):
    candidates = Candidate.objects.filter(person=person)
    erase_texts(candidates, ["reason", "decision_reason", "proof_seen", "prescriber_contact", "prescriber_email"])
    delete_files(candidates, "cv")
    erase_texts(Placement.objects.filter(person=person), ["evaluation_notes"])
    delete_files(HoursRecord.objects.filter(placement__person=person), "evidence")


@reference_dates
def _dates(person):
    dates = list(Candidate.objects.filter(person=person).values_list("referred_on", "interview_on"))
    dates += list(Placement.objects.filter(person=person).values_list("started_on", "ended_on"))
    return [day for row in dates for day in row]
