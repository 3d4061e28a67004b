from django.db import models


class OrganizationKind(models.TextChoices):
    LEAD = "lead", "Structure porteuse"
    OPERATOR = "operator", "Opérateur (référents de parcours)"
    PRESCRIBER = "prescriber", "Prescripteur"
    SIAE = "siae", "SIAE (insertion par l'activité économique)"
    COMPANY = "company", "Entreprise"
    BUYER = "buyer", "Donneur d'ordre"
    FUNDER = "funder", "Financeur"


class SiaeType(models.TextChoices):
    EI = "EI", "EI – entreprise d'insertion"
    ACI = "ACI", "ACI – atelier et chantier d'insertion"
    AI = "AI", "AI – association intermédiaire"
    ETTI = "ETTI", "ETTI – entreprise de travail temporaire d'insertion"
    GEIQ = "GEIQ", "GEIQ – groupement d'employeurs pour l'insertion et la qualification"


# Kinds whose legal identity is checked through a SIRET.
SIRET_REQUIRED = {OrganizationKind.COMPANY, OrganizationKind.SIAE}


class Activity(models.TextChoices):
    """A company's line of business, for the clauses reports (companies by kind)."""

    BUILDING = "building", "Bâtiment"
    PUBLIC_WORKS = "public_works", "Travaux publics"
    SERVICES = "services", "Services"
    ADAPTED = "adapted", "Entreprise adaptée (EA)"
    ESAT = "esat", "ESAT"
    OTHER = "other", "Autre activité"
