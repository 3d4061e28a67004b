from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tremplin.accounts.enums import Role
from tremplin.accounts.models import Membership, User
from tremplin.structures.enums import OrganizationKind

# Which kinds of structure each role belongs to: a référent works for an operator, a buyer's
# user for a buyer, and so on. The lead structure (Creativ') hosts its own teams.
ROLE_ORGANIZATION_KINDS = {
    Role.COORDINATOR: {OrganizationKind.LEAD},
    Role.ASSISTANT: {OrganizationKind.LEAD},
    Role.MANAGER: {OrganizationKind.LEAD},
    Role.FACILITATOR: {OrganizationKind.LEAD, OrganizationKind.OPERATOR},
    Role.MOBILITY_ADVISER: {OrganizationKind.LEAD, OrganizationKind.OPERATOR},
    Role.PROJECT_OFFICER: {OrganizationKind.LEAD, OrganizationKind.OPERATOR},
    Role.REFERENT: {OrganizationKind.OPERATOR, OrganizationKind.LEAD, OrganizationKind.SIAE},
    Role.PRESCRIBER: {OrganizationKind.PRESCRIBER, OrganizationKind.OPERATOR, OrganizationKind.SIAE},
    Role.BUYER: {OrganizationKind.BUYER},
    Role.COMPANY: {OrganizationKind.COMPANY, OrganizationKind.SIAE},
    Role.FUNDER: {OrganizationKind.FUNDER},
}


@transaction.atomic
def add_member(*, organization, email, first_name, last_name, role, by, job_title="", password=None) -> Membership:
    allowed = ROLE_ORGANIZATION_KINDS[role]
    if organization.kind not in allowed:
        role_label, kind_label = Role(role).label, organization.get_kind_display()
        raise ValidationError({"role": f"Le rôle « {role_label} » n'existe pas dans une structure « {kind_label} »."})
    user = User.objects.filter(email=email.lower()).first()
    if user is None:
        user = User(email=email.lower(), first_name=first_name, last_name=last_name)
        user.set_password(password) if password else user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    # The membership's own dates decide, not the account's state: a deactivated account keeps its
    # open membership (and the database allows only one open membership per user, structure and role).
    current = Q(ended_on__isnull=True) | Q(ended_on__gte=timezone.localdate())
    if Membership.objects.filter(current, user=user, organization=organization, role=role).exists():
        raise ValidationError({"email": f"{user} a déjà ce rôle dans cette structure."})
    membership = Membership(user=user, organization=organization, role=role, job_title=job_title)
    membership._history_user = by
    membership.save()
    return membership
