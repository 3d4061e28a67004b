"""Doors to the platform's records: every mobility view enters through one of these functions.

Qui voit quoi (docs/permissions.md, « Plateforme mobilité ») :
- les conseiller·ères de la plateforme gèrent prescriptions, diagnostics, locations, aides au permis,
  flotte et ateliers ; la coordination et la direction consultent tout, sans modifier ;
- un prescripteur (référent·e PLIE, Mission Locale, SIAE, France Travail...) prescrit et ne voit que les
  prescriptions de sa structure ; la flotte, le calendrier, les retards et les ateliers ne sont pas pour lui ;
- les autres rôles reçoivent 404.
Hors périmètre : 404, comme un identifiant inconnu ; dans le périmètre sans droit d'écrire : 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from tremplin.mobility.models import (
    PRESCRIBING_ROLES,
    READER_ROLES,
    STAFF_ROLES,
    LicenceAid,
    Prescription,
    Rental,
    Vehicle,
    WorkshopSession,
)
from tremplin.people.models import Person
from tremplin.people.services import log_access

READ_ONLY = "Vous pouvez consulter la plateforme mobilité mais pas la modifier."


def is_mobility_staff(user) -> bool:
    """The platform's advisers, and coordination and direction who read: the fleet is theirs only."""
    return user.is_authenticated and (user.is_superuser or bool(user.roles & (STAFF_ROLES | READER_ROLES)))


def can_manage(user) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(user.roles & STAFF_ROLES))


def can_prescribe(user) -> bool:
    return user.is_authenticated and bool(user.roles & PRESCRIBING_ROLES)


def has_mobility_access(user) -> bool:
    return is_mobility_staff(user) or can_prescribe(user)


def home_url(user) -> str:
    return reverse("mobility:home") if is_mobility_staff(user) else reverse("mobility:prescription_list")


def require_access(user) -> None:
    if not has_mobility_access(user):
        raise Http404


def require_staff(user) -> None:
    """The fleet, the calendar, the late list and the workshops: 404 for everyone else."""
    if not is_mobility_staff(user):
        raise Http404


def require_manager(user) -> None:
    require_staff(user)
    if not can_manage(user):
        raise PermissionDenied(READ_ONLY)


def require_prescriber(user) -> None:
    require_access(user)
    if not can_prescribe(user):
        raise PermissionDenied("Seuls les prescripteurs orientent une personne vers la plateforme.")


NOT_YOURS = "Ce dossier mobilité a été prescrit par une autre structure : vous ne pouvez pas le consulter."


def _get(request, queryset, pk, *, person_path, write):
    """The record if the user may see it. Outside their scope, 404 as for an unknown id; but to a user
    who already sees the person (her référent, for instance), the file of another prescriber answers
    403: it confirms nothing they do not know, and says why."""
    require_access(request.user)
    record = queryset.visible_to(request.user).filter(pk=pk).first()
    if record is None:
        people = Person.objects.visible_to(request.user)
        if queryset.model.objects.filter(pk=pk, **{f"{person_path}__in": people}).exists():
            raise PermissionDenied(NOT_YOURS)
        raise Http404
    if write and not can_manage(request.user):
        raise PermissionDenied(READ_ONLY)
    # The door logs the read of the person the record names (docs/permissions.md).
    person = record
    for part in person_path.split("__"):
        person = getattr(person, part)
    log_access(person=person, user=request.user, request=request)
    return record


def get_prescription_for_user(request, prescription_id, *, write=False) -> Prescription:
    queryset = Prescription.objects.select_related("person__commune", "prescriber", "platform")
    return _get(request, queryset, prescription_id, person_path="person", write=write)


def get_rental_for_user(request, rental_id, *, write=False) -> Rental:
    queryset = Rental.objects.select_related("prescription__person__commune", "vehicle", "tariff")
    return _get(request, queryset, rental_id, person_path="prescription__person", write=write)


def get_licence_aid_for_user(request, aid_id, *, write=False) -> LicenceAid:
    queryset = LicenceAid.objects.select_related("prescription__person")
    return _get(request, queryset, aid_id, person_path="prescription__person", write=write)


def get_vehicle_for_user(request, vehicle_id, *, write=False) -> Vehicle:
    (require_manager if write else require_staff)(request.user)
    return get_object_or_404(Vehicle, pk=vehicle_id)


def get_session_for_user(request, session_id, *, write=False) -> WorkshopSession:
    (require_manager if write else require_staff)(request.user)
    return get_object_or_404(WorkshopSession, pk=session_id)
