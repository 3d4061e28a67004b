from django.db import models

# The offers' contracts are the one vocabulary of core (tremplin/core/contracts.py), offered as OFFER_CONTRACTS.
from tremplin.core.contracts import OFFER_CONTRACT_CHOICES, OFFER_CONTRACTS, ContractType  # noqa: F401


class CompanySize(models.TextChoices):
    MICRO = "0-9", "Moins de 10 salarié·es"
    SMALL = "10-49", "10 à 49 salarié·es"
    MEDIUM = "50-249", "50 à 249 salarié·es"
    LARGE = "250+", "250 salarié·es et plus"


class CompanyProgramme(models.TextChoices):
    """The dispositif on whose behalf a company is met, an offer shared or an event run."""

    PLIE = "plie", "PLIE"
    CLAUSES = "clauses", "Clauses d'insertion"
    RELAIS = "relais", "Relais Conseil aux Entreprises"
    DAQ = "daq", "DAQ 2.0"
    CITE = "cite", "Cité de l'emploi"
    CHANCES = "100chances", "100 Chances - 100 Emplois"
    LAB = "lab", "Lab'Compétences"
    MOBILITY = "mobility", "Plateforme mobilité"
    OTHER = "other", "Autre"


class InteractionKind(models.TextChoices):
    VISIT = "visit", "Visite"
    CALL = "call", "Appel téléphonique"
    EMAIL = "email", "E-mail"
    HR_ADVICE = "hr_advice", "Rendez-vous conseil RH (Relais Conseil aux Entreprises)"
    MEETING = "meeting", "Réunion"


class AgreementKind(models.TextChoices):
    RSE = "rse", "Partenariat RSE"
    OPCO = "opco", "Convention OPCO"
    IMMERSION = "immersion", "Convention d'immersions"
    OTHER = "other", "Autre partenariat"


class QualificationClass(models.TextChoices):
    QUALIFIED = "qualified", "Qualifié"
    GREY_ZONE = "grey_zone", "Zone grise"
    UNQUALIFIED = "unqualified", "Non qualifié"


class OfferStatus(models.TextChoices):
    OPEN = "open", "Ouverte"
    IN_PROGRESS = "in_progress", "En cours de recrutement"
    FILLED_BY_US = "filled_by_us", "Pourvue par nos soins"
    FILLED_OTHERWISE = "filled_otherwise", "Pourvue par ailleurs"
    UNKNOWN = "unknown", "Issue inconnue"
    CANCELLED = "cancelled", "Annulée"


OPEN_STATUSES = {OfferStatus.OPEN, OfferStatus.IN_PROGRESS}
FILLED_STATUSES = {OfferStatus.FILLED_BY_US, OfferStatus.FILLED_OTHERWISE}
# Which status may follow which (an offer closed by mistake may be reopened; a fill stays recorded).
OFFER_TRANSITIONS = {
    OfferStatus.OPEN: {
        OfferStatus.IN_PROGRESS,
        OfferStatus.FILLED_BY_US,
        OfferStatus.FILLED_OTHERWISE,
        OfferStatus.UNKNOWN,
        OfferStatus.CANCELLED,
    },
    OfferStatus.IN_PROGRESS: {
        OfferStatus.OPEN,
        OfferStatus.FILLED_BY_US,
        OfferStatus.FILLED_OTHERWISE,
        OfferStatus.UNKNOWN,
        OfferStatus.CANCELLED,
    },
    OfferStatus.UNKNOWN: {OfferStatus.OPEN, OfferStatus.FILLED_BY_US, OfferStatus.FILLED_OTHERWISE},
    OfferStatus.CANCELLED: {OfferStatus.OPEN},
    OfferStatus.FILLED_OTHERWISE: {OfferStatus.FILLED_BY_US},
    OfferStatus.FILLED_BY_US: set(),
}


class ProposalOutcome(models.TextChoices):
    PENDING = "pending", "En attente de réponse"
    INTERVIEW = "interview", "Entretien programmé"
    HIRED = "hired", "Embauché·e"
    NOT_RETAINED = "not_retained", "Non retenu·e par l'entreprise"
    DECLINED = "declined", "Désistement de la personne"


PROPOSAL_CLOSED = {ProposalOutcome.HIRED, ProposalOutcome.NOT_RETAINED, ProposalOutcome.DECLINED}


class ImmersionOutcome(models.TextChoices):
    PLANNED = "planned", "Prévue"
    ONGOING = "ongoing", "En cours"
    CONFIRMED = "confirmed", "Projet confirmé"
    HIRED = "hired", "Suivie d'une embauche"
    NOT_CONFIRMED = "not_confirmed", "Projet non confirmé"
    INTERRUPTED = "interrupted", "Interrompue"


class EventKind(models.TextChoices):
    JOB_FAIR = "job_fair", "Forum emploi, job dating"
    COMPANY_VISIT = "company_visit", "Visite d'entreprise"
    INFORMATION = "information", "Réunion d'information"
    SAS = "sas", "SAS 100 Chances - 100 Emplois"
    CITE_SESSION = "cite_session", "Session Cité de l'emploi"
    WORKSHOP = "workshop", "Atelier"


# At most 12 people in a 100 Chances SAS (seed 2017 report).
SAS_MAX_PARTICIPANTS = 12


class Public(models.TextChoices):
    JOB_SEEKER = "job_seeker", "Demandeur·se d'emploi"
    PUPIL = "pupil", "Scolaire (collège, lycée)"
    STUDENT = "student", "Étudiant·e, apprenti·e"
    QPV_RESIDENT = "qpv_resident", "Habitant·e d'un QPV"
    EMPLOYEE = "employee", "Salarié·e en reconversion"
    OTHER = "other", "Autre public"


class Attendance(models.TextChoices):
    REGISTERED = "registered", "Inscrit·e"
    PRESENT = "present", "Présent·e"
    ABSENT = "absent", "Absent·e"
    EXCUSED = "excused", "Excusé·e"


class CommitteeDecision(models.TextChoices):
    IMMEDIATE = "immediate", "Entrée immédiate"
    DEFERRED = "deferred", "Entrée différée"
    REFUSED = "refused", "Refus du comité"
    WITHDRAWN = "withdrawn", "Retrait de la candidature"
    DROPPED_OUT = "dropped_out", "Abandon du candidat"


class RelaisChannel(models.TextChoices):
    WALK_IN = "walk_in", "Accueil physique"
    PHONE = "phone", "Téléphone"
    EMAIL = "email", "E-mail"


class RelaisSubject(models.TextChoices):
    JOB = "job", "Recherche d'emploi"
    TRAINING = "training", "Formation"
    CV = "cv", "CV, candidature"
    MOBILITY = "mobility", "Mobilité"
    RIGHTS = "rights", "Droits, démarches administratives"
    COMPANY = "company", "Demande d'entreprise"
    OTHER = "other", "Autre"


class RelaisOutcome(models.TextChoices):
    DIRECT = "direct", "Réponse directe"
    REFERRAL = "referral", "Orientation vers un partenaire"
