"""The one vocabulary of employment contracts, shared by every module (PLIE contracts, clause placements, job
offers), with the groupings their rules need.

Each module offers the subset that makes sense for it (PLIE_CONTRACTS, PLACEMENT_CONTRACTS, OFFER_CONTRACTS); the
stored values are the same everywhere, so a contract recorded by one module reads the same in another.
"""

from django.db import models


class ContractType(models.TextChoices):
    CDI = "cdi", "CDI"
    CDI_INTERIM = "cdi_interim", "CDI intérimaire"
    CDD = "cdd", "CDD"
    PROFESSIONALISATION = "professionalisation", "Contrat de professionnalisation"
    APPRENTICESHIP = "apprenticeship", "Contrat d'apprentissage"
    INTERIM = "interim", "Mission d'intérim"
    CTTI = "ctti", "Contrat de travail temporaire d'insertion"
    CDDI = "cddi", "CDDI"
    SUBSIDISED = "subsidised", "Contrat aidé (PEC, CUI)"
    QUALIFYING_TRAINING = "qualifying_training", "Formation qualifiante"
    OTHER = "other", "Autre"


# Groupings the rules use.
OPEN_ENDED = frozenset({ContractType.CDI, ContractType.CDI_INTERIM})
ALTERNANCE = frozenset({ContractType.PROFESSIONALISATION, ContractType.APPRENTICESHIP})
# Temporary work (intérim): missions of a temp agency, ordinary or of insertion (ETTI).
TEMPORARY_WORK = frozenset({ContractType.INTERIM, ContractType.CTTI})
# Subsidised contracts (contrats aidés: PEC, CUI).
SUBSIDISED = frozenset({ContractType.SUBSIDISED})
# The insertion contracts of the SIAE: CDDI (EI, ACI) and CTTI (ETTI).
INSERTION = frozenset({ContractType.CDDI, ContractType.CTTI})

# What each module offers, in the order of its lists.
PLIE_CONTRACTS = [
    ContractType.CDI,
    ContractType.CDI_INTERIM,
    ContractType.CDD,
    ContractType.INTERIM,
    ContractType.CTTI,
    ContractType.CDDI,
    ContractType.PROFESSIONALISATION,
    ContractType.APPRENTICESHIP,
    ContractType.SUBSIDISED,
    ContractType.OTHER,
]
PLACEMENT_CONTRACTS = [
    ContractType.CDI,
    ContractType.CDD,
    ContractType.PROFESSIONALISATION,
    ContractType.APPRENTICESHIP,
    ContractType.INTERIM,
    ContractType.CTTI,
    ContractType.CDDI,
    ContractType.QUALIFYING_TRAINING,
    ContractType.OTHER,
]
# Job offers (companies module): the contracts a company recruits on.
OFFER_CONTRACTS = [
    ContractType.CDI,
    ContractType.CDD,
    ContractType.INTERIM,
    ContractType.APPRENTICESHIP,
    ContractType.PROFESSIONALISATION,
    ContractType.CDDI,
    ContractType.SUBSIDISED,
]


def choices(contracts) -> list[tuple[str, str]]:
    """(value, label) of these contracts, for a model field or a form."""
    return [(contract.value, contract.label) for contract in contracts]


PLIE_CONTRACT_CHOICES = choices(PLIE_CONTRACTS)
PLACEMENT_CONTRACT_CHOICES = choices(PLACEMENT_CONTRACTS)
OFFER_CONTRACT_CHOICES = choices(OFFER_CONTRACTS)
