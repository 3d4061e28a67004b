from django import template

from tremplin.clauses.perms import has_candidates_access, has_operations_access, is_clauses_staff

register = template.Library()


@register.simple_tag(takes_context=True)
def clauses_nav(context) -> dict:
    """What the clauses' tabs (clauses/_nav.html) show the user: the team manages; buyers and companies read their
    operations; référents and prescribers read their people's candidacies."""
    user = context["request"].user
    return {
        "staff": is_clauses_staff(user),
        "operations": has_operations_access(user),
        "candidates": has_candidates_access(user),
    }
