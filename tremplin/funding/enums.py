from django.db import models


class Dispositif(models.TextChoices):
    """The analytic sections of the association's accounts (domain spec §7)."""

    OPERATION = "operation", "Fonctionnement de la structure"
    PLIE = "plie", "PLIE"
    CLAUSES = "clauses", "Clauses d'insertion"
    PFM = "pfm", "Plateforme mobilité"
    LAB = "lab", "Lab'Compétences"
    CITE = "cite", "Cité de l'emploi"
    CMQ = "cmq", "Campus des métiers et des qualifications"
    HUB = "hub", "Hub santé"
    OTHER = "other", "Autre dispositif"


class FunderCategory(models.TextChoices):
    """The rows of the yearly funders table (« nos financeurs »), in its order."""

    METROPOLE = "metropole", "Dijon Métropole"
    REGION = "region", "Région Bourgogne-Franche-Comté"
    STATE = "state", "État"
    FSE = "fse", "FSE+"
    DEPARTMENT = "department", "Département"
    COMMUNES = "communes", "Communes"
    OTHER = "other", "Autres financeurs"
    SALES = "sales", "Ventes et prestations"


class CommitteeOutcome(models.TextChoices):
    ACCEPTED = "accepted", "Retenue"
    REFUSED = "refused", "Refusée"
    QUESTIONS = "questions", "Questions à l'opérateur"


class ObligationKind(models.TextChoices):
    ATTENDANCE = "attendance", "Feuilles d'émargement"
    FOLLOW_UP_SHEETS = "follow_up_sheets", "Fiches de suivi aux référent·es et à la SA"
    FSE_DATA = "fse_data", "Données des participant·es FSE+ (MaDémarcheFSE+)"
    MIDTERM_REPORT = "midterm_report", "Bilan à mi-parcours"
    FINAL_REPORT = "final_report", "Bilan final"
    OTHER = "other", "Autre obligation"
