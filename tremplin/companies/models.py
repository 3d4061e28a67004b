"""Companies met, their offers, the people proposed to them, immersions, events and the Points Relais log.

A company is a structures.Organization (SIRET-validated); `CompanyProfile` adds what relation with companies
needs (NAF sector, size). People come from the shared registry (people.Person): every record that names a
person is reached through `visible_to(user)`, which starts from `Person.objects.visible_to(user)`.
"""

import re
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tremplin.companies import roles
from tremplin.companies.enums import (
    OFFER_CONTRACT_CHOICES,
    SAS_MAX_PARTICIPANTS,
    AgreementKind,
    Attendance,
    CommitteeDecision,
    CompanyProgramme,
    CompanySize,
    EventKind,
    ImmersionOutcome,
    InteractionKind,
    OfferStatus,
    ProposalOutcome,
    Public,
    QualificationClass,
    RelaisChannel,
    RelaisOutcome,
    RelaisSubject,
)
from tremplin.core.models import BaseModel
from tremplin.people.models import Person

NAF_PATTERN = re.compile(r"^\d{2}\.\d{2}[A-Z]$")


def validate_naf(value: str):
    if value and not NAF_PATTERN.match(value):
        raise ValidationError(
            "Code NAF invalide : quatre chiffres, un point après les deux premiers et une lettre (ex. 43.21A)."
        )


def visible_people(user):
    return Person.objects.visible_to(user)


class CompanyProfile(BaseModel):
    """What relation with companies records about an Organization of kind company (or SIAE)."""

    organization = models.OneToOneField(
        "structures.Organization", models.CASCADE, related_name="company_profile", verbose_name="entreprise"
    )
    naf_code = models.CharField("code NAF", max_length=6, blank=True, validators=[validate_naf])
    sector = models.CharField("secteur", max_length=120, blank=True, help_text="Par ex. BTP, santé, logistique.")
    size = models.CharField("effectif", max_length=10, choices=CompanySize.choices, blank=True)
    notes = models.TextField("observations", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "profil d'entreprise"
        verbose_name_plural = "profils d'entreprise"

    def __str__(self):
        return str(self.organization)


class InteractionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if roles.is_reader(user) else self.none()


class Interaction(BaseModel):
    company = models.ForeignKey(
        "structures.Organization", models.CASCADE, related_name="company_interactions", verbose_name="entreprise"
    )
    kind = models.CharField("type d'échange", max_length=20, choices=InteractionKind.choices)
    programme = models.CharField("dispositif", max_length=20, choices=CompanyProgramme.choices)
    happened_on = models.DateField("date", default=timezone.localdate)
    by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+", verbose_name="par")
    contact = models.ForeignKey(
        "structures.Contact", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="interlocuteur"
    )
    subject = models.CharField("objet", max_length=200)
    notes = models.TextField("compte rendu", blank=True)

    objects = InteractionQuerySet.as_manager()

    class Meta:
        verbose_name = "échange avec une entreprise"
        verbose_name_plural = "échanges avec les entreprises"
        ordering = ["-happened_on", "-pk"]
        indexes = [models.Index(fields=["happened_on"], name="companies_interaction_day_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.company} ({self.happened_on:%d/%m/%Y})"


class PartnershipAgreement(BaseModel):
    company = models.ForeignKey(
        "structures.Organization", models.CASCADE, related_name="partnership_agreements", verbose_name="entreprise"
    )
    kind = models.CharField("type de partenariat", max_length=20, choices=AgreementKind.choices)
    title = models.CharField("intitulé", max_length=200)
    commitments = models.TextField("engagements")
    signed_on = models.DateField("signé le", null=True, blank=True)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin", null=True, blank=True)

    class Meta:
        verbose_name = "convention de partenariat"
        verbose_name_plural = "conventions de partenariat"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="companies_partnershipagreement_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.company})"


class OfferQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Internal readers see every offer (one offer is shared between programmes); a company its own."""
        if roles.is_reader(user):
            return self
        companies = roles.company_ids(user)
        if companies:
            return self.filter(company_id__in=companies)
        return self.none()

    def open(self):
        return self.filter(status__in=[OfferStatus.OPEN, OfferStatus.IN_PROGRESS])


class Offer(BaseModel):
    """A recruitment need collected from a company, shared with every programme that may fill it."""

    company = models.ForeignKey(
        "structures.Organization", models.PROTECT, related_name="offers", verbose_name="entreprise"
    )
    title = models.CharField("poste", max_length=200)
    rome = models.ForeignKey(
        "territory.RomeCode", models.PROTECT, to_field="code", related_name="+", verbose_name="code ROME"
    )
    contract_type = models.CharField("type de contrat", max_length=20, choices=OFFER_CONTRACT_CHOICES)
    duration_months = models.PositiveSmallIntegerField("durée (mois)", null=True, blank=True)
    weekly_hours = models.DecimalField(
        "heures par semaine",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(48)],
    )
    skills = models.TextField("compétences attendues", blank=True)
    qualification = models.CharField("qualification", max_length=20, choices=QualificationClass.choices)
    commune = models.ForeignKey("territory.Commune", models.PROTECT, related_name="+", verbose_name="lieu de travail")
    requires_licence = models.BooleanField("permis B exigé", default=False)
    requires_vehicle = models.BooleanField("véhicule exigé", default=False)
    starts_on = models.DateField("prise de poste", null=True, blank=True)
    posts = models.PositiveSmallIntegerField("nombre de postes", default=1, validators=[MinValueValidator(1)])
    status = models.CharField("statut", max_length=20, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    status_changed_on = models.DateField("statut depuis le", default=timezone.localdate)
    received_on = models.DateField("reçue le", default=timezone.localdate)
    programmes = models.JSONField("partagée avec", default=list, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="saisie par"
    )

    objects = OfferQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "offre"
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["received_on"], name="companies_offer_received_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(posts__gte=1), name="companies_offer_at_least_one_post"),
        ]

    def __str__(self):
        return f"{self.title} – {self.company}"

    def get_absolute_url(self):
        return reverse("companies:offer_detail", args=[self.pk])

    @property
    def programme_labels(self) -> list[str]:
        labels = dict(CompanyProgramme.choices)
        return [labels.get(code, code) for code in self.programmes]

    def clean(self):
        unknown = set(self.programmes or []) - set(CompanyProgramme.values)
        if unknown:
            raise ValidationError({"programmes": f"Dispositif inconnu : {', '.join(sorted(unknown))}."})


class JobSearchProfile(BaseModel):
    """What a person looks for and what constrains her, for CV-free matching (up to three ROME codes)."""

    person = models.OneToOneField(Person, models.CASCADE, related_name="job_search", verbose_name="personne")
    rome_1 = models.ForeignKey(
        "territory.RomeCode", models.PROTECT, to_field="code", related_name="+", verbose_name="métier recherché"
    )
    rome_2 = models.ForeignKey(
        "territory.RomeCode",
        models.PROTECT,
        to_field="code",
        null=True,
        blank=True,
        related_name="+",
        verbose_name="deuxième métier",
    )
    rome_3 = models.ForeignKey(
        "territory.RomeCode",
        models.PROTECT,
        to_field="code",
        null=True,
        blank=True,
        related_name="+",
        verbose_name="troisième métier",
    )
    has_licence = models.BooleanField("permis B", default=False)
    has_vehicle = models.BooleanField("véhicule", default=False)
    # ",cdi,cdd," : the contracts the person accepts; empty: any.
    contract_types = models.CharField("contrats acceptés", max_length=200, blank=True)
    min_weekly_hours = models.PositiveSmallIntegerField("heures par semaine, au moins", null=True, blank=True)
    max_weekly_hours = models.PositiveSmallIntegerField("heures par semaine, au plus", null=True, blank=True)
    available_from = models.DateField("disponible à partir du", null=True, blank=True)
    is_active = models.BooleanField("en recherche", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "recherche d'emploi"
        verbose_name_plural = "recherches d'emploi"
        constraints = [
            models.CheckConstraint(
                condition=Q(min_weekly_hours__isnull=True)
                | Q(max_weekly_hours__isnull=True)
                | Q(max_weekly_hours__gte=F("min_weekly_hours")),
                name="companies_jobsearchprofile_hours_range",
            ),
        ]

    def __str__(self):
        return f"Recherche d'emploi de {self.person}"

    @property
    def accepted_contracts(self) -> list[str]:
        return [code for code in self.contract_types.split(",") if code]

    @accepted_contracts.setter
    def accepted_contracts(self, codes):
        self.contract_types = f",{','.join(codes)}," if codes else ""

    @property
    def rome_codes(self) -> list[str]:
        return [code for code in (self.rome_1_id, self.rome_2_id, self.rome_3_id) if code]


class PersonRecordQuerySet(models.QuerySet):
    """Records naming a person: the person's scope (Person.objects.visible_to) for internal readers."""

    def visible_to(self, user):
        if not roles.is_reader(user):
            return self.none()
        return self.filter(person__in=visible_people(user))


class Interest(BaseModel):
    """A person said she is interested in an offer (at a job fair, with her référent...)."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="offer_interests", verbose_name="personne")
    offer = models.ForeignKey(Offer, models.CASCADE, related_name="interests", verbose_name="offre")
    event = models.ForeignKey(
        "companies.Event", models.SET_NULL, null=True, blank=True, related_name="interests", verbose_name="événement"
    )
    expressed_on = models.DateField("le", default=timezone.localdate)
    recorded_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="saisi par"
    )

    objects = PersonRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "intérêt pour une offre"
        verbose_name_plural = "intérêts pour les offres"
        constraints = [
            models.UniqueConstraint(fields=["person", "offer"], name="companies_interest_once_per_offer"),
        ]


class ProposalQuerySet(PersonRecordQuerySet):
    def visible_to(self, user):
        if roles.is_reader(user):
            return super().visible_to(user)
        companies = roles.company_ids(user)
        if companies:
            # What was proposed to the company (shown without names).
            return self.filter(offer__company_id__in=companies)
        return self.none()


class Proposal(BaseModel):
    """A person proposed to the company for an offer, and what came of it."""

    offer = models.ForeignKey(Offer, models.CASCADE, related_name="proposals", verbose_name="offre")
    person = models.ForeignKey(Person, models.CASCADE, related_name="offer_proposals", verbose_name="personne")
    proposed_on = models.DateField("proposé·e le", default=timezone.localdate)
    proposed_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+", verbose_name="par")
    score = models.SmallIntegerField("adéquation au moment de la proposition", null=True, blank=True)
    outcome = models.CharField(
        "suite donnée", max_length=20, choices=ProposalOutcome.choices, default=ProposalOutcome.PENDING
    )
    outcome_on = models.DateField("suite connue le", null=True, blank=True)
    notes = models.TextField("observations", blank=True)

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "proposition de candidature"
        verbose_name_plural = "propositions de candidature"
        ordering = ["-proposed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "person"], name="companies_proposal_once_per_offer"),
        ]

    def __str__(self):
        return f"{self.person} proposé·e pour {self.offer}"


class Hire(BaseModel):
    """A hire following a proposal (the outcome the seed reports say gets lost)."""

    proposal = models.OneToOneField(Proposal, models.CASCADE, related_name="hire", verbose_name="proposition")
    person = models.ForeignKey(Person, models.CASCADE, related_name="company_hires", verbose_name="personne")
    offer = models.ForeignKey(Offer, models.CASCADE, related_name="hires", verbose_name="offre")
    started_on = models.DateField("embauche le")
    contract_type = models.CharField("type de contrat", max_length=20, choices=OFFER_CONTRACT_CHOICES)
    recorded_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="saisie par"
    )

    objects = PersonRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "embauche"
        ordering = ["-started_on"]
        indexes = [models.Index(fields=["started_on"], name="companies_hire_started_idx")]


class Immersion(BaseModel):
    """A PMSMP (période de mise en situation en milieu professionnel)."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="immersions", verbose_name="personne")
    company = models.ForeignKey(
        "structures.Organization", models.PROTECT, related_name="immersions", verbose_name="entreprise"
    )
    rome = models.ForeignKey(
        "territory.RomeCode",
        models.PROTECT,
        to_field="code",
        null=True,
        blank=True,
        related_name="+",
        verbose_name="métier découvert",
    )
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    objective = models.CharField("objectif", max_length=200)
    tutor = models.CharField("tuteur ou tutrice", max_length=150)
    outcome = models.CharField(
        "issue", max_length=20, choices=ImmersionOutcome.choices, default=ImmersionOutcome.PLANNED
    )
    recorded_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="saisie par"
    )

    objects = PersonRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "immersion (PMSMP)"
        verbose_name_plural = "immersions (PMSMP)"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="companies_immersion_ends_after_start"
            ),
        ]

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "La fin de l'immersion doit suivre son début."})


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if roles.is_reader(user) else self.none()


class Event(BaseModel):
    kind = models.CharField("type", max_length=20, choices=EventKind.choices)
    title = models.CharField("intitulé", max_length=200)
    programme = models.CharField("dispositif", max_length=20, choices=CompanyProgramme.choices, blank=True)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    place = models.CharField("lieu", max_length=200, blank=True)
    commune = models.ForeignKey(
        "territory.Commune", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="commune"
    )
    capacity = models.PositiveIntegerField("places", null=True, blank=True)
    offers = models.ManyToManyField(Offer, blank=True, related_name="events", verbose_name="offres présentées")
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="créé par"
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement"
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="companies_event_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.title} ({self.starts_on:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("companies:event_detail", args=[self.pk])

    @property
    def is_sas(self) -> bool:
        return self.kind == EventKind.SAS

    @property
    def effective_capacity(self) -> int | None:
        """A 100 Chances SAS never takes more than 12 people, whatever the places set."""
        if self.is_sas:
            return min(self.capacity or SAS_MAX_PARTICIPANTS, SAS_MAX_PARTICIPANTS)
        return self.capacity

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "La fin de l'événement doit suivre son début."})
        if self.is_sas and self.capacity and self.capacity > SAS_MAX_PARTICIPANTS:
            raise ValidationError(
                {"capacity": f"Un SAS 100 Chances accueille au plus {SAS_MAX_PARTICIPANTS} personnes."}
            )


class Registration(BaseModel):
    """A person registered to an event: public, prescriber, attendance and, after a SAS, the committee's decision."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, models.CASCADE, related_name="registrations", verbose_name="événement")
    person = models.ForeignKey(Person, models.CASCADE, related_name="event_registrations", verbose_name="personne")
    public = models.CharField("public", max_length=20, choices=Public.choices)
    prescriber = models.ForeignKey(
        "structures.Organization",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="prescripteur",
    )
    registered_on = models.DateField("inscrit·e le", default=timezone.localdate)
    attendance = models.CharField("présence", max_length=20, choices=Attendance.choices, default=Attendance.REGISTERED)
    decision = models.CharField("décision du comité", max_length=20, choices=CommitteeDecision.choices, blank=True)
    decided_on = models.DateField("décision le", null=True, blank=True)
    registered_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="inscrit·e par"
    )

    objects = PersonRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "inscription à un événement"
        verbose_name_plural = "inscriptions aux événements"
        ordering = ["person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="companies_registration_once_per_event"),
        ]

    def __str__(self):
        return f"{self.person} – {self.event}"


class RelaisContactQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not roles.is_reader(user):
            return self.none()
        if user.sees_all_people or roles.is_manager(user):
            return self
        # Others read the log of their own structures.
        return self.filter(organization_id__in=user.organization_ids())


class RelaisContact(BaseModel):
    """A walk-in, phone call or e-mail at a Point Relais, logged in seconds; anonymous unless a person is named."""

    organization = models.ForeignKey(
        "structures.Organization", models.PROTECT, related_name="+", verbose_name="point relais"
    )
    happened_on = models.DateField("date", default=timezone.localdate)
    channel = models.CharField("canal", max_length=20, choices=RelaisChannel.choices)
    subject = models.CharField("objet", max_length=20, choices=RelaisSubject.choices)
    outcome = models.CharField("réponse", max_length=20, choices=RelaisOutcome.choices)
    referred_to = models.ForeignKey(
        "structures.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="partenaire vers lequel la personne est orientée",
    )
    person = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="relais_contacts", verbose_name="personne"
    )
    note = models.CharField("précision", max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="saisi par"
    )

    objects = RelaisContactQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "contact en Point Relais"
        verbose_name_plural = "contacts en Points Relais"
        ordering = ["-happened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="direct", referred_to__isnull=True)
                | Q(outcome="referral", referred_to__isnull=False),
                name="companies_relaiscontact_referral_names_partner",
            ),
        ]

    def clean(self):
        if self.outcome == RelaisOutcome.REFERRAL and not self.referred_to_id:
            raise ValidationError({"referred_to": "Indiquez le partenaire vers lequel la personne est orientée."})
        if self.outcome == RelaisOutcome.DIRECT and self.referred_to_id:
            raise ValidationError({"referred_to": "Une réponse directe n'oriente vers aucun partenaire."})
