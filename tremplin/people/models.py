import re
import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tremplin.accounts.enums import Role
from tremplin.core.dates import future_date_message
from tremplin.core.models import BaseModel
from tremplin.core.text import digits, fold, name_key
from tremplin.core.validators import format_french_phone, normalize_french_phone, validate_postcode
from tremplin.people.enums import (
    REFUSED,
    REFUSED_LABEL,
    VALUED_FACTS,
    YES,
    FactKind,
    Programme,
    Sex,
)

# Plausible ages in the registry: the mobility platform follows people from 14 (moped licence).
MINIMUM_AGE = 14
MAXIMUM_AGE = 100


def postcode_matches_commune(postcode: str, commune) -> bool:
    if commune.postcode:
        return postcode == commune.postcode
    return postcode.startswith(commune.department)


# Which programme's follow-ups each programme-bound role sees, in its own structures.
PROGRAMME_OF_ROLE = {
    Role.FACILITATOR: Programme.CLAUSES,
    Role.MOBILITY_ADVISER: Programme.MOBILITY,
    Role.PROJECT_OFFICER: Programme.CITE,
}


def follow_up_scope(user, *, open_only=False) -> Q | None:
    """The follow-ups that put a person in the user's scope, or None when there are none.

    The single rule behind PersonQuerySet.visible_to and perms.can_edit_person:
    - référent: the follow-ups of their own structures (closed ones too, read-only: "former
      structure keeps read-only access to its own period");
    - facilitator / mobility adviser / project officer: their structures' follow-ups in their programme;
    - prescriber: the follow-ups their structure prescribed.
    """
    scope = Q()
    referent_orgs = user.organization_ids(Role.REFERENT)
    if referent_orgs:
        scope |= Q(organization_id__in=referent_orgs)
    for role, programme in PROGRAMME_OF_ROLE.items():
        orgs = user.organization_ids(role)
        if orgs:
            scope |= Q(organization_id__in=orgs, programme=programme)
    prescriber_orgs = user.organization_ids(Role.PRESCRIBER)
    if prescriber_orgs and not open_only:
        scope |= Q(prescriber_id__in=prescriber_orgs)
    if not scope:
        return None
    return scope & Q(ended_on__isnull=True) if open_only else scope


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The only door to people: every query returning people or their data starts here.

        People whose processing is restricted (GDPR erasure or restriction within the FSE+ archive duty)
        are in no list nor page: only the coordination's archive page reads them (`restricted()`)."""
        return self._in_scope(user).filter(restricted_at__isnull=True)

    def _in_scope(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all_people:
            return self
        if not user.sees_records:
            return self.none()
        scope = follow_up_scope(user)
        if scope is None:
            return self.none()
        return self.filter(pk__in=FollowUp.objects.filter(scope).values("person_id"))

    def counted_for(self, user):
        """The population behind figures: everyone for the command line, for users who see all
        people and for aggregate-only users (funders), otherwise the user's own scope. Restricted
        people are still counted: past figures must not change."""
        if user is None or user.sees_all_people or not user.sees_records:
            return self
        return self._in_scope(user)

    def restricted(self):
        """The restricted archive: kept for the FSE+ audit, read by the coordination only. A record leaves it
        when anonymised at the end of the archive duty (people/retention.py)."""
        return self.filter(restricted_at__isnull=False, anonymised_at__isnull=True, erased_at__isnull=True)

    def search(self, query: str):
        """Accent- and case-insensitive search on name, birth date, commune, phone and e-mail."""
        queryset = self
        for token in _join_phone_numbers(query).split():
            birth_date = _parse_date(token)
            if birth_date:
                queryset = queryset.filter(birth_date=birth_date)
                continue
            token_digits = digits(token)
            if len(token_digits) >= 6 and len(token_digits) == len(token.replace(" ", "").replace(".", "")):
                queryset = queryset.filter(phone__contains=token_digits.lstrip("0")[-9:])
                continue
            folded = fold(token)
            if folded:
                queryset = queryset.filter(search_text__contains=folded)
        return queryset

    def in_registry(self):
        """People shown in lists and searches: not erased, not anonymised."""
        return self.filter(erased_at__isnull=True, anonymised_at__isnull=True)

    def registered_by(self, day: date):
        return self.filter(registered_on__lte=day, erased_at__isnull=True)


# A French phone number as typed, its pairs of digits separated by spaces, dots or dashes.
_PHONE_IN_QUERY = re.compile(r"(?<![\d+])(?:\+33\s?(?:\(0\)\s?)?|0033\s?|0)[1-9](?:[\s.\-]?\d{2}){4}(?!\d)")


def _join_phone_numbers(query: str) -> str:
    """ "06 12 34 56 78" -> "0612345678", so that a phone number is searched as one token, not
    as five pairs of digits found anywhere in the record."""

    def join(match):
        try:
            return normalize_french_phone(match.group(0))
        except ValidationError:
            return match.group(0)

    return _PHONE_IN_QUERY.sub(join, query)


def _parse_date(token: str) -> date | None:
    for separator in ("/", "-", "."):
        parts = token.split(separator)
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            try:
                if len(parts[0]) == 4:
                    return date(int(parts[0]), int(parts[1]), int(parts[2]))
                return date(int(parts[2]), int(parts[1]), int(parts[0]))
            except ValueError:
                return None
    return None


class Person(BaseModel):
    """One human being, once, shared by every dispositif (PLIE, clauses, mobility...)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom d'usage", max_length=150)
    birth_name = models.CharField("nom de naissance", max_length=150, blank=True)
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("date de naissance")
    email = models.EmailField("adresse e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=10, blank=True)
    address = models.CharField("adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        "territory.Commune", models.PROTECT, related_name="people", verbose_name="commune de résidence"
    )
    registered_on = models.DateField("inscrit·e au registre le", default=timezone.localdate)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="créé·e par"
    )
    # Set when the person's data is erased or anonymised (GDPR): kept for statistics only.
    erased_at = models.DateTimeField("effacé·e le", null=True, blank=True)
    # Set when the retention period ended: identity removed, categories kept so past figures stay true.
    anonymised_at = models.DateTimeField("anonymisé·e le", null=True, blank=True)
    # Erasure or restriction asked by the person while the FSE+ archive duty holds: the record leaves every
    # list and page for a restricted archive (coordination only), with its reason; still counted in figures.
    restricted_at = models.DateTimeField("archivé·e (accès restreint) le", null=True, blank=True)
    restriction_reason = models.TextField("motif de la limitation", blank=True)

    name_key = models.CharField(max_length=300, editable=False, db_index=True)
    search_text = models.TextField(editable=False)

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["name_key", "search_text", "updated_at"])

    class Meta:
        verbose_name = "personne"
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["birth_date"], name="people_person_birth_date_idx"),
            models.Index(fields=["phone"], name="people_person_phone_idx"),
            models.Index(fields=["email"], name="people_person_email_idx"),
        ]
        constraints = [
            # No unique e-mail in the database: a user who types the e-mail of someone outside their scope must
            # not learn that it is taken. Duplicates are found by find_likely_duplicates and, outside the
            # user's scope, resolved by an AttachmentRequest (docs/permissions.md, « Doublons »).
        ]

    def __str__(self):
        return self.full_name

    def clean_fields(self, exclude=None):
        # Normalise the phone before max_length (10) is checked: "06 12 34 56 78" is 14 characters.
        # An invalid number is left to clean(), which reports it with its French message.
        exclude = set(exclude or ())
        if self.phone and "phone" not in exclude:
            try:
                self.phone = normalize_french_phone(self.phone)
            except ValidationError:
                exclude.add("phone")
        super().clean_fields(exclude=exclude)

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.birth_date:
            if self.birth_date > today:
                errors["birth_date"] = future_date_message("La date de naissance", today)
            elif self.age_on(today) < MINIMUM_AGE:
                errors["birth_date"] = (
                    f"Date de naissance peu plausible : la personne aurait moins de {MINIMUM_AGE} ans."
                )
            elif self.age_on(today) > MAXIMUM_AGE:
                errors["birth_date"] = (
                    f"Date de naissance peu plausible : la personne aurait plus de {MAXIMUM_AGE} ans."
                )
        if self.phone:
            try:
                self.phone = normalize_french_phone(self.phone)
            except ValidationError as e:
                errors["phone"] = e.messages
        if self.postcode:
            try:
                validate_postcode(self.postcode)
            except ValidationError as e:
                errors["postcode"] = e.messages
            else:
                if self.commune_id and not postcode_matches_commune(self.postcode, self.commune):
                    errors["postcode"] = (
                        f"Le code postal {self.postcode} ne correspond pas à la commune {self.commune.name}."
                    )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        self.refresh_search_fields()
        super().save(*args, **kwargs)

    def refresh_search_fields(self):
        self.name_key = name_key(self.last_name) + "|" + name_key(self.first_name)
        commune_name = self.commune.name if self.commune_id else ""
        self.search_text = " ".join(
            fold(part)
            for part in (
                self.last_name,
                self.first_name,
                self.birth_name,
                commune_name,
                self.email,
                self.postcode,
                self.phone,
            )
            if part
        )

    def get_absolute_url(self):
        return reverse("people:detail", args=[self.public_id])

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name.upper()}"

    @property
    def phone_display(self):
        return format_french_phone(self.phone)

    def age_on(self, day: date) -> int:
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


class SituationFactQuerySet(models.QuerySet):
    def at(self, day: date):
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day), started_on__lte=day)

    def asserted(self):
        """Facts that say "yes" (or carry a value), not a refusal to answer."""
        return self.exclude(value=REFUSED)


class SituationFact(BaseModel):
    """A dated fact about a person's social situation: raw facts are stored, flags are derived."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="facts", verbose_name="personne")
    kind = models.CharField("situation", max_length=30, choices=FactKind.choices)
    value = models.CharField("valeur", max_length=30, default=YES)
    qpv = models.ForeignKey(
        "territory.Qpv", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="quartier (QPV)"
    )
    started_on = models.DateField("depuis le")
    ended_on = models.DateField("jusqu'au", null=True, blank=True)
    source = models.CharField("justificatif ou source", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="saisi par"
    )

    objects = SituationFactQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "fait de situation"
        verbose_name_plural = "faits de situation"
        ordering = ["kind", "-started_on"]
        # Figures filter facts by kind, then person and dates (shares of RSA, QPV, RQTH...).
        indexes = [models.Index(fields=["kind", "person", "started_on"], name="people_fact_kind_person_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="people_situationfact_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.value_label}"

    @property
    def value_label(self):
        if self.value == REFUSED:
            return REFUSED_LABEL
        if self.kind == FactKind.QPV_RESIDENCE and self.qpv_id:
            return self.qpv.name
        choices = VALUED_FACTS.get(self.kind)
        if choices:
            return dict(choices.choices).get(self.value, self.value)
        return "Oui"

    def is_current(self, day: date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(ended_on__isnull=True)


class FollowUp(BaseModel):
    """A structure following a person under a programme (accompagnement)."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="follow_ups", verbose_name="personne")
    organization = models.ForeignKey(
        "structures.Organization", models.PROTECT, related_name="follow_ups", verbose_name="structure de suivi"
    )
    programme = models.CharField("dispositif", max_length=20, choices=Programme.choices)
    referent = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="follow_ups", verbose_name="référent·e"
    )
    prescriber = models.ForeignKey(
        "structures.Organization",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="prescribed_follow_ups",
        verbose_name="prescripteur",
    )
    started_on = models.DateField("début du suivi", default=timezone.localdate)
    ended_on = models.DateField("fin du suivi", null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "suivi"
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="people_followup_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["person", "organization", "programme"],
                condition=Q(ended_on__isnull=True),
                name="people_followup_one_open_per_org_programme",
            ),
        ]

    def __str__(self):
        return f"{self.get_programme_display()} – {self.organization}"


class PersonAccess(models.Model):
    """Every read or export of a person's record (GDPR accountability), beside the change history."""

    class Action(models.TextChoices):
        VIEW = "view", "Consultation de la fiche"
        HISTORY = "history", "Consultation de l'historique"
        EXPORT = "export", "Export des données"
        LIST = "list", "Nom affiché dans une liste, un bilan ou un fichier"

    person = models.ForeignKey(Person, models.CASCADE, related_name="accesses", verbose_name="personne")
    user = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name="utilisateur")
    action = models.CharField("action", max_length=20, choices=Action.choices)
    at = models.DateTimeField("le", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "consultation d'une fiche"
        verbose_name_plural = "consultations des fiches"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} – {self.get_action_display()} – {self.at:%d/%m/%Y %H:%M}"


class AttachmentRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=AttachmentRequest.Status.PENDING)

    def visible_to(self, user):
        """Requests about people the user sees; deciding them is perms.can_decide_attachment's rule.

        The requester never sees their own request through this door unless they already see its target:
        a request must not confirm that the person it is about exists."""
        return self.filter(target__in=Person.objects.visible_to(user))


class AttachmentRequest(BaseModel):
    """A « demande de rattachement »: a user registered someone who looks like a person outside their scope.

    The requester learns nothing of it (same screens whether or not a match exists); the structures that
    follow the target person and the coordination decide: accepted, the requesting structure follows the
    target person; refused, nothing changes. Audited (django-simple-history)."""

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        ACCEPTED = "accepted", "Acceptée"
        REFUSED = "refused", "Refusée"

    requested_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name="demandé par"
    )
    organization = models.ForeignKey(
        "structures.Organization", models.PROTECT, null=True, related_name="+", verbose_name="structure demandeuse"
    )
    programme = models.CharField("dispositif", max_length=20, choices=Programme.choices, blank=True)
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="attachment_requests_made", verbose_name="fiche saisie par le demandeur"
    )
    target = models.ForeignKey(
        Person,
        models.CASCADE,
        related_name="attachment_requests",
        verbose_name="fiche existante (cachée au demandeur)",
    )
    reasons = models.CharField("ressemblance", max_length=255)
    status = models.CharField("statut", max_length=10, choices=Status.choices, default=Status.PENDING)
    decision_reason = models.TextField("motif de la décision", blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="décidé par"
    )
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)

    objects = AttachmentRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "demande de rattachement"
        verbose_name_plural = "demandes de rattachement"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "target"],
                condition=Q(status="pending"),
                name="people_attachmentrequest_one_pending_per_pair",
            ),
        ]

    def __str__(self):
        return f"Demande de rattachement du {self.created_at:%d/%m/%Y}"
