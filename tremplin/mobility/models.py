"""Plateforme mobilité: prescriptions, diagnostics, the solidarity rental fleet, licence aid, workshops.

Who sees what (docs/permissions.md, « Plateforme mobilité »), decided here once per model:
- the platform's advisers (Role.MOBILITY_ADVISER) see the prescriptions addressed to their structure,
  and everything hanging from them; coordination and direction see everything, read-only;
- a prescriber (any structure that orients people: PLIE référents, Mission Locale, SIAE, France Travail)
  sees only the prescriptions their structure made;
- every record of a person also stays inside `Person.objects.visible_to(user)`.
The fleet (vehicles, maintenance, tariffs, workshops) carries no personal data but is staff-only (perms.py).
"""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tremplin.accounts.enums import SEES_ALL_PEOPLE, Role
from tremplin.core.models import BaseModel
from tremplin.mobility.enums import (
    MOTOR_KINDS,
    ActionKind,
    DepositStatus,
    ExamResult,
    Licence,
    LicenceStatus,
    MaintenanceKind,
    PrescriptionStatus,
    RentalStatus,
    VehicleKind,
    VehicleState,
    WorkshopKind,
)
from tremplin.people.models import Person

# Structures whose members orient people towards the platform (prescription).
PRESCRIBING_ROLES = {Role.PRESCRIBER, Role.REFERENT, Role.FACILITATOR, Role.PROJECT_OFFICER}
# The platform's own staff, who write.
STAFF_ROLES = {Role.MOBILITY_ADVISER}
# Coordination and direction read everything of the platform.
READER_ROLES = set(SEES_ALL_PEOPLE)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has no such day (31/01 + 1 -> 28/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


class PrescriptionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The only door to prescriptions, and through them to every record of a beneficiary."""
        if not user.is_authenticated or not user.is_active or not user.sees_records:
            return self.none()
        people = Person.objects.visible_to(user)
        if user.is_superuser or user.roles & READER_ROLES:
            return self.filter(person__in=people)
        scope = Q()
        platforms = user.organization_ids(*STAFF_ROLES)
        if platforms:
            scope |= Q(platform_id__in=platforms)
        prescribers = user.organization_ids(*PRESCRIBING_ROLES)
        if prescribers:
            scope |= Q(prescriber_id__in=prescribers)
        if not scope:
            return self.none()
        return self.filter(scope, person__in=people)

    def open(self):
        return self.filter(status=PrescriptionStatus.OPEN)


class Prescription(BaseModel):
    """A partner orients a person towards the platform; every service is delivered on a prescription."""

    person = models.ForeignKey(
        "people.Person", models.PROTECT, related_name="mobility_prescriptions", verbose_name="personne"
    )
    platform = models.ForeignKey(
        "structures.Organization", models.PROTECT, related_name="+", verbose_name="plateforme mobilité"
    )
    prescriber = models.ForeignKey(
        "structures.Organization", models.PROTECT, related_name="mobility_prescriptions", verbose_name="prescripteur"
    )
    prescribed_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="prescrit par"
    )
    prescribed_on = models.DateField("date de la prescription", default=timezone.localdate)
    reason = models.TextField("besoin exprimé")
    integration_policy = models.BooleanField(
        "public de la politique d'intégration",
        default=False,
        help_text="Personne primo-arrivante suivie au titre du contrat d'intégration républicaine.",
    )
    status = models.CharField(
        "statut", max_length=20, choices=PrescriptionStatus.choices, default=PrescriptionStatus.OPEN
    )
    closed_on = models.DateField("close le", null=True, blank=True)

    objects = PrescriptionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "prescription mobilité"
        verbose_name_plural = "prescriptions mobilité"
        ordering = ["-prescribed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("prescribed_on")),
                name="mobility_prescription_closed_after_prescribed",
            ),
        ]

    def __str__(self):
        return f"Prescription n° {self.pk} – {self.person}"

    def get_absolute_url(self):
        return reverse("mobility:prescription_detail", kwargs={"prescription_id": self.pk})


class DiagnosticQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(prescription__in=Prescription.objects.visible_to(user))


class Diagnostic(BaseModel):
    """The bilan de compétences mobilité: means, licence, obstacles, skills and an action plan."""

    prescription = models.OneToOneField(
        Prescription, models.CASCADE, related_name="diagnostic", verbose_name="prescription"
    )
    held_on = models.DateField("date du diagnostic", default=timezone.localdate)
    adviser = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="conseiller·ère"
    )
    means = models.JSONField("moyens de déplacement", default=list, blank=True)
    licence = models.CharField("permis", max_length=20, choices=LicenceStatus.choices, default=LicenceStatus.NONE)
    obstacles = models.JSONField("freins", default=list, blank=True)
    skills = models.JSONField("compétences acquises", default=list, blank=True)
    notes = models.TextField("observations", blank=True)

    objects = DiagnosticQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "diagnostic mobilité"
        verbose_name_plural = "diagnostics mobilité"

    def __str__(self):
        return f"Diagnostic du {self.held_on:%d/%m/%Y}"


class ActionStep(BaseModel):
    """One dated step of the diagnostic's action plan."""

    diagnostic = models.ForeignKey(Diagnostic, models.CASCADE, related_name="steps", verbose_name="diagnostic")
    kind = models.CharField("action", max_length=20, choices=ActionKind.choices)
    description = models.CharField("précisions", max_length=255, blank=True)
    planned_on = models.DateField("prévue le")
    done_on = models.DateField("réalisée le", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "étape du plan d'action"
        verbose_name_plural = "étapes du plan d'action"
        ordering = ["planned_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.planned_on:%d/%m/%Y})"


class GuardianConsent(BaseModel):
    """A minor (15-17) rents nothing before a parent or guardian consents."""

    person = models.ForeignKey(
        "people.Person", models.CASCADE, related_name="mobility_consents", verbose_name="personne"
    )
    guardian_name = models.CharField("nom du ou de la responsable légal·e", max_length=200)
    relationship = models.CharField("lien avec la personne", max_length=100)
    given_on = models.DateField("consentement donné le")
    document = models.CharField("pièce conservée", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="saisi par"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "consentement du responsable légal"
        verbose_name_plural = "consentements des responsables légaux"
        ordering = ["-given_on"]

    def __str__(self):
        return f"{self.guardian_name} ({self.given_on:%d/%m/%Y})"


class VehicleQuerySet(models.QuerySet):
    def in_fleet_on(self, day):
        return self.filter(Q(retired_on__isnull=True) | Q(retired_on__gte=day), commissioned_on__lte=day)

    def free_between(self, start, end):
        """Vehicles in service with no booking overlapping [start, end] (both days included)."""
        busy = Rental.objects.active().overlapping(start, end).filter(vehicle=models.OuterRef("pk"))
        return (
            self.in_fleet_on(start)
            .filter(state=VehicleState.AVAILABLE)
            .filter(Q(insurance_expires_on__isnull=True) | Q(insurance_expires_on__gte=end))
            .exclude(models.Exists(busy))
        )


class Vehicle(BaseModel):
    kind = models.CharField("type", max_length=20, choices=VehicleKind.choices)
    identifier = models.CharField("identifiant ou immatriculation", max_length=30, unique=True)
    model_name = models.CharField("modèle", max_length=100, blank=True)
    state = models.CharField("état", max_length=20, choices=VehicleState.choices, default=VehicleState.AVAILABLE)
    insurance_expires_on = models.DateField("assurance valable jusqu'au", null=True, blank=True)
    inspection_expires_on = models.DateField("contrôle technique valable jusqu'au", null=True, blank=True)
    mileage = models.PositiveIntegerField("kilométrage", default=0)
    commissioned_on = models.DateField("mis en service le", default=timezone.localdate)
    retired_on = models.DateField("sorti de la flotte le", null=True, blank=True)

    objects = VehicleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "véhicule"
        ordering = ["kind", "identifier"]

    def __str__(self):
        name = f"{self.get_kind_display()} {self.identifier}"
        return f"{name} ({self.model_name})" if self.model_name else name

    def get_absolute_url(self):
        return reverse("mobility:vehicle_detail", kwargs={"vehicle_id": self.pk})

    def clean(self):
        if self.kind in MOTOR_KINDS and not self.insurance_expires_on:
            raise ValidationError(
                {"insurance_expires_on": "Un véhicule à moteur doit être assuré : date obligatoire."}
            )

    def booking_obstacle(self, start, end) -> str | None:
        """Why the vehicle cannot be booked from start to end (both included), or None."""
        if self.state == VehicleState.REPAIR:
            return f"{self} est en réparation : il ne peut pas être réservé."
        if self.state == VehicleState.RETIRED or (self.retired_on and self.retired_on < end):
            return f"{self} est sorti de la flotte."
        if self.insurance_expires_on and self.insurance_expires_on < end:
            return (
                f"L'assurance de {self} expire le {self.insurance_expires_on:%d/%m/%Y}, "
                "avant la fin de la location : renouvelez-la avant de réserver."
            )
        if self.kind == VehicleKind.CAR and self.inspection_expires_on and self.inspection_expires_on < end:
            return f"Le contrôle technique de {self} expire le {self.inspection_expires_on:%d/%m/%Y}."
        return None


class Maintenance(BaseModel):
    """A service, a repair or an incident (breakdown, accident, theft) on a vehicle."""

    vehicle = models.ForeignKey(Vehicle, models.CASCADE, related_name="maintenances", verbose_name="véhicule")
    kind = models.CharField("nature", max_length=20, choices=MaintenanceKind.choices)
    occurred_on = models.DateField("date", default=timezone.localdate)
    description = models.TextField("description")
    cost = models.DecimalField("coût (€)", max_digits=8, decimal_places=2, null=True, blank=True)
    resolved_on = models.DateField("résolu le", null=True, blank=True)
    rental = models.ForeignKey(
        "Rental", models.SET_NULL, null=True, blank=True, related_name="incidents", verbose_name="location concernée"
    )
    recorded_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="saisi par"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "entretien ou incident"
        verbose_name_plural = "entretiens et incidents"
        ordering = ["-occurred_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.occurred_on:%d/%m/%Y}"


class TariffQuerySet(models.QuerySet):
    def current(self, day):
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day), valid_from__lte=day)


class Tariff(BaseModel):
    """A price per day for a kind of vehicle (solidarity, standard...), configurable by the platform."""

    name = models.CharField("tarif", max_length=100)
    vehicle_kind = models.CharField("type de véhicule", max_length=20, choices=VehicleKind.choices)
    daily_price = models.DecimalField("prix par jour (€)", max_digits=6, decimal_places=2)
    deposit = models.DecimalField("caution (€)", max_digits=7, decimal_places=2, default=Decimal("0"))
    valid_from = models.DateField("en vigueur depuis")
    valid_until = models.DateField("jusqu'au", null=True, blank=True)

    objects = TariffQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "tarif"
        ordering = ["vehicle_kind", "name", "-valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(daily_price__gte=0), name="mobility_tariff_price_positive"),
            models.UniqueConstraint(fields=["vehicle_kind", "name", "valid_from"], name="mobility_tariff_unique"),
        ]

    def __str__(self):
        return f"{self.name} – {self.get_vehicle_kind_display()} : {self.daily_price} € / jour"


class RentalRules(models.Model):
    """The platform's rental rules, one row (the practice: 3 months, renewable once)."""

    max_months = models.PositiveSmallIntegerField("durée maximale d'une période (mois)", default=3)
    max_renewals = models.PositiveSmallIntegerField("renouvellements possibles", default=1)
    alert_days = models.PositiveSmallIntegerField(
        "alerte avant échéance d'assurance ou de contrôle (jours)", default=30
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "règles de location"
        verbose_name_plural = "règles de location"

    def __str__(self):
        return f"{self.max_months} mois, {self.max_renewals} renouvellement(s)"

    @classmethod
    def current(cls) -> "RentalRules":
        rules = cls.objects.order_by("pk").first()
        return rules or cls.objects.create()


class RentalQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(prescription__in=Prescription.objects.visible_to(user))

    def active(self):
        """Rentals that hold their vehicle (the same rows as the database's no-overlap rule)."""
        return self.exclude(status=RentalStatus.CANCELLED)

    def overlapping(self, start, end):
        return self.filter(starts_on__lte=end, ends_on__gte=start)

    def late(self, *, today):
        """Out and not back: the vehicle should have been returned before today."""
        return self.filter(status=RentalStatus.ONGOING, ends_on__lt=today)


class Rental(BaseModel):
    """A vehicle lent from `starts_on` to `ends_on`, both days included.

    Two active rentals of one vehicle never overlap: the database itself refuses it (migration 0002: an
    exclusion constraint over daterange(starts_on, ends_on, '[]') on PostgreSQL, triggers on SQLite)."""

    prescription = models.ForeignKey(Prescription, models.PROTECT, related_name="rentals", verbose_name="prescription")
    vehicle = models.ForeignKey(Vehicle, models.PROTECT, related_name="rentals", verbose_name="véhicule")
    tariff = models.ForeignKey(Tariff, models.PROTECT, related_name="rentals", verbose_name="tarif")
    status = models.CharField("statut", max_length=20, choices=RentalStatus.choices, default=RentalStatus.BOOKED)
    starts_on = models.DateField("début")
    ends_on = models.DateField("retour prévu")
    first_ends_on = models.DateField("fin de la première période")
    renewals = models.PositiveSmallIntegerField("renouvellements", default=0)
    daily_price = models.DecimalField("prix par jour (€)", max_digits=6, decimal_places=2)
    deposit_amount = models.DecimalField("caution (€)", max_digits=7, decimal_places=2, default=Decimal("0"))
    deposit_status = models.CharField(
        "caution", max_length=20, choices=DepositStatus.choices, default=DepositStatus.AWAITING
    )
    deposit_changed_on = models.DateField("caution mise à jour le", null=True, blank=True)
    checked_out_on = models.DateField("départ le", null=True, blank=True)
    checkout_mileage = models.PositiveIntegerField("kilométrage au départ", null=True, blank=True)
    checkout_energy = models.PositiveSmallIntegerField("carburant ou charge au départ (%)", null=True, blank=True)
    checkout_condition = models.TextField("état au départ", blank=True)
    returned_on = models.DateField("rendu le", null=True, blank=True)
    return_mileage = models.PositiveIntegerField("kilométrage au retour", null=True, blank=True)
    return_energy = models.PositiveSmallIntegerField("carburant ou charge au retour (%)", null=True, blank=True)
    return_damage = models.TextField("dommages constatés au retour", blank=True)
    booked_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="réservée par"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    objects = RentalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "location"
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["vehicle", "starts_on", "ends_on"], name="mobility_rental_vehicle_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="mobility_rental_ends_after_start"),
            models.CheckConstraint(
                condition=Q(checkout_energy__lte=100) | Q(checkout_energy=None),
                name="mobility_rental_checkout_energy_percent",
            ),
            models.CheckConstraint(
                condition=Q(return_energy__lte=100) | Q(return_energy=None),
                name="mobility_rental_return_energy_percent",
            ),
        ]

    def __str__(self):
        return f"location {self.reference}"

    def get_absolute_url(self):
        return reverse("mobility:rental_detail", kwargs={"rental_id": self.pk})

    @property
    def reference(self) -> str:
        return f"L-{self.pk:05d}" if self.pk else "L-(nouvelle)"

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    @property
    def billed_days(self) -> int:
        """Days charged: the booked period, plus the late days when the vehicle came back after it."""
        end = max(self.ends_on, self.returned_on) if self.returned_on else self.ends_on
        return (end - self.starts_on).days + 1

    @property
    def price(self) -> Decimal:
        return self.daily_price * self.billed_days

    def late_days(self, today) -> int:
        """Days past the planned return: until the return, or until today while the vehicle is out."""
        return max(0, ((self.returned_on or today) - self.ends_on).days)


class LicenceAidQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(prescription__in=Prescription.objects.visible_to(user))


class LicenceAid(BaseModel):
    """A driving-licence file (AM or B): financing, driving school, progress, exams."""

    prescription = models.ForeignKey(
        Prescription, models.PROTECT, related_name="licence_aids", verbose_name="prescription"
    )
    licence = models.CharField("permis", max_length=5, choices=Licence.choices)
    started_on = models.DateField("ouvert le", default=timezone.localdate)
    driving_school = models.CharField("auto-école", max_length=200, blank=True)
    cpf_amount = models.DecimalField("CPF (€)", max_digits=8, decimal_places=2, default=Decimal("0"))
    fastt_amount = models.DecimalField("FASTT « Atouts Permis » (€)", max_digits=8, decimal_places=2, default=0)
    other_aid_amount = models.DecimalField("autres aides (€)", max_digits=8, decimal_places=2, default=Decimal("0"))
    other_aid_label = models.CharField("autres aides : financeur", max_length=200, blank=True)
    personal_share = models.DecimalField("reste à charge (€)", max_digits=8, decimal_places=2, default=Decimal("0"))
    code_hours = models.PositiveSmallIntegerField("heures de code suivies", default=0)
    driving_hours = models.PositiveSmallIntegerField("heures de conduite suivies", default=0)
    code_exam_on = models.DateField("examen du code le", null=True, blank=True)
    code_result = models.CharField(
        "résultat du code", max_length=10, choices=ExamResult.choices, default=ExamResult.PENDING
    )
    driving_exam_on = models.DateField("examen de conduite le", null=True, blank=True)
    driving_result = models.CharField(
        "résultat de la conduite", max_length=10, choices=ExamResult.choices, default=ExamResult.PENDING
    )
    obtained_on = models.DateField("permis obtenu le", null=True, blank=True)

    objects = LicenceAidQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "aide au permis"
        verbose_name_plural = "aides au permis"
        ordering = ["-started_on", "-pk"]

    def __str__(self):
        return f"{self.get_licence_display()} – {self.prescription.person}"

    def clean(self):
        if self.obtained_on and self.driving_result != ExamResult.PASSED:
            raise ValidationError({"obtained_on": "Le permis n'est obtenu qu'après un examen de conduite réussi."})

    @property
    def total_financing(self) -> Decimal:
        return self.cpf_amount + self.fastt_amount + self.other_aid_amount + self.personal_share


class WorkshopSession(BaseModel):
    kind = models.CharField("atelier", max_length=30, choices=WorkshopKind.choices)
    held_on = models.DateField("date")
    place = models.CharField("lieu", max_length=200)
    partner = models.CharField("partenaire", max_length=200, blank=True)
    public = models.CharField("public", max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField("places")
    facilitator = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="animé par"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "séance d'atelier"
        verbose_name_plural = "séances d'atelier"
        ordering = ["-held_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1), name="mobility_workshop_has_places")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.held_on:%d/%m/%Y}, {self.place}"

    def get_absolute_url(self):
        return reverse("mobility:workshop_detail", kwargs={"session_id": self.pk})


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(person__in=Person.objects.visible_to(user))


class Registration(BaseModel):
    session = models.ForeignKey(WorkshopSession, models.CASCADE, related_name="registrations", verbose_name="séance")
    person = models.ForeignKey(
        "people.Person", models.PROTECT, related_name="mobility_registrations", verbose_name="personne"
    )
    attended = models.BooleanField("présent·e", null=True, blank=True)
    registered_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="inscrit·e par"
    )

    objects = RegistrationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "inscription à un atelier"
        verbose_name_plural = "inscriptions aux ateliers"
        ordering = ["person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="mobility_registration_once_per_session")
        ]

    def __str__(self):
        return f"{self.person} – {self.session}"
