"""The PLIE's panel of the role home pages (registered in tremplin/plie/registry.py)."""

from tremplin.plie import selectors
from tremplin.plie.perms import PLIE_ROLES, has_plie_access


def home_panel(user, today) -> dict | None:
    """Counts and what awaits the user, on the home pages of the PLIE roles (and of an administrator
    without a role, who gets the coordination's)."""
    if not has_plie_access(user) or user.primary_role not in PLIE_ROLES | {None}:
        return None
    return selectors.home_summary(user=user, today=today)
