"""What the PLIE holds about a person, for the GDPR export, and what anonymisation erases
(registered in people.gdpr by PlieConfig.ready)."""

from tremplin.people.gdpr import anonymiser, erase_texts, labelled_rows, reference_dates, section
from tremplin.plie.models import BusinessCreation, Contract, FseQuestionnaire, Interview, Orientation, Pathway, Step


@section("Orientations vers le PLIE")
def _orientations(person):
    return labelled_rows(Orientation.objects.filter(person=person).select_related("prescriber", "created_by"))


@section("Parcours PLIE")
def _pathways(person):
    pathways = Pathway.objects.filter(person=person).select_related("proposed_organization", "proposed_referent")
    return [
        {
            **row,
            "Étapes": labelled_rows(Step.objects.filter(pathway=pathway)),
            "Contrats": labelled_rows(Contract.objects.filter(pathway=pathway)),
            "Créations d'entreprise": labelled_rows(BusinessCreation.objects.filter(pathway=pathway)),
            "Questionnaires FSE+": labelled_rows(FseQuestionnaire.objects.filter(pathway=pathway)),
        }
        for pathway, row in zip(pathways, labelled_rows(pathways), strict=True)
    ]


@section("Entretiens (notes lisibles par le demandeur)")
def _interviews(person, *, user=None):
    # Private notes stay in the author's structure: the export gives those the requester may read.
    interviews = Interview.objects.filter(pathway__person=person).select_related("author", "organization")
    if user is not None:
        interviews = interviews.readable_by(user)
    return labelled_rows(interviews)


@anonymiser
def _anonymise(person):
    erase_texts(Orientation.objects.filter(person=person), ["reason", "adviser_name", "outreach_notes"])
    erase_texts(Pathway.objects.filter(person=person), ["entry_decision_notes", "exit_explanation"])
    erase_texts(Step.objects.filter(pathway__person=person), ["notes"])
    erase_texts(Interview.objects.filter(pathway__person=person), ["notes"])
    erase_texts(Contract.objects.filter(pathway__person=person), ["part_time_agreement_evidence"])


@reference_dates
def _dates(person):
    dates = list(Orientation.objects.filter(person=person).values_list("oriented_on", "first_appointment_on"))
    dates += list(
        Pathway.objects.filter(person=person).values_list(
            "entry_proposed_on", "entry_date", "exit_proposed_on", "exit_date"
        )
    )
    dates += list(Contract.objects.filter(pathway__person=person).values_list("started_on", "ended_on"))
    dates += list(Step.objects.filter(pathway__person=person).values_list("started_on", "ended_on"))
    dates += list(FseQuestionnaire.objects.filter(pathway__person=person).values_list("collected_on", "collected_on"))
    return [day for row in dates for day in row]
