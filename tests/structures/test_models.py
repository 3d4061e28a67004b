"""Organization validation: SIRET checks, SIAE type, uniqueness."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import OrganizationFactory, commune, valid_siret
from tremplin.structures.enums import OrganizationKind
from tremplin.structures.models import Organization


def _organization(**kwargs):
    data = {"name": "Les Jardins de Cocagne", "kind": OrganizationKind.COMPANY, "commune": commune()}
    data.update(kwargs)
    return Organization(**data)


def _errors(organization) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        organization.full_clean()
    return excinfo.value.message_dict


def _bad_key(siret: str) -> str:
    """Same SIREN, last digit changed: the SIRET's Luhn key no longer matches."""
    return siret[:-1] + str((int(siret[-1]) + 1) % 10)


def test_valid_siret_is_accepted():
    _organization(siret=valid_siret(42)).full_clean()


def test_siret_with_bad_luhn_key_is_refused_in_french():
    errors = _errors(_organization(siret=_bad_key(valid_siret(42))))
    assert errors["siret"] == ["SIRET invalide : la clé de contrôle ne correspond pas."]


def test_siret_with_bad_siren_key_is_refused_in_french():
    siret = valid_siret(42)
    siren = siret[:8] + str((int(siret[8]) + 1) % 10)
    errors = _errors(_organization(siret=siren + siret[9:]))
    assert "SIREN" in errors["siret"][0]
    assert errors["siret"][0].startswith("SIRET invalide")


@pytest.mark.parametrize("siret", ["1234567890123", "ABCDEFGHIJKLMN", "1234567890123A", "123 456 789 01234"])
def test_malformed_siret_is_refused_in_french(siret):
    errors = _errors(_organization(siret=siret))
    assert any("SIRET invalide" in message for message in errors["siret"])


def test_siae_without_type_is_refused():
    errors = _errors(_organization(kind=OrganizationKind.SIAE, siret=valid_siret(7)))
    assert errors["siae_type"] == ["Indiquez le type de SIAE (EI, ACI, AI, ETTI ou GEIQ)."]


def test_siae_with_type_is_accepted():
    _organization(kind=OrganizationKind.SIAE, siae_type="ETTI", siret=valid_siret(7)).full_clean()


def test_siae_type_on_a_non_siae_is_refused():
    errors = _errors(_organization(kind=OrganizationKind.OPERATOR, siae_type="ACI"))
    assert "ne s'applique qu'aux structures d'insertion" in errors["siae_type"][0]


def test_siae_type_on_a_non_siae_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        _organization(kind=OrganizationKind.OPERATOR, siae_type="ACI").save()


@pytest.mark.parametrize("kind", [OrganizationKind.COMPANY, OrganizationKind.SIAE])
def test_company_or_siae_without_siret_is_refused(kind):
    errors = _errors(_organization(kind=kind, siae_type="EI" if kind == OrganizationKind.SIAE else ""))
    assert errors["siret"] == ["Le SIRET est obligatoire pour une entreprise ou une SIAE."]


def test_operator_without_siret_is_accepted():
    _organization(kind=OrganizationKind.OPERATOR).full_clean()


def test_siret_is_unique():
    existing = OrganizationFactory(company=True)
    with pytest.raises(ValidationError):
        _organization(name="Autre nom", siret=existing.siret).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        _organization(name="Autre nom", siret=existing.siret).save()


def test_empty_siret_is_not_subject_to_uniqueness():
    OrganizationFactory(kind=OrganizationKind.OPERATOR, siret="")
    other = _organization(kind=OrganizationKind.OPERATOR, siret="")
    other.full_clean()
    other.save()
    assert Organization.objects.filter(siret="").count() == 2


def test_search_text_is_folded_name_and_siret():
    organization = OrganizationFactory(name="Régie de Quartier Épi", company=True)
    assert organization.search_text == f"regie de quartier epi {organization.siret}"


def test_kind_label_mentions_siae_type():
    assert OrganizationFactory(siae=True).kind_label == "SIAE (insertion par l'activité économique) – ACI"
    assert OrganizationFactory(kind=OrganizationKind.FUNDER).kind_label == "Financeur"
