from django.db import models


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordination PLIE (structure d'animation)"
    ASSISTANT = "assistant", "Assistance administrative"
    MANAGER = "manager", "Direction et finances"
    REFERENT = "referent", "Référent·e de parcours"
    FACILITATOR = "facilitator", "Facilitateur·rice clauses d'insertion"
    MOBILITY_ADVISER = "mobility_adviser", "Conseiller·ère plateforme mobilité"
    PROJECT_OFFICER = "project_officer", "Chargé·e de projet"
    PRESCRIBER = "prescriber", "Prescripteur·rice"
    BUYER = "buyer", "Donneur d'ordre"
    COMPANY = "company", "Entreprise"
    FUNDER = "funder", "Financeur"


# Who sees which people is decided in tremplin/people/models.py (PersonQuerySet.visible_to);
# these groups only name the roles. docs/permissions.md is the French table of the rules.
# The coordination team of the lead structure (also the cellule de suivi des entrées/sorties).
COORDINATION = {Role.COORDINATOR, Role.ASSISTANT}
SEES_ALL_PEOPLE = {Role.COORDINATOR, Role.ASSISTANT, Role.MANAGER}
EDITS_PEOPLE = {
    Role.COORDINATOR,
    Role.ASSISTANT,
    Role.REFERENT,
    Role.FACILITATOR,
    Role.MOBILITY_ADVISER,
    Role.PROJECT_OFFICER,
}
# External users: they never see personal data.
EXTERNAL = {Role.BUYER, Role.COMPANY, Role.FUNDER}
# Roles that may read aggregated figures without seeing any record.
AGGREGATES_ONLY = {Role.FUNDER}
MANAGES_STRUCTURES = {Role.COORDINATOR, Role.ASSISTANT, Role.MANAGER}
SEES_SENSITIVE_FACTS = {Role.COORDINATOR, Role.ASSISTANT, Role.MANAGER, Role.REFERENT}
# Accounts that see every person's record: after their password they must give a code from an
# authenticator app (TOTP); superusers and technical staff too (see tremplin.accounts.two_factor).
TWO_FACTOR_REQUIRED = {Role.COORDINATOR, Role.ASSISTANT, Role.MANAGER}
