from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from tremplin.structures.models import Organization


def get_organization_for_user(request, pk, *, write=False) -> Organization:
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    if write and not request.user.can_manage_structures:
        raise PermissionDenied("Seules la coordination et la direction gèrent les structures.")
    return organization
