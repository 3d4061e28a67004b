"""Programmation and funding (domain spec §7): projects (actions) and their fiche-action, funders and
funding lines, staff time for the analytic split, calls for projects with answers, scores and the
comité de pilotage's decisions, conventions with avenants, renewals and obligations, FSE+ operations.

Amounts are Decimal with 2 places; no total is ever stored: tables and figures add the lines up
(the 2023 report printed a funders total wrong by 454 €). Who sees what: `tremplin/funding/perms.py`.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tremplin.core.models import BaseModel
from tremplin.funding.enums import CommitteeOutcome, Dispositif, FunderCategory, ObligationKind
from tremplin.people.enums import Programme

ZERO = Decimal("0.00")


def amount_field(label, **kwargs):
    kwargs.setdefault("validators", [MinValueValidator(ZERO)])
    return models.DecimalField(label, max_digits=12, decimal_places=2, **kwargs)


def percent_field(label, **kwargs):
    return models.DecimalField(
        label, max_digits=5, decimal_places=2, validators=[MinValueValidator(ZERO), MaxValueValidator(100)], **kwargs
    )


# Projects and funding -----------------------------------------------------------------------------


class ProjectQuerySet(models.QuerySet):
    def own(self):
        """Projects carried by the association itself (its accounts, its funders table)."""
        return self.filter(operator__isnull=True)

    def for_year(self, year: int):
        return self.filter(Q(starts_on__year__lte=year) | Q(starts_on__isnull=True)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__year__gte=year)
        )


class Project(BaseModel):
    """An action (projet) with its analytic code and the fiche-action printed in the yearly report."""

    code = models.CharField("code analytique", max_length=20, unique=True)
    title = models.CharField("intitulé", max_length=200)
    dispositif = models.CharField("dispositif", max_length=20, choices=Dispositif.choices)
    # Null: carried by the association itself; otherwise the operator that carries it (PLIE programmation).
    operator = models.ForeignKey(
        "structures.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_projects",
        verbose_name="porteur (vide : l'association)",
    )
    main_theme = models.CharField("thème principal", max_length=200, blank=True)
    secondary_themes = models.CharField("thèmes secondaires", max_length=300, blank=True)
    starts_on = models.DateField("début", null=True, blank=True)
    ends_on = models.DateField("fin", null=True, blank=True)
    purpose = models.TextField("objet", blank=True)
    expected_results = models.TextField("résultats attendus", blank=True)
    organisation = models.TextField("organisation", blank=True)
    objectives = models.TextField("objectifs", blank=True)
    activity = models.TextField("activité", blank=True)
    observable_results = models.TextField("résultats observables", blank=True)
    lessons = models.TextField("enseignements", blank=True)
    outlook = models.TextField("perspectives", blank=True)

    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "projet"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="funding_project_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.code} – {self.title}"

    def get_absolute_url(self):
        return reverse("funding:project_detail", args=[self.pk])

    FICHE_FIELDS = (
        "purpose",
        "expected_results",
        "organisation",
        "objectives",
        "activity",
        "observable_results",
        "lessons",
        "outlook",
    )

    def fiche(self) -> list[tuple[str, str]]:
        """(label, text) of the fiche-action, in the report's order."""
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.FICHE_FIELDS]


class Funder(BaseModel):
    """A funder: a structure of kind « financeur », with its row in the funders table."""

    organization = models.OneToOneField(
        "structures.Organization",
        models.PROTECT,
        related_name="funder",
        verbose_name="structure",
        limit_choices_to={"kind": "funder"},
    )
    category = models.CharField("rubrique du tableau des financeurs", max_length=20, choices=FunderCategory.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "financeur"
        ordering = ["organization__name"]

    def __str__(self):
        return self.organization.name

    @property
    def is_fse(self) -> bool:
        return self.category == FunderCategory.FSE


class FundingLineQuerySet(models.QuerySet):
    def of_year(self, year: int):
        return self.filter(year=year)

    def fse(self):
        return self.filter(funder__category=FunderCategory.FSE)

    def own(self):
        return self.filter(project__operator__isnull=True)

    def programmation(self):
        """The PLIE programmation: lines of PLIE projects, the association's and the operators'."""
        return self.filter(project__dispositif=Dispositif.PLIE)


class FundingLine(BaseModel):
    """One funder's contribution to one project for one year: requested, granted by a decision, received."""

    funder = models.ForeignKey(Funder, models.PROTECT, related_name="lines", verbose_name="financeur")
    project = models.ForeignKey(Project, models.PROTECT, related_name="lines", verbose_name="projet")
    year = models.PositiveSmallIntegerField("année", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    programme = models.CharField("programme ou ligne budgétaire du financeur", max_length=200, blank=True)
    amount_requested = amount_field("montant demandé")
    amount_granted = amount_field("montant accordé", null=True, blank=True)
    decision_reference = models.CharField("n° de délibération ou d'arrêté", max_length=100, blank=True)
    decided_on = models.DateField("date de la décision", null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField("votes pour", null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField("votes contre", null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField("abstentions", null=True, blank=True)
    amount_received = amount_field("montant reçu", default=ZERO)
    interim_justification_due_on = models.DateField("justificatif intermédiaire dû le", null=True, blank=True)
    final_justification_due_on = models.DateField("justificatif final dû le", null=True, blank=True)

    objects = FundingLineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ligne de financement"
        verbose_name_plural = "lignes de financement"
        ordering = ["year", "project__code", "funder__organization__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_granted__isnull=True) | Q(decided_on__isnull=False),
                name="funding_fundingline_granted_needs_decision",
                violation_error_message="Un montant accordé suppose la date de la décision.",
            ),
        ]

    def __str__(self):
        return f"{self.funder} – {self.project.code} ({self.year})"

    def clean(self):
        errors = {}
        if self.amount_granted is not None and not self.decided_on:
            errors["decided_on"] = "Indiquez la date de la décision qui accorde ce montant."
        if self.amount_granted is not None and self.amount_received and self.amount_received > self.amount_granted:
            errors["amount_received"] = "Le montant reçu dépasse le montant accordé."
        if errors:
            raise ValidationError(errors)


class StaffYear(BaseModel):
    """A staff member's year: their loaded cost, split over projects by their allocations."""

    year = models.PositiveSmallIntegerField("année")
    user = models.ForeignKey(
        "accounts.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="salarié·e (compte)"
    )
    staff_name = models.CharField("salarié·e (nom, sans compte)", max_length=150, blank=True)
    annual_cost = amount_field("coût chargé annuel", default=ZERO)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "année d'un·e salarié·e"
        ordering = ["year", "staff_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(staff_name=""), name="funding_staffyear_names_someone"
            ),
            models.UniqueConstraint(
                fields=["year", "user"], condition=Q(user__isnull=False), name="funding_staffyear_one_per_user"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"

    @property
    def name(self) -> str:
        return self.user.get_full_name() if self.user_id else self.staff_name


class StaffAllocation(BaseModel):
    """Share of a staff member's full-time equivalent spent on a project in the year (analytic split)."""

    staff_year = models.ForeignKey(StaffYear, models.CASCADE, related_name="allocations", verbose_name="salarié·e")
    project = models.ForeignKey(Project, models.PROTECT, related_name="staff_allocations", verbose_name="projet")
    percent = percent_field("part d'ETP (%)")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "affectation de temps"
        ordering = ["staff_year", "project__code"]
        constraints = [
            models.UniqueConstraint(fields=["staff_year", "project"], name="funding_staffallocation_one_per_project"),
            models.CheckConstraint(condition=Q(percent__gt=0), name="funding_staffallocation_positive"),
        ]


# Calls for projects ---------------------------------------------------------------------------------


class CallForProjectsQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False, published_at__lte=timezone.now())


class CallForProjects(BaseModel):
    """An appel à projets: published, answered on the platform by its deadline (Europe/Paris)."""

    title = models.CharField("intitulé", max_length=200)
    year = models.PositiveSmallIntegerField("année de programmation")
    description = models.TextField("présentation", blank=True)
    published_at = models.DateTimeField("publié le", null=True, blank=True)
    deadline = models.DateTimeField("date limite de dépôt")
    committee_on = models.DateField("comité de pilotage prévu le", null=True, blank=True)

    objects = CallForProjectsQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "appel à projets"
        verbose_name_plural = "appels à projets"
        ordering = ["-year", "-deadline"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("funding:call_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()


class CallAction(BaseModel):
    """An action of the call, with its targets and the PLIE's ceiling."""

    call = models.ForeignKey(CallForProjects, models.CASCADE, related_name="actions", verbose_name="appel à projets")
    title = models.CharField("action", max_length=200)
    description = models.TextField("contenu", blank=True)
    project = models.ForeignKey(
        Project, models.PROTECT, null=True, blank=True, related_name="call_actions", verbose_name="projet"
    )
    people_target = models.PositiveIntegerField("personnes à accompagner")
    positive_exit_target = percent_field("objectif de sorties positives (%)")
    plie_ceiling = amount_field("plafond du PLIE")
    fse_possible = models.BooleanField("cofinancement FSE+ possible", default=True)

    class Meta:
        verbose_name = "action de l'appel à projets"
        verbose_name_plural = "actions de l'appel à projets"
        ordering = ["call", "pk"]

    def __str__(self):
        return self.title


class ScoringCriterion(BaseModel):
    """A line of the scoring grid of a call."""

    call = models.ForeignKey(CallForProjects, models.CASCADE, related_name="criteria", verbose_name="appel à projets")
    label = models.CharField("critère", max_length=200)
    max_points = models.PositiveSmallIntegerField("points au plus", validators=[MinValueValidator(1)])
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "critère de la grille"
        ordering = ["call", "position", "pk"]

    def __str__(self):
        return f"{self.label} (/{self.max_points})"


class AnswerQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(submitted_at__isnull=False)


class Answer(BaseModel):
    """An operator's answer to an action of a call; submitted once, before the deadline."""

    call = models.ForeignKey(CallForProjects, models.PROTECT, related_name="answers", verbose_name="appel à projets")
    action = models.ForeignKey(CallAction, models.PROTECT, related_name="answers", verbose_name="action")
    operator = models.ForeignKey(
        "structures.Organization", models.PROTECT, related_name="funding_answers", verbose_name="opérateur"
    )
    summary = models.TextField("présentation du projet")
    people_planned = models.PositiveIntegerField("personnes accompagnées prévues")
    positive_exit_planned = percent_field("sorties positives prévues (%)")
    amount_plie = amount_field("montant demandé au PLIE")
    amount_fse = amount_field("montant demandé au FSE+", default=ZERO)
    total_budget = amount_field("budget total de l'action")
    document = models.FileField("dossier de réponse (PDF)", upload_to="funding/answers/%Y/", blank=True)
    created_by = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name="saisie par", null=True, blank=True
    )
    submitted_at = models.DateTimeField("déposée le", null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name="déposée par", null=True, blank=True
    )
    receipt_number = models.CharField("n° d'attestation de dépôt", max_length=40, blank=True)

    objects = AnswerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "réponse à l'appel à projets"
        verbose_name_plural = "réponses à l'appel à projets"
        ordering = ["call", "operator__name"]
        constraints = [
            models.UniqueConstraint(fields=["action", "operator"], name="funding_answer_one_per_operator_action"),
            models.UniqueConstraint(
                fields=["receipt_number"], condition=~Q(receipt_number=""), name="funding_answer_receipt_unique"
            ),
        ]

    def __str__(self):
        return f"{self.operator} – {self.action}"

    def get_absolute_url(self):
        return reverse("funding:answer_detail", args=[self.pk])

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(BaseModel):
    answer = models.ForeignKey(Answer, models.CASCADE, related_name="scores", verbose_name="réponse")
    criterion = models.ForeignKey(ScoringCriterion, models.CASCADE, related_name="scores", verbose_name="critère")
    points = models.DecimalField("points", max_digits=5, decimal_places=1, validators=[MinValueValidator(0)])
    comment = models.TextField("commentaire", blank=True)
    scored_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+", verbose_name="notée par")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "note"
        constraints = [models.UniqueConstraint(fields=["answer", "criterion"], name="funding_score_one_per_criterion")]


class CommitteeDecision(BaseModel):
    """The comité de pilotage's decision on an answer (the latest one holds)."""

    answer = models.ForeignKey(Answer, models.CASCADE, related_name="decisions", verbose_name="réponse")
    held_on = models.DateField("comité de pilotage du")
    outcome = models.CharField("décision", max_length=20, choices=CommitteeOutcome.choices)
    amount_granted = amount_field("montant PLIE retenu", null=True, blank=True)
    comments = models.TextField("motifs, questions à l'opérateur", blank=True)
    recorded_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+", verbose_name="saisie par")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "décision du comité de pilotage"
        verbose_name_plural = "décisions du comité de pilotage"
        ordering = ["answer", "held_on", "pk"]


# Conventions --------------------------------------------------------------------------------------


class Convention(BaseModel):
    """A one-year agreement with an operator; extended by avenant, renewed by a new convention."""

    operator = models.ForeignKey(
        "structures.Organization", models.PROTECT, related_name="funding_conventions", verbose_name="opérateur"
    )
    answer = models.OneToOneField(
        Answer, models.PROTECT, null=True, blank=True, related_name="convention", verbose_name="réponse retenue"
    )
    project = models.ForeignKey(
        Project, models.PROTECT, null=True, blank=True, related_name="conventions", verbose_name="projet"
    )
    renewal_of = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="renewal", verbose_name="renouvelle la convention"
    )
    number = models.CharField("n° de convention", max_length=40, unique=True)
    title = models.CharField("objet", max_length=200)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    amount_plie = amount_field("montant PLIE")
    amount_fse = amount_field("montant FSE+ prévu", default=ZERO)
    people_target = models.PositiveIntegerField("objectif : personnes accompagnées")
    positive_exit_target = percent_field("objectif : sorties positives (%)")
    signed_on = models.DateField("signée le", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "convention"
        ordering = ["-starts_on", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="funding_convention_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.number} – {self.operator}"

    def get_absolute_url(self):
        return reverse("funding:convention_detail", args=[self.pk])

    @property
    def current_ends_on(self):
        """The end date after the avenants that extend it."""
        extended = [a.new_ends_on for a in self.avenants.all() if a.new_ends_on]
        return max([self.ends_on, *extended])


class Avenant(BaseModel):
    """An amendment to a convention, validated by the comité de pilotage."""

    convention = models.ForeignKey(Convention, models.CASCADE, related_name="avenants", verbose_name="convention")
    number = models.PositiveSmallIntegerField("n° d'avenant")
    purpose = models.TextField("objet")
    committee_validated_on = models.DateField("validé par le comité de pilotage le")
    new_ends_on = models.DateField("nouvelle date de fin", null=True, blank=True)
    amount_change = models.DecimalField(
        "variation du montant PLIE", max_digits=12, decimal_places=2, default=ZERO, blank=True
    )
    signed_on = models.DateField("signé le", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "avenant"
        ordering = ["convention", "number"]
        constraints = [models.UniqueConstraint(fields=["convention", "number"], name="funding_avenant_unique_number")]

    def __str__(self):
        return f"Avenant n° {self.number} à la convention {self.convention.number}"


class ObligationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_on__isnull=True)

    def late(self, *, today):
        return self.open().filter(due_on__lt=today)

    def due_soon(self, *, today, days=15):
        from datetime import timedelta

        return self.open().filter(due_on__gte=today, due_on__lte=today + timedelta(days=days))


class Obligation(BaseModel):
    """Something the operator owes under its convention, by a due date (reminded beforehand)."""

    convention = models.ForeignKey(Convention, models.CASCADE, related_name="obligations", verbose_name="convention")
    kind = models.CharField("obligation", max_length=30, choices=ObligationKind.choices)
    label = models.CharField("précision", max_length=200, blank=True)
    meeting_on = models.DateField("rencontre du (émargement)", null=True, blank=True)
    due_on = models.DateField("à remettre le")
    remind_days_before = models.PositiveSmallIntegerField("rappel (jours avant)", default=15)
    reminded_on = models.DateField("rappel envoyé le", null=True, blank=True)
    done_on = models.DateField("remise le", null=True, blank=True)

    objects = ObligationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "obligation"
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}{f' – {self.label}' if self.label else ''}"

    def is_late(self, today) -> bool:
        return self.done_on is None and self.due_on < today if self.due_on else False


# FSE+ -----------------------------------------------------------------------------------------------


class FseOperation(BaseModel):
    """An FSE+ operation: its eligible expenses per line and the participants it counts."""

    title = models.CharField("intitulé", max_length=200)
    project = models.ForeignKey(Project, models.PROTECT, related_name="fse_operations", verbose_name="projet")
    mdfse_number = models.CharField("n° MaDémarcheFSE+", max_length=40, blank=True)
    # Participants are the people followed by this structure under this dispositif during the operation.
    organization = models.ForeignKey(
        "structures.Organization", models.PROTECT, related_name="+", verbose_name="structure qui suit les participants"
    )
    programme = models.CharField("dispositif des suivis", max_length=20, choices=Programme.choices)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "opération FSE+"
        verbose_name_plural = "opérations FSE+"
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="funding_fseoperation_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("funding:fse_detail", args=[self.pk])


class FseExpenseLine(BaseModel):
    operation = models.ForeignKey(FseOperation, models.CASCADE, related_name="lines", verbose_name="opération")
    label = models.CharField("poste de dépense", max_length=200)
    eligible_amount = amount_field("dépense éligible")
    fse_rate = percent_field("taux FSE+ (%)")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ligne de dépense FSE+"
        ordering = ["operation", "pk"]
