from django.db import transaction

from tremplin.structures.models import Contact, Organization


@transaction.atomic
def save_organization(*, organization: Organization, by) -> Organization:
    organization.full_clean()
    organization._history_user = by
    organization.save()
    return organization


@transaction.atomic
def add_contact(*, contact: Contact, by) -> Contact:
    contact.full_clean()
    contact._history_user = by
    contact.save()
    return contact
