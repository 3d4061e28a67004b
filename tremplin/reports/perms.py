from tremplin.accounts.enums import Role

WRITES_NARRATIVES = {Role.COORDINATOR, Role.MANAGER}


def can_write_narratives(user) -> bool:
    """The coordination and the direction write the texts of the activity report."""
    return user.is_authenticated and (user.is_superuser or bool(user.roles & WRITES_NARRATIVES))
