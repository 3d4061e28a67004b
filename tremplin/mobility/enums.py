from django.db import models


class PrescriptionStatus(models.TextChoices):
    OPEN = "open", "En cours"
    CLOSED = "closed", "Close"


class MeansOfTransport(models.TextChoices):
    WALK = "walk", "Marche"
    BIKE = "bike", "Vélo personnel"
    PUBLIC_TRANSPORT = "public_transport", "Transports en commun"
    CAR = "car", "Voiture personnelle"
    SCOOTER = "scooter", "Scooter personnel"
    CARPOOL = "carpool", "Covoiturage, entourage"
    NONE = "none", "Aucun moyen"


class LicenceStatus(models.TextChoices):
    NONE = "none", "Aucun permis"
    AM = "am", "Permis AM (cyclomoteur)"
    B_IN_PROGRESS = "b_in_progress", "Permis B en cours"
    B = "b", "Permis B"
    B_SUSPENDED = "b_suspended", "Permis B suspendu ou annulé"
    FOREIGN = "foreign", "Permis étranger"


class Obstacle(models.TextChoices):
    COST = "cost", "Coût des déplacements"
    NO_LICENCE = "no_licence", "Pas de permis"
    NO_VEHICLE = "no_vehicle", "Pas de véhicule"
    RURAL = "rural", "Zone peu desservie"
    HOURS = "hours", "Horaires décalés"
    FEAR = "fear", "Appréhension à se déplacer"
    HEALTH = "health", "Santé"
    LITERACY = "literacy", "Lecture, langue"


class Skill(models.TextChoices):
    READ_MAP = "read_map", "Lire un plan"
    PUBLIC_TRANSPORT = "public_transport", "Utiliser les transports en commun"
    RIDE_BIKE = "ride_bike", "Faire du vélo"
    ROAD_SAFETY = "road_safety", "Connaître le code de la route"
    DIGITAL = "digital", "Utiliser une application de trajet"


class ActionKind(models.TextChoices):
    RENTAL = "rental", "Location d'un véhicule"
    LICENCE = "licence", "Aide au permis"
    TRAINING = "training", "Formation"
    WORKSHOP = "workshop", "Atelier"
    PARTNER = "partner", "Orientation vers un partenaire"


class VehicleKind(models.TextChoices):
    BIKE = "bike", "Vélo"
    E_BIKE = "e_bike", "Vélo à assistance électrique"
    SCOOTER = "scooter", "Scooter"
    CAR = "car", "Voiture"


# Motor vehicles: a plate, insurance and (cars) a technical inspection.
MOTOR_KINDS = {VehicleKind.SCOOTER, VehicleKind.CAR}


class VehicleState(models.TextChoices):
    AVAILABLE = "available", "En service"
    REPAIR = "repair", "En réparation"
    RETIRED = "retired", "Sorti de la flotte"


class MaintenanceKind(models.TextChoices):
    SERVICE = "service", "Entretien"
    REPAIR = "repair", "Réparation"
    INCIDENT = "incident", "Incident (panne, accident, vol)"


class RentalStatus(models.TextChoices):
    BOOKED = "booked", "Réservée"
    ONGOING = "ongoing", "En cours"
    RETURNED = "returned", "Rendue"
    CANCELLED = "cancelled", "Annulée"


class DepositStatus(models.TextChoices):
    AWAITING = "awaiting", "À recevoir"
    RECEIVED = "received", "Reçue"
    FUND = "fund", "Prise en charge par le fonds d'éco-cautionnement"
    CASHED = "cashed", "Encaissée"
    RETURNED = "returned", "Restituée"


class Licence(models.TextChoices):
    AM = "am", "Permis AM"
    B = "b", "Permis B"


class ExamResult(models.TextChoices):
    PENDING = "pending", "En attente"
    PASSED = "passed", "Réussi"
    FAILED = "failed", "Échoué"


class WorkshopKind(models.TextChoices):
    INTEGRAMOB = "integramob", "Integramob"
    INTEGRACODE = "integracode", "Integracode"
    DRIVING_CONFIDENCE = "driving_confidence", "Atelier confiance au volant"
    BOU_JEU = "bou_jeu", "Bou-Jeu (escape game mobilité)"
    ECO_MOBILITY = "eco_mobility", "Animation écomobilité"
