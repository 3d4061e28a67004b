"""Writing a valid PLIE import: people, facts, orientations, pathways, follow-ups, contracts, étapes and business
creations, in bulk."""

from simple_history.utils import bulk_create_with_history

from tremplin.people.enums import FactKind, Programme
from tremplin.people.models import FollowUp, Person, SituationFact
from tremplin.plie.enums import (
    POSITIVE_EXIT_KINDS,
    AppointmentOutcome,
    OrientationStatus,
    PathwayStatus,
)
from tremplin.plie.exits import assess_exit
from tremplin.plie.imports.columns import SOURCE
from tremplin.plie.imports.drafts import matching_outcome, outcome_summary
from tremplin.plie.imports.report import _d
from tremplin.plie.imports.validation import Group
from tremplin.plie.models import BusinessCreation, Contract, Orientation, Pathway, Step
from tremplin.reports.cache import figures_changed


def write(importer, groups: list[Group]) -> dict[str, int]:
    by, today = importer.by, importer.today
    new_people = [g.person for g in groups if not g.matched]
    bulk_create_with_history(new_people, Person, default_user=by)
    facts, orientations, follow_ups, pathways = [], [], [], []
    reused = 0
    for group in groups:
        values, person = group.values, group.person
        entry, exit_date = values["entry_date"], values.get("exit_date")
        if values.get("rsa") and (person.pk, FactKind.RSA) not in importer.fact_kinds:
            facts.append(SituationFact(person=person, kind=FactKind.RSA, started_on=entry, source=SOURCE))
        level = values.get("education_level")
        if level and (person.pk, FactKind.EDUCATION_LEVEL) not in importer.fact_kinds:
            facts.append(
                SituationFact(
                    person=person, kind=FactKind.EDUCATION_LEVEL, value=level, started_on=entry, source=SOURCE
                )
            )
        orientation = None
        prescriber = values.get("prescriber")
        if prescriber is not None:
            orientation = Orientation(
                person=person,
                prescriber=prescriber,
                oriented_on=values.get("oriented_on") or entry,
                reason=f"Orientation reprise de l'outil PLIE précédent (import du {_d(today)}).",
                appointment_outcome=AppointmentOutcome.PRESENT,
                status=OrientationStatus.ENTERED,
                created_by=by,
            )
            orientations.append(orientation)
        organization, referent = values["organization"], values.get("referent")
        pathway = Pathway(
            person=person,
            orientation=orientation,
            status=PathwayStatus.EXITED if exit_date else PathwayStatus.ACTIVE,
            eligibility={"imported": True, "source": SOURCE, "imported_on": today.isoformat()},
            proposed_organization=organization,
            proposed_referent=referent,
            entry_proposed_on=values.get("oriented_on") or entry,
            entry_proposed_by=by,
            entry_date=entry,
            entry_decided_by=by,
            entry_decision_notes=f"Entrée validée dans l'outil PLIE précédent (import du {_d(today)}).",
        )
        if exit_date:
            pathway.exit_date = exit_date
            pathway.exit_kind = values["exit_kind"]
            pathway.exit_proposed_on = exit_date
            pathway.exit_proposed_by = by
            pathway.exit_validated_by = by
            pathway.exit_explanation = f"Sortie validée dans l'outil PLIE précédent (import du {_d(today)})."
        pathways.append(pathway)
        group.pathway = pathway
        existing = importer.open_follow_ups.get((person.pk, organization.pk)) if group.matched else None
        if existing is not None and exit_date is None:
            reused += 1  # the structure already follows the person: the pathway continues it
            if referent is not None and existing.referent_id is None:
                existing.referent = referent
                existing._history_user = by
                existing.save(update_fields=["referent", "updated_at"])
        else:
            follow_ups.append(
                FollowUp(
                    person=person,
                    organization=organization,
                    programme=Programme.PLIE,
                    referent=referent,
                    prescriber=prescriber,
                    started_on=entry,
                    ended_on=exit_date,
                )
            )
    for fact in facts:
        fact.recorded_by = by
    bulk_create_with_history(facts, SituationFact, default_user=by)
    bulk_create_with_history(orientations, Orientation, default_user=by)
    # Pathways first without history: their exit criterion is known once their contracts are saved.
    Pathway.objects.bulk_create(pathways)
    bulk_create_with_history(follow_ups, FollowUp, default_user=by)
    contracts = []
    for group in groups:
        for _, contract in group.contracts:
            contract.pathway = group.pathway
            contracts.append(contract)
    bulk_create_with_history(contracts, Contract, default_user=by)
    steps, businesses = [], []
    for group in groups:
        for _, step in group.steps:
            step.pathway = group.pathway
            steps.append(step)
        for _, business in group.businesses:
            business.pathway = group.pathway
            businesses.append(business)
    bulk_create_with_history(steps, Step, default_user=by)
    bulk_create_with_history(businesses, BusinessCreation, default_user=by)
    unconfirmed = _record_exit_rules(groups)
    Pathway.history.bulk_history_create(pathways, default_user=by)
    figures_changed()  # bulk writes send no signal: the figures are recomputed once this import commits
    exited = [p for p in pathways if p.status == PathwayStatus.EXITED]
    positive = [p for p in exited if p.exit_kind in POSITIVE_EXIT_KINDS]
    created = {
        "Personnes inscrites au registre": len(new_people),
        "Personnes déjà inscrites, rattachées": len(groups) - len(new_people),
        "Parcours PLIE": len(pathways),
        "dont en cours": len(pathways) - len(exited),
        "dont sortis": len(exited),
        "dont sorties positives": len(positive),
        "dont sorties positives sans critère confirmé": unconfirmed,
        "Orientations": len(orientations),
        "Suivis PLIE (structure et référent)": len(follow_ups),
        "Suivis existants poursuivis": reused,
        "Contrats de travail": len(contracts),
        "dont validés par la cellule (ACI, 55 ans et plus)": sum(c.cell_validated_on is not None for c in contracts),
        "Étapes de parcours": len(steps),
        "Créations d'entreprise": len(businesses),
        "Faits de situation (RSA, niveau de formation)": len(facts),
    }
    return created


def _record_exit_rules(groups) -> int:
    """The rule confirming each positive exit, as propose_exit records it; counts the unconfirmed ones."""
    positive = [g.pathway for g in groups if g.pathway.exit_kind in POSITIVE_EXIT_KINDS]
    if not positive:
        return 0
    saved = Pathway.objects.filter(pk__in=[p.pk for p in positive]).select_related("person")
    saved = {p.pk: p for p in saved.prefetch_related("contracts", "steps", "businesses")}
    unconfirmed, updated = 0, []
    for pathway in positive:
        assessment = assess_exit(saved[pathway.pk], pathway.exit_date)
        outcome = matching_outcome(assessment, pathway.exit_kind)
        if outcome is None:
            unconfirmed += 1
            pathway.exit_explanation += (
                " Sortie positive non confirmée par les critères de l'appel à projets : " + assessment.summary
            )
        else:
            pathway.exit_rule = outcome.rule
            pathway.exit_explanation += " " + outcome_summary(outcome)
        updated.append(pathway)
    Pathway.objects.bulk_update(updated, ["exit_rule", "exit_explanation"])
    return unconfirmed
