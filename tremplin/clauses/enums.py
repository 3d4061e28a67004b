from django.db import models

from tremplin.core import contracts


class Sector(models.TextChoices):
    BTP = "btp", "Bâtiment et travaux publics"
    SERVICES = "services", "Services"
    INTELLECTUAL = "intellectual", "Prestations intellectuelles"


class LegalBasis(models.TextChoices):
    """Legal bases of a clause (domain spec §4: 2016 decree articles and today's Code de la commande publique)."""

    EXECUTION_CONDITION = "execution_condition", "Condition d'exécution (art. 38 ; CCP L2112-2)"
    EXECUTION_AND_AWARD = "execution_and_award", "Condition d'exécution et critère d'attribution (art. 38-52)"
    INSERTION_MARKET = "insertion_market", "Marché d'insertion : l'insertion est l'objet du marché (art. 28)"
    RESERVED_MARKET = "reserved_market", "Marché réservé aux SIAE ou EA/ESAT (art. 36-37 ; CCP L2113-12, -13)"


# Insertion markets carry no hours: they are followed qualitatively (seed 004).
NO_HOURS_BASES = {LegalBasis.INSERTION_MARKET}


class FulfilmentMode(models.TextChoices):
    DIRECT_HIRE = "direct_hire", "Embauche directe par l'entreprise"
    PROVISION_ETTI = "provision_etti", "Mise à disposition par une ETTI"
    PROVISION_AI = "provision_ai", "Mise à disposition par une AI"
    PROVISION_GEIQ = "provision_geiq", "Mise à disposition par un GEIQ"
    SUBCONTRACTING_EI = "subcontracting_ei", "Sous-traitance à une EI"
    SUBCONTRACTING_ACI = "subcontracting_aci", "Sous-traitance à un ACI"
    SUBCONTRACTING_EA = "subcontracting_ea", "Sous-traitance à une EA ou un ESAT"


SUBCONTRACTING_MODES = {
    FulfilmentMode.SUBCONTRACTING_EI,
    FulfilmentMode.SUBCONTRACTING_ACI,
    FulfilmentMode.SUBCONTRACTING_EA,
}


# One vocabulary of contracts for every module (tremplin.core.contracts); a placement's contract is one of
# PLACEMENT_CONTRACT_CHOICES.
HireContract = contracts.ContractType
ALTERNANCE_CONTRACTS = contracts.ALTERNANCE
PLACEMENT_CONTRACTS = contracts.PLACEMENT_CONTRACTS
PLACEMENT_CONTRACT_CHOICES = contracts.PLACEMENT_CONTRACT_CHOICES


class EligiblePublic(models.TextChoices):
    """The eligible-public list (domain spec §4; local list to confirm with the charter)."""

    DELD = "deld", "Demandeur·se d'emploi de longue durée (12 mois et plus)"
    RSA = "rsa", "Bénéficiaire du RSA"
    ASS = "ass", "Bénéficiaire de l'ASS"
    AAH = "aah", "Bénéficiaire de l'AAH"
    RQTH = "rqth", "Travailleur·se handicapé·e (RQTH)"
    YOUNG_LOW_QUALIFIED = "young_low_qualified", "Jeune de moins de 26 ans de faible niveau de qualification"
    SIAE_EMPLOYEE = "siae_employee", "Salarié·e d'une SIAE"
    EPIDE_E2C = "epide_e2c", "Jeune sortant d'EPIDE ou d'école de la 2e chance"
    FACILITATOR_DECISION = "facilitator_decision", "Autre situation, sur décision motivée du facilitateur"


class CandidateStatus(models.TextChoices):
    REFERRED = "referred", "Orienté·e, à recevoir"
    VALIDATED = "validated", "Validé·e (vivier)"
    REFUSED = "refused", "Refusé·e"
    WITHDRAWN = "withdrawn", "Sorti·e du vivier"


class EvaluationStatus(models.TextChoices):
    TO_DO = "to_do", "À faire"
    DONE = "done", "Faite"
