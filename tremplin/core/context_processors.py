def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "people": user.sees_records,
            "structures": user.sees_records,
            "figures": user.sees_aggregates,
            "admin": user.is_staff,
        }
    }
