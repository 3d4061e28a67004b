"""Doors to companies, offers, events and the records naming a person: every view enters through here.

Qui voit quoi (docs/permissions.md, « Entreprises, offres, événements ») :
- chargé·es de projet et coordination (coordination, assistance) gèrent entreprises, offres, événements,
  immersions, propositions ; la direction lit tout ;
- référent·es, facilitateur·rices et conseiller·ères mobilité lisent entreprises, offres et événements et
  classent, proposent, inscrivent les seules personnes de leur périmètre (`Person.objects.visible_to`) ;
- une entreprise lit ses offres et ce qui lui a été proposé, sans noms ; jamais le vivier ;
- financeurs, prescripteurs, donneurs d'ordre et comptes sans structure : 404 ; les chiffres passent par
  la page « Indicateurs ».
Hors périmètre : 404, comme un identifiant inconnu ; dans le périmètre sans droit d'écrire : 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from tremplin.companies import roles
from tremplin.companies.models import Event, Immersion, Offer, Proposal, Registration
from tremplin.companies.services import COMPANY_KINDS
from tremplin.people.models import Person
from tremplin.people.perms import can_edit_person, get_person_for_user
from tremplin.people.services import log_access
from tremplin.structures.models import Organization

READ_ONLY = "Vous pouvez consulter ces informations mais pas les modifier."
MANAGERS_ONLY = "Seul·es les chargé·es de projet et la coordination gèrent les entreprises, offres et événements."


def require_reader(user) -> None:
    if not roles.is_reader(user):
        raise Http404


def require_manager(user) -> None:
    require_reader(user)
    if not roles.is_manager(user):
        raise PermissionDenied(MANAGERS_ONLY)


def require_proposer(user) -> None:
    """Rank, propose, register people: 404 to roles without people; 403 to the direction, which reads."""
    require_reader(user)
    if not roles.can_propose(user):
        raise PermissionDenied(READ_ONLY)


def has_offer_access(user) -> bool:
    return roles.is_reader(user) or bool(roles.company_ids(user))


def companies_for(user):
    if not roles.is_reader(user):
        return Organization.objects.none()
    return Organization.objects.filter(kind__in=COMPANY_KINDS)


def get_company_for_user(request, company_id, *, write=False) -> Organization:
    require_reader(request.user)
    company = get_object_or_404(companies_for(request.user).select_related("commune"), pk=company_id)
    if write and not roles.is_manager(request.user):
        raise PermissionDenied(MANAGERS_ONLY)
    return company


def get_offer_for_user(request, offer_id, *, write=False) -> Offer:
    if not has_offer_access(request.user):
        raise Http404
    offer = get_object_or_404(
        Offer.objects.visible_to(request.user).select_related("company", "commune", "rome"), pk=offer_id
    )
    if write and not roles.is_manager(request.user):
        raise PermissionDenied(MANAGERS_ONLY)
    return offer


def get_offer_to_rank(request, offer_id) -> Offer:
    """The ranking page: never for companies (they do not see the pool), 403 for the direction."""
    require_reader(request.user)
    offer = get_object_or_404(Offer.objects.select_related("company", "commune", "rome"), pk=offer_id)
    require_proposer(request.user)
    return offer


def get_person_to_match(request, public_id, *, write=False):
    """A person of the user's scope (404 otherwise, as an unknown id); 403 to those who see her without
    working with companies (prescribers); writing needs a role that proposes people and a structure that
    follows her."""
    person = get_person_for_user(request, public_id)
    if not roles.is_reader(request.user):
        raise PermissionDenied(READ_ONLY)
    if write and not (roles.can_propose(request.user) and can_edit_person(request.user, person)):
        raise PermissionDenied(READ_ONLY)
    return person


def _person_record(request, model, pk, *related):
    """A record naming a person: 404 outside the person's scope (as an unknown id), 403 to those who see the
    person without working with companies (prescribers)."""
    record = get_object_or_404(
        model.objects.filter(person__in=Person.objects.visible_to(request.user)).select_related("person", *related),
        pk=pk,
    )
    if not roles.is_reader(request.user):
        raise PermissionDenied(READ_ONLY)
    # The door logs the read of the person the record names (docs/permissions.md).
    log_access(person=record.person, user=request.user, request=request)
    return record


def get_proposal_for_user(request, proposal_id, *, write=False) -> Proposal:
    proposal = _person_record(request, Proposal, proposal_id, "offer__company")
    if write and not (roles.can_propose(request.user) and can_edit_person(request.user, proposal.person)):
        raise PermissionDenied(READ_ONLY)
    return proposal


def get_event_for_user(request, event_id, *, write=False) -> Event:
    require_reader(request.user)
    event = get_object_or_404(Event.objects.visible_to(request.user), pk=event_id)
    if write and not roles.is_manager(request.user):
        raise PermissionDenied(MANAGERS_ONLY)
    return event


def get_registration_for_user(request, registration_id, *, write=False) -> Registration:
    registration = _person_record(request, Registration, registration_id, "event")
    if write and not roles.is_manager(request.user):
        raise PermissionDenied(MANAGERS_ONLY)
    return registration


def get_immersion_for_user(request, immersion_id, *, write=False) -> Immersion:
    immersion = _person_record(request, Immersion, immersion_id, "company")
    if write and not (roles.can_propose(request.user) and can_edit_person(request.user, immersion.person)):
        raise PermissionDenied(READ_ONLY)
    return immersion
