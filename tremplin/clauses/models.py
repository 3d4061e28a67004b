from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from tremplin.clauses.enums import (
    NO_HOURS_BASES,
    PLACEMENT_CONTRACT_CHOICES,
    CandidateStatus,
    EligiblePublic,
    EvaluationStatus,
    FulfilmentMode,
    LegalBasis,
    Sector,
)
from tremplin.core.models import BaseModel
from tremplin.people.models import Person

# A plausible maximum of hours worked by one person in one month (48 h a week, the legal ceiling).
MAX_MONTHLY_HOURS = Decimal("220")


def sized_hours(*, amount, labour_share, insertion_rate, hourly_cost) -> Decimal:
    """Planned insertion hours = amount × labour share × insertion rate ÷ loaded hourly cost.

    €1,000,000 × 50 % × 5 % ÷ €30/h = 833.33 h (domain spec §4)."""
    hours = Decimal(amount) * Decimal(labour_share) * Decimal(insertion_rate) / Decimal(hourly_cost)
    return hours.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class OperationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Internal users see every operation; a buyer only its own; a company those it works on."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.sees_records:
            return self
        condition = Q()
        buyer_orgs = user.organization_ids("buyer")
        if buyer_orgs:
            condition |= Q(buyer_id__in=buyer_orgs) | Q(owner_id__in=buyer_orgs)
        company_orgs = user.organization_ids("company")
        if company_orgs:
            condition |= Q(markets__lots__attributaire_id__in=company_orgs) | Q(
                markets__lots__placements__employer_id__in=company_orgs
            )
        if not condition:
            return self.none()
        return self.filter(pk__in=Operation.objects.filter(condition).values("pk"))


class Operation(BaseModel):
    """One purchase under a social clause: the unit of hour tracking."""

    name = models.CharField("nom de l'opération", max_length=200)
    buyer = models.ForeignKey(
        "structures.Organization", models.PROTECT, related_name="clause_operations", verbose_name="donneur d'ordre"
    )
    owner = models.ForeignKey(
        "structures.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_clause_operations",
        verbose_name="maître d'ouvrage",
    )
    commune = models.ForeignKey("territory.Commune", models.PROTECT, related_name="+", verbose_name="commune")
    in_qpv = models.BooleanField("en quartier prioritaire (QPV)", default=False)
    urban_renewal = models.BooleanField("renouvellement urbain (NPNRU)", default=False)
    sector = models.CharField("secteur", max_length=20, choices=Sector.choices)
    started_on = models.DateField("début")
    ended_on = models.DateField("fin prévue", null=True, blank=True)
    facilitator = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="facilitateur·rice"
    )
    notes = models.TextField("observations", blank=True)

    objects = OperationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "opération"
        ordering = ["-started_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="clauses_operation_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("clauses:operation_detail", args=[self.pk])


class CountingConvention(BaseModel):
    """How hours count on an operation, with where the rule comes from (charter, AVE handbook, market)."""

    operation = models.OneToOneField(Operation, models.CASCADE, related_name="convention", verbose_name="opération")
    provenance = models.TextField(
        "origine de la convention", help_text="Charte locale, guide AVE, cahier des charges du marché…"
    )
    count_direct_hire = models.BooleanField("les embauches directes comptent", default=True)
    count_staff_provision = models.BooleanField("les mises à disposition (ETTI, AI, GEIQ) comptent", default=True)
    count_subcontracting = models.BooleanField("la sous-traitance (EI, ACI, EA, ESAT) compte", default=True)
    count_alternance_training = models.BooleanField(
        "les heures de formation des contrats en alternance comptent", default=True
    )
    subcontracting_hourly_rate = models.DecimalField(
        "conversion de la sous-traitance : euros facturés pour une heure",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
    )
    cdi_equivalence_hours = models.DecimalField(
        "équivalence d'une embauche en CDI (heures)", max_digits=8, decimal_places=2, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "convention de comptage"

    def __str__(self):
        return f"Convention de comptage de {self.operation}"


class GlobalisationAgreement(BaseModel):
    """Pools clause hours across operations: a person's hours worked on one count on the others."""

    name = models.CharField("nom", max_length=200)
    operations = models.ManyToManyField(Operation, related_name="globalisations", verbose_name="opérations")
    started_on = models.DateField("en vigueur depuis")
    ended_on = models.DateField("jusqu'au", null=True, blank=True)
    provenance = models.TextField("origine de l'accord", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "accord de globalisation"
        verbose_name_plural = "accords de globalisation"

    def __str__(self):
        return self.name

    def is_in_force(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)


class Market(BaseModel):
    operation = models.ForeignKey(Operation, models.CASCADE, related_name="markets", verbose_name="opération")
    reference = models.CharField("référence", max_length=100, blank=True)
    name = models.CharField("intitulé du marché", max_length=200)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "marché"
        ordering = ["operation", "reference", "name"]

    def __str__(self):
        return f"{self.reference} {self.name}".strip()


class LotQuerySet(models.QuerySet):
    def with_hours(self):
        return self.exclude(legal_basis__in=NO_HOURS_BASES)


class Lot(BaseModel):
    market = models.ForeignKey(Market, models.CASCADE, related_name="lots", verbose_name="marché")
    number = models.CharField("numéro de lot", max_length=20, blank=True)
    name = models.CharField("intitulé du lot", max_length=200)
    legal_basis = models.CharField("fondement juridique", max_length=30, choices=LegalBasis.choices)
    amount = models.DecimalField("montant (€ HT)", max_digits=14, decimal_places=2)
    attributaire = models.ForeignKey(
        "structures.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="awarded_lots",
        verbose_name="attributaire",
    )
    started_on = models.DateField("début d'exécution")
    ended_on = models.DateField("fin d'exécution prévue")
    # Sizing inputs (domain spec §4): amount × labour share × insertion rate ÷ loaded hourly cost.
    labour_share = models.DecimalField("part de main-d'œuvre", max_digits=5, decimal_places=4, null=True, blank=True)
    insertion_rate = models.DecimalField("taux d'insertion", max_digits=5, decimal_places=4, null=True, blank=True)
    hourly_cost = models.DecimalField("coût horaire chargé (€)", max_digits=8, decimal_places=2, null=True, blank=True)
    planned_hours = models.DecimalField("heures d'insertion prévues", max_digits=10, decimal_places=2, default=0)
    planned_hours_reason = models.TextField("motif de l'ajustement des heures prévues", blank=True)

    objects = LotQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "lot"
        ordering = ["market", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__gte=models.F("started_on")), name="clauses_lot_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="clauses_lot_amount_positive"),
            models.CheckConstraint(condition=Q(planned_hours__gte=0), name="clauses_lot_planned_hours_positive"),
        ]

    def __str__(self):
        return f"Lot {self.number} – {self.name}" if self.number else self.name

    @property
    def operation(self):
        return self.market.operation

    @property
    def carries_hours(self) -> bool:
        return self.legal_basis not in NO_HOURS_BASES

    @property
    def sized_hours(self) -> Decimal | None:
        if not self.carries_hours or None in (self.labour_share, self.insertion_rate, self.hourly_cost):
            return None
        return sized_hours(
            amount=self.amount,
            labour_share=self.labour_share,
            insertion_rate=self.insertion_rate,
            hourly_cost=self.hourly_cost,
        )


class CandidateQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(person__in=Person.objects.visible_to(user))

    def pool(self):
        return self.filter(status=CandidateStatus.VALIDATED)


class Candidate(BaseModel):
    """A person referred to the clauses service, then validated into the pool (vivier) or refused."""

    person = models.ForeignKey(Person, models.PROTECT, related_name="clause_candidacies", verbose_name="personne")
    prescriber = models.ForeignKey(
        "structures.Organization", models.PROTECT, related_name="clause_referrals", verbose_name="prescripteur"
    )
    prescriber_contact = models.CharField("conseiller·ère prescripteur·rice", max_length=150, blank=True)
    prescriber_email = models.EmailField("e-mail du prescripteur", blank=True)
    referred_on = models.DateField("orienté·e le")
    reason = models.TextField("motif de l'orientation")
    cv = models.FileField("CV", upload_to="clauses/cv/%Y/", blank=True)
    eligible_public = models.CharField("public éligible", max_length=30, choices=EligiblePublic.choices, blank=True)
    proof_seen = models.CharField("justificatif vu", max_length=200, blank=True)
    proof_date = models.DateField("date du justificatif", null=True, blank=True)
    interview_on = models.DateField("entretien de validation le", null=True, blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=CandidateStatus.choices, default=CandidateStatus.REFERRED
    )
    decision_reason = models.TextField("avis motivé", blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="décision par"
    )
    jobs_sought = models.ManyToManyField(
        "territory.RomeCode", blank=True, related_name="+", verbose_name="métiers recherchés"
    )

    objects = CandidateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "candidat·e clauses"
        verbose_name_plural = "candidat·es clauses"
        ordering = ["-referred_on"]

    def __str__(self):
        return f"{self.person} ({self.get_status_display()})"


class PlacementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see placements of people they see; a company sees those of the people it employs.

        Being a lot's attributaire is not enough: the workers a temp agency or another firm employs on the
        lot are that employer's to declare. The attributaire reads its lot's counts (lot pages), not their
        names nor their monthly hours."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_records:
            return self.filter(person__in=Person.objects.visible_to(user))
        company_orgs = user.organization_ids("company")
        if not company_orgs:
            return self.none()
        return self.filter(employer_id__in=company_orgs, person__restricted_at__isnull=True)


class Placement(BaseModel):
    """A person placed on a lot through a fulfilment mode."""

    person = models.ForeignKey(Person, models.PROTECT, related_name="clause_placements", verbose_name="personne")
    candidate = models.ForeignKey(
        Candidate, models.SET_NULL, null=True, blank=True, related_name="placements", verbose_name="candidature"
    )
    lot = models.ForeignKey(Lot, models.PROTECT, related_name="placements", verbose_name="lot")
    mode = models.CharField("modalité", max_length=30, choices=FulfilmentMode.choices)
    contract = models.CharField("contrat", max_length=30, choices=PLACEMENT_CONTRACT_CHOICES)
    employer = models.ForeignKey(
        "structures.Organization",
        models.PROTECT,
        related_name="clause_placements",
        verbose_name="employeur (entreprise, ETTI, AI, GEIQ, EI, ACI…)",
    )
    job_title = models.CharField("poste", max_length=200, blank=True)
    started_on = models.DateField("début")
    ended_on = models.DateField("fin", null=True, blank=True)
    evaluation_status = models.CharField(
        "évaluation tripartite", max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.TO_DO
    )
    evaluated_on = models.DateField("évaluation faite le", null=True, blank=True)
    evaluation_notes = models.TextField("compte rendu de l'évaluation", blank=True)

    objects = PlacementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "mise en emploi"
        verbose_name_plural = "mises en emploi"
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="clauses_placement_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.lot} ({self.get_mode_display()})"


class HoursRecord(BaseModel):
    """Hours worked by a placed person in one month, with the evidence."""

    placement = models.ForeignKey(Placement, models.CASCADE, related_name="hours", verbose_name="mise en emploi")
    month = models.DateField("mois", help_text="Premier jour du mois.")
    hours = models.DecimalField("heures travaillées", max_digits=6, decimal_places=2, default=0)
    training_hours = models.DecimalField("heures de formation (alternance)", max_digits=6, decimal_places=2, default=0)
    subcontracting_amount = models.DecimalField(
        "montant sous-traité (€ HT)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    # Where the hours were worked, when not on the placement's own operation (globalisation).
    worked_on = models.ForeignKey(
        Operation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="hours_worked_here",
        verbose_name="opération où les heures ont été effectuées",
    )
    evidence = models.FileField(
        "justificatif (bulletin, relevé)", upload_to="clauses/justificatifs/%Y/%m/", blank=True
    )
    recorded_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="saisi par"
    )
    # What the record counts for its operation: kept by tremplin/clauses/counting.py (refresh_counted_hours)
    # whenever the record, its placement, its lot, the operation's convention or a globalisation agreement
    # changes, so that yearly figures over millions of records add up one column. Never set by hand.
    counted_hours = models.DecimalField("heures comptées", max_digits=14, decimal_places=2, default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["counted_hours"])

    class Meta:
        verbose_name = "relevé d'heures mensuel"
        verbose_name_plural = "relevés d'heures mensuels"
        ordering = ["placement", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "month"],
                name="clauses_hoursrecord_one_per_month",
                violation_error_message="Les heures de ce mois sont déjà saisies pour cette mise en emploi.",
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=MAX_MONTHLY_HOURS) & Q(training_hours__gte=0),
                name="clauses_hoursrecord_plausible_hours",
            ),
        ]
        indexes = [models.Index(fields=["month"], name="clauses_hours_month_idx")]

    def __str__(self):
        return f"{self.placement} – {self.month:%m/%Y} : {self.hours} h"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.month and self.month.day != 1:
            raise ValidationError({"month": "Le mois se saisit par son premier jour (par exemple 01/03/2024)."})
