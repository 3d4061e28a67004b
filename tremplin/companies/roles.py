"""Who works with companies, offers and events (docs/permissions.md, « Entreprises, offres, événements »)."""

from tremplin.accounts.enums import Role

# The chargé·es de projet (Lab', Cité de l'emploi, CMQ) and the coordination manage companies, offers and events.
MANAGERS = {Role.PROJECT_OFFICER, Role.COORDINATOR, Role.ASSISTANT}
# People-following roles read the companies and offers and rank their own people (their structure's scope);
# the direction reads everything.
MATCHERS = {Role.REFERENT, Role.FACILITATOR, Role.MOBILITY_ADVISER}
READERS = MANAGERS | MATCHERS | {Role.MANAGER}


def is_manager(user) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(user.roles & MANAGERS))


def is_reader(user) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(user.roles & READERS))


def can_propose(user) -> bool:
    """Rank, record interest and propose people: managers and the people-following roles."""
    return user.is_authenticated and (user.is_superuser or bool(user.roles & (MANAGERS | MATCHERS)))


def company_ids(user) -> list[int]:
    return user.organization_ids(Role.COMPANY) if user.is_authenticated else []
