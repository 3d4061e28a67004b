from datetime import date

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from tremplin.core.models import BaseModel
from tremplin.people.models import Person
from tremplin.plie.enums import (
    ALTERNANCE,
    OPEN_PATHWAY_STATUSES,
    PLIE_CONTRACT_CHOICES,
    POSITIVE_EXIT_KINDS,
    Answer,
    AppointmentOutcome,
    Barrier,
    ContractType,
    EmployerKind,
    ExitKind,
    ExitRule,
    FseMoment,
    Household,
    InterviewKind,
    IscedLevel,
    LabourMarketStatus,
    OrientationStatus,
    PathwayStatus,
    ReportCategory,
    StepKind,
)

# Full-time reference for the half-time rule of positive exits (35 h a week).
FULL_TIME_WEEKLY_HOURS = 35


def add_months(day: date, months: int) -> date:
    """Calendar months: 31 Aug + 6 months = 28/29 Feb (the last day of a shorter month)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class OrientationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(person__in=Person.objects.visible_to(user))

    def missed_first_appointment(self):
        """Oriented people who did not come: the aller-vers list, until someone reaches them."""
        return self.filter(
            appointment_outcome=AppointmentOutcome.ABSENT, status=OrientationStatus.OPEN, outreach_on__isnull=True
        )


class Orientation(BaseModel):
    """A prescriber orients someone to the PLIE: every orientation is recorded (systematic entry)."""

    person = models.ForeignKey(Person, models.PROTECT, related_name="plie_orientations", verbose_name="personne")
    prescriber = models.ForeignKey(
        "structures.Organization", models.PROTECT, related_name="plie_orientations", verbose_name="prescripteur"
    )
    adviser_name = models.CharField("conseiller·ère prescripteur·rice", max_length=150, blank=True)
    oriented_on = models.DateField("orienté·e le")
    reason = models.TextField("motif de l'orientation")
    first_appointment_on = models.DateField("premier rendez-vous le", null=True, blank=True)
    appointment_outcome = models.CharField(
        "premier rendez-vous", max_length=20, choices=AppointmentOutcome.choices, default=AppointmentOutcome.SCHEDULED
    )
    outreach_on = models.DateField("aller-vers effectué le", null=True, blank=True)
    outreach_notes = models.TextField("aller-vers : démarches et résultat", blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=OrientationStatus.choices, default=OrientationStatus.OPEN
    )
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="saisi par"
    )

    objects = OrientationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "orientation vers le PLIE"
        verbose_name_plural = "orientations vers le PLIE"
        ordering = ["-oriented_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_appointment_on__isnull=True) | Q(first_appointment_on__gte=models.F("oriented_on")),
                name="plie_orientation_appointment_after_orientation",
            ),
        ]

    def __str__(self):
        return f"Orientation de {self.person} par {self.prescriber} le {self.oriented_on:%d/%m/%Y}"


class PathwayQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_authenticated and user.is_active and user.sees_all_people:
            return self.filter(person__restricted_at__isnull=True)  # the restricted archive is in no page
        return self.filter(person__in=Person.objects.visible_to(user))

    def counted_for(self, user):
        # Everyone counts for the command line, the coordination and aggregate-only users: no join.
        if user is None or user.sees_all_people or not user.sees_records:
            return self
        return self.filter(person__in=Person.objects.counted_for(user))

    def open(self):
        return self.filter(status__in=OPEN_PATHWAY_STATUSES)

    def entered(self):
        return self.filter(entry_date__isnull=False)

    def in_pathway_on(self, day: date):
        """Participants in a pathway on that day: entered by then and not yet exited."""
        return self.entered().filter(Q(exit_date__isnull=True) | Q(exit_date__gt=day), entry_date__lte=day)

    def active_during(self, start: date, end: date):
        """At least one day of active pathway in [start, end]."""
        return self.entered().filter(Q(exit_date__isnull=True) | Q(exit_date__gte=start), entry_date__lte=end)

    def exited_during(self, start: date, end: date):
        return self.filter(status=PathwayStatus.EXITED, exit_date__range=(start, end))


class Pathway(BaseModel):
    """A participant's PLIE pathway (one participation, in FSE+ terms), from entry to exit."""

    person = models.ForeignKey(Person, models.PROTECT, related_name="plie_pathways", verbose_name="participant·e")
    orientation = models.ForeignKey(
        Orientation, models.SET_NULL, null=True, blank=True, related_name="pathways", verbose_name="orientation"
    )
    status = models.CharField(
        "statut", max_length=20, choices=PathwayStatus.choices, default=PathwayStatus.ENTRY_PROPOSED
    )
    # Eligibility as checked when the entry was proposed: {"criteria": [{"code", "label", "met", "reason"}]}.
    eligibility = models.JSONField("critères d'entrée vérifiés", default=dict, blank=True)
    # The structure and référent proposed to follow the pathway; the live assignment is the PLIE follow-up.
    proposed_organization = models.ForeignKey(
        "structures.Organization", models.PROTECT, related_name="+", verbose_name="structure de suivi proposée"
    )
    proposed_referent = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="référent·e proposé·e"
    )
    entry_proposed_on = models.DateField("entrée proposée le")
    entry_proposed_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="entrée proposée par"
    )
    entry_date = models.DateField("date d'entrée", null=True, blank=True)
    entry_decided_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="décision d'entrée par"
    )
    entry_decision_notes = models.TextField("avis de la cellule sur l'entrée", blank=True)
    exit_proposed_on = models.DateField("sortie proposée le", null=True, blank=True)
    exit_proposed_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="sortie proposée par"
    )
    exit_date = models.DateField("date de sortie", null=True, blank=True)
    exit_kind = models.CharField("motif de sortie", max_length=30, choices=ExitKind.choices, blank=True)
    exit_rule = models.CharField("critère de sortie positive", max_length=20, choices=ExitRule.choices, blank=True)
    exit_explanation = models.TextField("justification de la sortie", blank=True)
    exit_validated_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="sortie validée par"
    )

    objects = PathwayQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "parcours PLIE"
        verbose_name_plural = "parcours PLIE"
        ordering = ["-entry_proposed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(exit_date__gte=models.F("entry_date")),
                name="plie_pathway_exit_after_entry",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=OPEN_PATHWAY_STATUSES),
                name="plie_pathway_one_open_per_person",
                violation_error_message="Cette personne a déjà un parcours PLIE en cours.",
            ),
        ]
        indexes = [models.Index(fields=["entry_date", "exit_date"], name="plie_pathway_dates_idx")]

    def __str__(self):
        return f"Parcours PLIE de {self.person}"

    def get_absolute_url(self):
        return reverse("plie:pathway_detail", args=[self.pk])

    @property
    def is_positive_exit(self) -> bool:
        return self.exit_kind in POSITIVE_EXIT_KINDS

    def is_in_pathway_on(self, day: date) -> bool:
        return bool(self.entry_date) and self.entry_date <= day and (self.exit_date is None or self.exit_date > day)


class StepQuerySet(models.QuerySet):
    def specific_supports(self):
        return self.filter(kind=StepKind.SPECIFIC_SUPPORT)


class Step(BaseModel):
    """An étape de parcours: several run in parallel (training, immersion, accompagnement spécifique...)."""

    pathway = models.ForeignKey(Pathway, models.CASCADE, related_name="steps", verbose_name="parcours")
    kind = models.CharField("type d'étape", max_length=30, choices=StepKind.choices)
    barrier = models.CharField("frein travaillé", max_length=30, choices=Barrier.choices, blank=True)
    title = models.CharField("intitulé", max_length=200)
    provider = models.CharField("organisme, entreprise ou partenaire", max_length=200, blank=True)
    started_on = models.DateField("début")
    ended_on = models.DateField("fin", null=True, blank=True)
    certification = models.CharField("diplôme, titre ou certificat visé", max_length=200, blank=True)
    certification_obtained = models.BooleanField("certification obtenue", null=True, blank=True)
    notes = models.TextField("observations", blank=True)

    objects = StepQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "étape de parcours"
        verbose_name_plural = "étapes de parcours"
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="plie_step_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(kind="specific_support") | Q(barrier=""), name="plie_step_barrier_only_for_support"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.title}"


class InterviewQuerySet(models.QuerySet):
    def readable_by(self, user):
        if user.is_superuser:
            return self
        return self.filter(organization_id__in=user.organization_ids())


class Interview(BaseModel):
    """An entretien with the référent; its notes stay within the référent's structure."""

    pathway = models.ForeignKey(Pathway, models.CASCADE, related_name="interviews", verbose_name="parcours")
    held_on = models.DateField("date")
    kind = models.CharField("type", max_length=20, choices=InterviewKind.choices, default=InterviewKind.INDIVIDUAL)
    author = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="auteur·rice"
    )
    # Private notes stay in the author's structure: only its members read them.
    organization = models.ForeignKey(
        "structures.Organization", models.PROTECT, related_name="+", verbose_name="structure de l'auteur·rice"
    )
    notes = models.TextField("notes")

    objects = InterviewQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "entretien"
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.held_on:%d/%m/%Y}"


class ContractQuerySet(models.QuerySet):
    def started_during(self, start: date, end: date):
        return self.filter(started_on__range=(start, end))


class Contract(BaseModel):
    """An employment contract during the pathway."""

    pathway = models.ForeignKey(Pathway, models.CASCADE, related_name="contracts", verbose_name="parcours")
    contract_type = models.CharField("type de contrat", max_length=30, choices=PLIE_CONTRACT_CHOICES)
    open_ended = models.BooleanField(
        "à durée indéterminée", default=False, help_text="Pour un contrat en alternance conclu en CDI."
    )
    employer = models.ForeignKey(
        "structures.Organization",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="plie_contracts",
        verbose_name="employeur (structure connue)",
    )
    employer_name = models.CharField("employeur", max_length=200)
    employer_kind = models.CharField(
        "type d'employeur", max_length=20, choices=EmployerKind.choices, default=EmployerKind.ORDINARY
    )
    job_title = models.CharField("poste", max_length=200, blank=True)
    rome = models.ForeignKey(
        "territory.RomeCode", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="code ROME"
    )
    started_on = models.DateField("début")
    planned_end_on = models.DateField("fin prévue", null=True, blank=True)
    ended_on = models.DateField("fin effective", null=True, blank=True)
    weekly_hours = models.DecimalField("heures hebdomadaires", max_digits=4, decimal_places=2)
    # The half-time minimum does not apply when the participant agreed to less (date and evidence).
    part_time_agreed_on = models.DateField("accord du participant pour moins d'un mi-temps le", null=True, blank=True)
    part_time_agreement_evidence = models.CharField("justificatif de l'accord", max_length=200, blank=True)
    # ACI, 55 and over: counts only after the cellule's case-by-case validation.
    cell_validated_on = models.DateField("validé par la cellule le (ACI, 55 ans et plus)", null=True, blank=True)
    cell_validated_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="validé par"
    )

    objects = ContractQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "contrat de travail"
        verbose_name_plural = "contrats de travail"
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="plie_contract_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(planned_end_on__isnull=True) | Q(planned_end_on__gte=models.F("started_on")),
                name="plie_contract_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__gt=0) & Q(weekly_hours__lte=60), name="plie_contract_plausible_weekly_hours"
            ),
        ]

    def __str__(self):
        return f"{self.get_contract_type_display()} chez {self.employer_name} depuis le {self.started_on:%d/%m/%Y}"

    @property
    def is_alternance(self) -> bool:
        return self.contract_type in ALTERNANCE

    @property
    def is_open_ended(self) -> bool:
        return self.contract_type in (ContractType.CDI, ContractType.CDI_INTERIM) or (
            self.is_alternance and self.open_ended
        )

    @property
    def is_half_time_or_more(self) -> bool:
        return self.weekly_hours * 2 >= FULL_TIME_WEEKLY_HOURS

    @property
    def planned_or_actual_end(self) -> date | None:
        return self.ended_on or self.planned_end_on

    @property
    def report_category(self) -> str:
        return report_category(self.contract_type, self.employer_kind, self.started_on, self.planned_or_actual_end)


def report_category(contract_type, employer_kind, started_on, end_on) -> str:
    """The yearly report's category: one mapping, from type × employer kind × length."""
    if contract_type in (ContractType.CDI, ContractType.CDI_INTERIM):
        return ReportCategory.CDI
    if contract_type == ContractType.CDD:
        long = end_on is None or end_on >= add_months(started_on, 6)
        return ReportCategory.CDD_LONG if long else ReportCategory.CDD_SHORT
    if contract_type == ContractType.INTERIM:
        return ReportCategory.INTERIM
    if contract_type == ContractType.CTTI:
        return ReportCategory.INTERIM_INSERTION
    if contract_type == ContractType.CDDI:
        return ReportCategory.ACI if employer_kind == EmployerKind.ACI else ReportCategory.CDDI
    return {
        ContractType.PROFESSIONALISATION: ReportCategory.PROFESSIONALISATION,
        ContractType.APPRENTICESHIP: ReportCategory.APPRENTICESHIP,
        ContractType.SUBSIDISED: ReportCategory.SUBSIDISED,
    }.get(contract_type, ReportCategory.OTHER)


class BusinessCreation(BaseModel):
    pathway = models.ForeignKey(Pathway, models.CASCADE, related_name="businesses", verbose_name="parcours")
    name = models.CharField("nom de l'entreprise", max_length=200)
    registered_on = models.DateField("immatriculée le")
    siret = models.CharField("SIRET", max_length=14, blank=True)
    ceased_on = models.DateField("cessation d'activité le", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "création d'entreprise"
        verbose_name_plural = "créations d'entreprise"
        constraints = [
            models.CheckConstraint(
                condition=Q(ceased_on__isnull=True) | Q(ceased_on__gte=models.F("registered_on")),
                name="plie_businesscreation_ceases_after_registration",
            ),
        ]

    def __str__(self):
        return f"{self.name} (immatriculée le {self.registered_on:%d/%m/%Y})"


class FseQuestionnaire(BaseModel):
    """FSE+ participant data: three records per participation (entry, exit, 6 months), never overwritten."""

    pathway = models.ForeignKey(Pathway, models.CASCADE, related_name="fse_questionnaires", verbose_name="parcours")
    moment = models.CharField("moment", max_length=20, choices=FseMoment.choices)
    collected_on = models.DateField("recueilli le")
    collected_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="par"
    )
    # Entry (and situation at exit / 6 months).
    labour_market_status = models.CharField(
        "situation sur le marché du travail", max_length=30, choices=LabourMarketStatus.choices, blank=True
    )
    isced_level = models.CharField("niveau d'études (CITE)", max_length=3, choices=IscedLevel.choices, blank=True)
    household = models.CharField("situation du ménage", max_length=30, choices=Household.choices, blank=True)
    disability = models.CharField("handicap", max_length=10, choices=Answer.choices, blank=True)
    third_country_national = models.CharField(
        "ressortissant·e de pays tiers", max_length=10, choices=Answer.choices, blank=True
    )
    foreign_background = models.CharField("origine étrangère", max_length=10, choices=Answer.choices, blank=True)
    minority = models.CharField(
        "minorité (y compris communautés marginalisées)", max_length=10, choices=Answer.choices, blank=True
    )
    homeless = models.CharField(
        "sans domicile ou exclu·e du logement", max_length=10, choices=Answer.choices, blank=True
    )
    # Exit and 6 months after.
    job_searching = models.CharField("en recherche d'emploi", max_length=10, choices=Answer.choices, blank=True)
    in_education = models.CharField("en études ou en formation", max_length=10, choices=Answer.choices, blank=True)
    qualification_gained = models.CharField(
        "a obtenu une qualification", max_length=10, choices=Answer.choices, blank=True
    )
    employed = models.CharField("en emploi, y compris indépendant", max_length=10, choices=Answer.choices, blank=True)
    improved_situation = models.CharField(
        "situation sur le marché du travail améliorée", max_length=10, choices=Answer.choices, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "questionnaire FSE+"
        verbose_name_plural = "questionnaires FSE+"
        ordering = ["pathway", "collected_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["pathway", "moment"],
                name="plie_fsequestionnaire_one_per_moment",
                violation_error_message="Ce questionnaire FSE+ a déjà été recueilli pour ce parcours.",
            ),
        ]

    def __str__(self):
        return f"Questionnaire FSE+ ({self.get_moment_display()}) du {self.collected_on:%d/%m/%Y}"
