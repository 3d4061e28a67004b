from django import template

from tremplin.plie.models import Orientation, Pathway
from tremplin.plie.perms import has_plie_access, is_cell_member
from tremplin.plie.views.common import can_work_on_person

register = template.Library()


@register.inclusion_tag("plie/_person_panel.html", takes_context=True)
def plie_person_panel(context, person):
    """The PLIE part of a person's record: orientations, pathways and "Orienter vers le PLIE"."""
    user = context["request"].user
    if not has_plie_access(user):
        return {"show": False}
    return {
        "show": True,
        "person": person,
        "pathways": Pathway.objects.visible_to(user).filter(person=person).order_by("-entry_proposed_on", "-pk"),
        "orientations": Orientation.objects.visible_to(user).filter(person=person).select_related("prescriber"),
        "can_orient": can_work_on_person(user, person),
    }


@register.simple_tag(takes_context=True)
def plie_nav(context) -> dict:
    """What the PLIE's tabs (plie/_nav.html) show the user: the cellule de suivi to its members."""
    user = context["request"].user
    return {"cell": has_plie_access(user) and is_cell_member(user)}
