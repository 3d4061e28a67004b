"""One contract vocabulary for every module: the values stored before it are kept, each module its subset."""

from tremplin.clauses.models import Placement
from tremplin.core import contracts
from tremplin.core.contracts import ContractType
from tremplin.plie.models import Contract


def test_the_stored_values_of_both_modules_are_kept():
    # The values the PLIE contracts and the clause placements stored before sharing one vocabulary.
    plie = ["cdi", "cdi_interim", "cdd", "interim", "ctti", "cddi", "professionalisation", "apprenticeship"]
    clauses = ["cdi", "cdd", "professionalisation", "apprenticeship", "interim", "ctti", "cddi"]
    assert [c for c, _ in Contract._meta.get_field("contract_type").choices] == [*plie, "subsidised", "other"]
    assert [c for c, _ in Placement._meta.get_field("contract").choices] == [*clauses, "qualifying_training", "other"]


def test_the_groupings_the_rules_use():
    assert contracts.ALTERNANCE == {ContractType.PROFESSIONALISATION, ContractType.APPRENTICESHIP}
    assert contracts.TEMPORARY_WORK == {ContractType.INTERIM, ContractType.CTTI}
    assert contracts.INSERTION == {ContractType.CDDI, ContractType.CTTI}
    assert contracts.OPEN_ENDED == {ContractType.CDI, ContractType.CDI_INTERIM}
    assert ContractType.QUALIFYING_TRAINING not in contracts.PLIE_CONTRACTS  # a training, not a PLIE contract
    assert ContractType.SUBSIDISED not in contracts.PLACEMENT_CONTRACTS


def test_both_modules_name_the_same_contract_alike():
    from tremplin.clauses.enums import HireContract
    from tremplin.plie.enums import ContractType as PlieContractType

    assert HireContract is PlieContractType is ContractType
    plie_labels = dict(contracts.PLIE_CONTRACT_CHOICES)
    for value, label in contracts.PLACEMENT_CONTRACT_CHOICES:
        assert plie_labels.get(value, label) == label


def test_job_offers_use_the_one_vocabulary():
    from tremplin.companies.models import Hire, Offer
    from tremplin.core.contracts import OFFER_CONTRACT_CHOICES

    for model in (Offer, Hire):
        assert model._meta.get_field("contract_type").choices == OFFER_CONTRACT_CHOICES
    assert {value for value, _ in OFFER_CONTRACT_CHOICES} <= set(ContractType.values)
