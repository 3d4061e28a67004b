from django.db import models

from tremplin.core import contracts


class AppointmentOutcome(models.TextChoices):
    SCHEDULED = "scheduled", "Rendez-vous fixé"
    PRESENT = "present", "Présent·e"
    ABSENT = "absent", "Absent·e"


class OrientationStatus(models.TextChoices):
    OPEN = "open", "En cours"
    ENTERED = "entered", "Entrée dans le PLIE"
    NOT_ENTERED = "not_entered", "Non entrée"


class PathwayStatus(models.TextChoices):
    ENTRY_PROPOSED = "entry_proposed", "Entrée proposée à la cellule"
    ACTIVE = "active", "En parcours"
    EXIT_PROPOSED = "exit_proposed", "Sortie proposée à la cellule"
    EXITED = "exited", "Sorti·e"
    ENTRY_REFUSED = "entry_refused", "Entrée refusée"


# A pathway in these states counts as "in the PLIE" (the person holds their place).
OPEN_PATHWAY_STATUSES = [PathwayStatus.ENTRY_PROPOSED, PathwayStatus.ACTIVE, PathwayStatus.EXIT_PROPOSED]


class StepKind(models.TextChoices):
    DIAGNOSTIC = "diagnostic", "Diagnostic"
    REMOBILISATION = "remobilisation", "Remobilisation"
    PROJECT = "project", "Construction du projet professionnel"
    IMMERSION = "immersion", "Immersion / PMSMP"
    TRAINING_PREQUALIFYING = "training_prequalifying", "Formation pré-qualifiante"
    TRAINING_QUALIFYING = "training_qualifying", "Formation qualifiante"
    TRAINING_CERTIFYING = "training_certifying", "Formation certifiante"
    PROGRAMME_ACTION = "programme_action", "Action de la programmation PLIE"
    INSERTION_ACTION = "insertion_action", "Action d'insertion"
    SPECIFIC_SUPPORT = "specific_support", "Accompagnement spécifique (frein périphérique)"


# Trainings whose validation (diploma, registered title, professional certificate) is a positive exit.
QUALIFYING_TRAININGS = {StepKind.TRAINING_QUALIFYING, StepKind.TRAINING_CERTIFYING}


class Barrier(models.TextChoices):
    """Freins périphériques worked on in an accompagnement spécifique (2023 report's list)."""

    ACCESS_TO_RIGHTS = "access_to_rights", "Accès aux droits"
    BUDGET = "budget", "Budget"
    FAMILY_LIFE = "family_life", "Vie familiale"
    CHILDCARE = "childcare", "Garde d'enfants"
    HEALTH = "health", "Santé (dont santé mentale)"
    HOUSING = "housing", "Logement"
    MOBILISATION = "mobilisation", "Mobilisation"
    MOBILITY = "mobility", "Mobilité"
    LANGUAGE = "language", "Maîtrise du français"
    OTHER = "other", "Autre"


class InterviewKind(models.TextChoices):
    INDIVIDUAL = "individual", "Entretien individuel"
    PHONE = "phone", "Entretien téléphonique"
    VISIT = "visit", "Visite (domicile, entreprise)"
    COLLECTIVE = "collective", "Atelier collectif"


# One vocabulary of contracts for every module (tremplin.core.contracts); a PLIE contract is one of
# PLIE_CONTRACT_CHOICES.
ContractType = contracts.ContractType
ALTERNANCE = contracts.ALTERNANCE
PLIE_CONTRACT_CHOICES = contracts.PLIE_CONTRACT_CHOICES


class EmployerKind(models.TextChoices):
    ORDINARY = "ordinary", "Employeur ordinaire"
    PUBLIC = "public", "Employeur public"
    EI = "EI", "Entreprise d'insertion (EI)"
    ACI = "ACI", "Atelier et chantier d'insertion (ACI)"
    ETTI = "ETTI", "Entreprise de travail temporaire d'insertion (ETTI)"
    AI = "AI", "Association intermédiaire (AI)"
    GEIQ = "GEIQ", "GEIQ"
    EA = "EA", "Entreprise adaptée (EA)"
    ESAT = "ESAT", "ESAT"


class ReportCategory(models.TextChoices):
    """Contract categories of the yearly report (2023 report's list), derived from type × employer × length."""

    CDD_SHORT = "cdd_short", "CDD de moins de 6 mois"
    CDD_LONG = "cdd_long", "CDD de 6 mois et plus"
    CDI = "cdi", "CDI"
    INTERIM = "interim", "Intérim"
    INTERIM_INSERTION = "interim_insertion", "Intérim d'insertion"
    CDDI = "cddi", "CDDI"
    ACI = "aci", "Contrat en ACI"
    PROFESSIONALISATION = "professionalisation", "Contrat de professionnalisation"
    APPRENTICESHIP = "apprenticeship", "Apprentissage"
    SUBSIDISED = "subsidised", "Contrat aidé"
    OTHER = "other", "Autre"


class ExitRule(models.TextChoices):
    """Positive-exit criteria of the 2024 call for projects (seed 003)."""

    CDI = "cdi", "CDI au terme de 6 mois de présence dans l'entreprise"
    CDD = "cdd", "CDD d'au moins 6 mois dans les 12 derniers mois"
    INTERIM = "interim", "Missions d'intérim cumulant 6 mois dans les 12 derniers mois"
    SUBSIDISED = "subsidised", "Contrat aidé de 6 mois ou plus (hors ACI)"
    ACI_SENIOR = "aci_senior", "55 ans et plus en ACI, 6 mois dans l'emploi, validé par la cellule"
    TRAINING = "training", "Formation qualifiante validée"
    BUSINESS = "business", "Création d'entreprise consolidée par 6 mois d'activité"


class ExitKind(models.TextChoices):
    """The reference list of exit kinds: positive ones mirror the rules, the others are not free text."""

    POSITIVE_CDI = "positive_cdi", "Sortie positive – CDI"
    POSITIVE_CDD = "positive_cdd", "Sortie positive – CDD de 6 mois et plus"
    POSITIVE_INTERIM = "positive_interim", "Sortie positive – intérim 6 mois"
    POSITIVE_SUBSIDISED = "positive_subsidised", "Sortie positive – contrat aidé"
    POSITIVE_ACI_SENIOR = "positive_aci_senior", "Sortie positive – ACI 55 ans et plus"
    POSITIVE_TRAINING = "positive_training", "Sortie positive – formation qualifiante"
    POSITIVE_BUSINESS = "positive_business", "Sortie positive – création d'entreprise"
    ABANDONMENT = "abandonment", "Abandon"
    MOVED = "moved", "Déménagement"
    HEALTH = "health", "Raisons de santé"
    RETIREMENT = "retirement", "Retraite"
    REORIENTATION = "reorientation", "Réorientation vers un autre accompagnement"
    NO_SOLUTION = "no_solution", "Fin de parcours sans solution"
    UNREACHABLE = "unreachable", "Injoignable"
    DECEASED = "deceased", "Décès"


POSITIVE_EXIT_OF_RULE = {
    ExitRule.CDI: ExitKind.POSITIVE_CDI,
    ExitRule.CDD: ExitKind.POSITIVE_CDD,
    ExitRule.INTERIM: ExitKind.POSITIVE_INTERIM,
    ExitRule.SUBSIDISED: ExitKind.POSITIVE_SUBSIDISED,
    ExitRule.ACI_SENIOR: ExitKind.POSITIVE_ACI_SENIOR,
    ExitRule.TRAINING: ExitKind.POSITIVE_TRAINING,
    ExitRule.BUSINESS: ExitKind.POSITIVE_BUSINESS,
}
POSITIVE_EXIT_KINDS = set(POSITIVE_EXIT_OF_RULE.values())


class FseMoment(models.TextChoices):
    ENTRY = "entry", "Entrée"
    EXIT = "exit", "Sortie"
    SIX_MONTHS = "six_months", "6 mois après la sortie"


class LabourMarketStatus(models.TextChoices):
    """Annex I of Regulation (EU) 2021/1057: situation on the labour market at entry."""

    UNEMPLOYED = "unemployed", "Chômeur·se (inscrit·e ou non), moins de 12 mois"
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", "Chômeur·se de longue durée (12 mois et plus)"
    INACTIVE = "inactive", "Inactif·ve (ni en emploi ni en recherche)"
    EMPLOYED = "employed", "En emploi, y compris indépendant·e"


class Answer(models.TextChoices):
    YES = "yes", "Oui"
    NO = "no", "Non"
    REFUSED = "refused", "Ne souhaite pas répondre"


class Household(models.TextChoices):
    SINGLE_ADULT_WITH_CHILDREN = "single_adult_children", "Adulte seul·e avec enfant(s) à charge"
    SINGLE_ADULT = "single_adult", "Adulte seul·e sans enfant"
    COUPLE_WITH_CHILDREN = "couple_children", "En couple avec enfant(s)"
    COUPLE = "couple", "En couple sans enfant"
    OTHER = "other", "Autre situation"
    REFUSED = "refused", "Ne souhaite pas répondre"


class IscedLevel(models.TextChoices):
    ISCED_0_2 = "0-2", "CITE 0 à 2 (jusqu'au brevet, sans diplôme)"
    ISCED_3_4 = "3-4", "CITE 3 à 4 (CAP, BEP, baccalauréat)"
    ISCED_5_8 = "5-8", "CITE 5 à 8 (enseignement supérieur)"
