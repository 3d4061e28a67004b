from django.db import models


class Sex(models.TextChoices):
    WOMAN = "F", "Femme"
    MAN = "M", "Homme"
    NON_BINARY = "X", "Non binaire"


class Programme(models.TextChoices):
    """The dispositif under which a structure follows a person."""

    PLIE = "plie", "PLIE"
    CLAUSES = "clauses", "Clauses d'insertion"
    MOBILITY = "mobility", "Plateforme mobilité"
    CITE = "cite", "Cité de l'emploi et projets"


class FactKind(models.TextChoices):
    RSA = "rsa", "Bénéficiaire du RSA"
    ASS = "ass", "Bénéficiaire de l'ASS"
    AAH = "aah", "Bénéficiaire de l'AAH"
    RQTH = "rqth", "Reconnaissance de la qualité de travailleur handicapé (RQTH)"
    JOB_SEEKER = "job_seeker", "Inscrit·e comme demandeur d'emploi (France Travail)"
    EDUCATION_LEVEL = "education_level", "Niveau de formation"
    QPV_RESIDENCE = "qpv_residence", "Résidence en quartier prioritaire (QPV)"
    WORK_AUTHORISATION = "work_authorisation", "Autorisation de travail"
    SINGLE_PARENT = "single_parent", "Parent isolé"
    HOMELESS = "homeless", "Sans domicile stable"
    JUSTICE = "justice", "Placé·e sous main de justice"
    THIRD_COUNTRY = "third_country", "Ressortissant·e de pays tiers"


class EducationLevel(models.TextChoices):
    """Diploma levels of the 2019 national nomenclature (3 = CAP/BEP)."""

    NONE = "1-2", "Sans diplôme (niveaux 1-2)"
    LEVEL_3 = "3", "Niveau 3 (CAP, BEP)"
    LEVEL_4 = "4", "Niveau 4 (baccalauréat)"
    LEVEL_5 = "5", "Niveau 5 (bac + 2)"
    LEVEL_6 = "6", "Niveau 6 (licence, bac + 3)"
    LEVEL_7 = "7", "Niveau 7 (master, bac + 5)"
    LEVEL_8 = "8", "Niveau 8 (doctorat)"


class WorkAuthorisation(models.TextChoices):
    NATIONAL = "national", "Nationalité française ou européenne"
    PERMIT = "permit", "Titre de séjour autorisant à travailler"
    NONE = "none", "Pas d'autorisation de travail"


# The answer "ne souhaite pas répondre" is a value of its own, distinct from unknown (no fact).
REFUSED = "refused"
REFUSED_LABEL = "Ne souhaite pas répondre"
YES = "yes"

# Facts whose value is a choice; the others are "yes" (or refused) from started_on to ended_on.
VALUED_FACTS = {
    FactKind.EDUCATION_LEVEL: EducationLevel,
    FactKind.WORK_AUTHORISATION: WorkAuthorisation,
}
# Health, disability and justice data (GDPR art. 9 and 10): shown only to roles that need them.
SENSITIVE_FACTS = {FactKind.RQTH, FactKind.AAH, FactKind.JUSTICE}
# Questions a person may decline to answer.
REFUSABLE_FACTS = SENSITIVE_FACTS | {FactKind.THIRD_COUNTRY, FactKind.HOMELESS, FactKind.EDUCATION_LEVEL}
