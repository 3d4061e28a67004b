"""Doors to the clauses records: every clauses view enters through one of these functions.

Qui voit quoi (docs/permissions.md, « Clauses d'insertion ») :
- l'équipe interne (facilitation, coordination, assistance, direction) gère opérations, lots,
  candidatures et mises en emploi ; les personnes suivent le périmètre du registre
  (`Person.objects.visible_to`) : un·e facilitateur·rice voit les personnes que sa structure suit au
  titre des clauses ;
- référent·es et prescripteurs lisent les candidatures et mises en emploi de leurs personnes, rien d'autre ;
- un donneur d'ordre lit ses seules opérations, une entreprise ses seuls lots, sans aucun nom de personne ;
- les autres rôles (mobilité, projets, financeurs, comptes sans structure) reçoivent 404.
Hors périmètre : 404, comme un identifiant inconnu ; dans le périmètre mais sans droit d'écrire : 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from tremplin.accounts.enums import Role
from tremplin.clauses.models import Candidate, GlobalisationAgreement, Lot, Market, Operation, Placement
from tremplin.people.enums import Programme
from tremplin.people.models import FollowUp
from tremplin.people.services import log_access

CLAUSES_STAFF = {Role.FACILITATOR, Role.COORDINATOR, Role.ASSISTANT, Role.MANAGER}
PEOPLE_READERS = {Role.REFERENT, Role.PRESCRIBER}
EXTERNAL_READERS = {Role.BUYER, Role.COMPANY}

READ_ONLY = "Vous pouvez consulter ces informations mais pas les modifier."
STAFF_ONLY = "Seule l'équipe des clauses d'insertion (facilitation, coordination, assistance, direction) y accède."


def is_clauses_staff(user) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(user.roles & CLAUSES_STAFF))


def has_operations_access(user) -> bool:
    """Operations, markets and lots: the clauses team, buyers and companies (each their own)."""
    return is_clauses_staff(user) or (user.is_authenticated and bool(user.roles & EXTERNAL_READERS))


def has_candidates_access(user) -> bool:
    """Candidacies and placements: the clauses team, and référents and prescribers for their people."""
    return is_clauses_staff(user) or (user.is_authenticated and bool(user.roles & PEOPLE_READERS))


def has_clauses_access(user) -> bool:
    return has_operations_access(user) or has_candidates_access(user)


def shows_names(user) -> bool:
    """Buyers and companies never read a person's name in the clauses pages."""
    return is_clauses_staff(user) or has_candidates_access(user)


def require_clauses_staff(user) -> None:
    """Pages of the clauses team: 404 for roles without clauses data, 403 for those who only read."""
    if not has_clauses_access(user):
        raise Http404
    if not is_clauses_staff(user):
        raise PermissionDenied(STAFF_ONLY)


def require_people_staff(user) -> None:
    """Writes on people without a record yet (a referral): 404 for buyers and companies, who have no
    people pages at all; 403 for référents and prescribers, who read their people only."""
    require_candidates_access(user)
    if not is_clauses_staff(user):
        raise PermissionDenied(STAFF_ONLY)


def can_refer(user) -> bool:
    return is_clauses_staff(user) or (user.is_authenticated and Role.PRESCRIBER in user.roles)


def require_referrer(user) -> None:
    """Who refers a person to the clauses service: the team, and prescribers for the people they enter
    (they then follow the candidacy's status, nothing more). Buyers and companies: 404; référents: 403."""
    require_candidates_access(user)
    if not can_refer(user):
        raise PermissionDenied(STAFF_ONLY)


def require_operations_access(user) -> None:
    if not has_operations_access(user):
        raise Http404


def require_candidates_access(user) -> None:
    if not has_candidates_access(user):
        raise Http404


# --- Operations, markets, lots ----------------------------------------------------------------


def operations_for(user):
    if not has_operations_access(user):
        return Operation.objects.none()
    return Operation.objects.visible_to(user)


def lots_for(user):
    """Lots the user may read: all lots of visible operations for the team and buyers; a company's own lots."""
    if not has_operations_access(user):
        return Lot.objects.none()
    lots = Lot.objects.filter(market__operation__in=operations_for(user))
    if is_clauses_staff(user) or user.organization_ids(Role.BUYER):
        return lots
    companies = user.organization_ids(Role.COMPANY)
    own = Q(attributaire_id__in=companies) | Q(
        pk__in=Placement.objects.filter(employer_id__in=companies).values("lot")
    )
    return lots.filter(own)


def sees_whole_operation(user) -> bool:
    """Companies see their own lots of an operation, not the others' figures."""
    return is_clauses_staff(user) or bool(user.organization_ids(Role.BUYER))


def _check_write(user):
    if not is_clauses_staff(user):
        raise PermissionDenied(READ_ONLY)


def get_operation_for_user(request, operation_id, *, write=False) -> Operation:
    require_operations_access(request.user)
    operation = get_object_or_404(
        operations_for(request.user).select_related("buyer", "owner", "commune", "facilitator"), pk=operation_id
    )
    if write:
        _check_write(request.user)
    return operation


def get_market_for_user(request, market_id, *, write=False) -> Market:
    require_operations_access(request.user)
    market = get_object_or_404(
        Market.objects.filter(operation__in=operations_for(request.user)).select_related("operation"), pk=market_id
    )
    if write:
        _check_write(request.user)
    return market


def get_lot_for_user(request, lot_id, *, write=False) -> Lot:
    require_operations_access(request.user)
    lot = get_object_or_404(
        lots_for(request.user).select_related("market__operation__buyer", "attributaire"), pk=lot_id
    )
    if write:
        _check_write(request.user)
    return lot


def agreements_for(user):
    return GlobalisationAgreement.objects.filter(operations__in=operations_for(user)).distinct()


def get_agreement_for_user(request, agreement_id, *, write=False) -> GlobalisationAgreement:
    require_operations_access(request.user)
    agreement = get_object_or_404(agreements_for(request.user), pk=agreement_id)
    if write:
        _check_write(request.user)
    return agreement


# --- Candidates and placements: the person's scope ----------------------------------------------


def candidates_for(user):
    if not has_candidates_access(user):
        return Candidate.objects.none()
    return Candidate.objects.visible_to(user)


def placements_for(user):
    if not has_candidates_access(user):
        return Placement.objects.none()
    return Placement.objects.visible_to(user)


def can_work_on_person(user, person) -> bool:
    """The clauses team writes on a person's candidacy while it follows them (the coordination: always)."""
    if not is_clauses_staff(user):
        return False
    if user.sees_all_people:
        return True
    orgs = user.organization_ids(Role.FACILITATOR)
    return (
        FollowUp.objects.open().filter(person=person, programme=Programme.CLAUSES, organization_id__in=orgs).exists()
    )


def get_candidate_for_user(request, candidate_id, *, write=False) -> Candidate:
    # Same 404 for "does not exist" and "not yours": never confirm that a person is a candidate.
    require_candidates_access(request.user)
    candidate = get_object_or_404(
        candidates_for(request.user).select_related("person", "person__commune", "prescriber", "decided_by"),
        pk=candidate_id,
    )
    if write and not can_work_on_person(request.user, candidate.person):
        raise PermissionDenied(READ_ONLY)
    log_access(person=candidate.person, user=request.user, request=request)
    return candidate


def get_placement_for_user(request, placement_id, *, write=False) -> Placement:
    require_candidates_access(request.user)
    placement = get_object_or_404(
        placements_for(request.user).select_related("person", "lot__market__operation", "employer", "candidate"),
        pk=placement_id,
    )
    if write and not can_work_on_person(request.user, placement.person):
        raise PermissionDenied(READ_ONLY)
    log_access(person=placement.person, user=request.user, request=request)
    return placement
