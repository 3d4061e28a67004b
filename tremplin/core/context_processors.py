from tremplin.core.modules import modules


def navigation(request):
    """The main menu: the registry's entries of the domain modules (tremplin.core.modules), and the shared
    pages decided by the user's capabilities (tremplin.accounts). Imports no domain app."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "people": user.sees_records,
            "structures": user.sees_records,
            "figures": user.sees_aggregates,
            "admin": user.is_staff,
        },
        # The menu entries of the registered modules (tremplin.core.modules).
        "module_menu": modules.menu_for(user),
    }
