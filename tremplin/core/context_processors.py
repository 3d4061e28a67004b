from tremplin.clauses.perms import has_candidates_access, has_operations_access, is_clauses_staff
from tremplin.core.modules import modules
from tremplin.plie.perms import has_plie_access, is_cell_member


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "people": user.sees_records,
            "plie": has_plie_access(user),
            "plie_cell": has_plie_access(user) and is_cell_member(user),
            "structures": user.sees_records,
            "figures": user.sees_aggregates,
            # Clauses: the team manages; buyers and companies read their operations; référents and
            # prescribers read their people's candidacies.
            "clauses": has_operations_access(user) or has_candidates_access(user),
            "clauses_staff": is_clauses_staff(user),
            "clauses_operations": has_operations_access(user),
            "clauses_candidates": has_candidates_access(user),
            "admin": user.is_staff,
        },
        # The menu entries of the registered modules (tremplin.core.modules).
        "module_menu": modules.menu_for(user),
    }
