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
            "admin": user.is_staff,
        }
    }
