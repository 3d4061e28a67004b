from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from tremplin.accounts.enums import (
    AGGREGATES_ONLY,
    EDITS_PEOPLE,
    EXTERNAL,
    MANAGES_STRUCTURES,
    SEES_ALL_PEOPLE,
    SEES_SENSITIVE_FACTS,
    TWO_FACTOR_REQUIRED,
    Role,
)
from tremplin.core.models import BaseModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        # E-mails are stored in lower case (User.save): logging in ignores the case typed.
        return self.get(**{self.model.USERNAME_FIELD: username.lower()})

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in; what they see follows from their memberships of structures."""

    email = models.EmailField("adresse e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    is_staff = models.BooleanField("accès à l'administration technique", default=False)
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("créé le", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name

    def clean(self):
        super().clean()
        # As save() does, so that validate_unique() sees "Alice@…" as a duplicate of "alice@…".
        self.email = self.email.lower()

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)

    @cached_property
    def active_memberships(self):
        return list(self.memberships.active().select_related("organization"))

    @cached_property
    def roles(self) -> set[str]:
        return {m.role for m in self.active_memberships}

    @property
    def primary_membership(self):
        return self.active_memberships[0] if self.active_memberships else None

    @property
    def primary_role(self):
        membership = self.primary_membership
        return membership.role if membership else None

    def organization_ids(self, *roles) -> list[int]:
        return [m.organization_id for m in self.active_memberships if not roles or m.role in roles]

    # Capabilities: the one place each one is decided (see docs/permissions.md).
    @property
    def sees_all_people(self) -> bool:
        return self.is_superuser or bool(self.roles & SEES_ALL_PEOPLE)

    @property
    def can_edit_people(self) -> bool:
        return self.is_superuser or bool(self.roles & EDITS_PEOPLE)

    @property
    def refers_people(self) -> bool:
        """Prescribers register people only by orienting them (PLIE, clauses), then follow the status."""
        return not self.can_edit_people and "prescriber" in self.roles

    @property
    def is_external(self) -> bool:
        return not self.is_superuser and bool(self.roles) and self.roles <= EXTERNAL

    @property
    def sees_records(self) -> bool:
        """False for users who may only read aggregates (funders, buyers, companies, or no role)."""
        return not self.is_external and (self.is_superuser or bool(self.roles))

    @property
    def sees_aggregates(self) -> bool:
        return self.sees_records or bool(self.roles & AGGREGATES_ONLY)

    @property
    def can_manage_structures(self) -> bool:
        return self.is_superuser or bool(self.roles & MANAGES_STRUCTURES)

    @property
    def sees_sensitive_facts(self) -> bool:
        return self.is_superuser or bool(self.roles & SEES_SENSITIVE_FACTS)

    @property
    def requires_two_factor(self) -> bool:
        """Coordination, assistance, direction, the admin: a code from an authenticator app after the password."""
        return self.is_superuser or self.is_staff or bool(self.roles & TWO_FACTOR_REQUIRED)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        today = timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today), user__is_active=True)


class Membership(BaseModel):
    user = models.ForeignKey(User, models.CASCADE, related_name="memberships", verbose_name="utilisateur")
    organization = models.ForeignKey(
        "structures.Organization", models.PROTECT, related_name="memberships", verbose_name="structure"
    )
    role = models.CharField("rôle", max_length=30, choices=Role.choices)
    job_title = models.CharField("fonction", max_length=150, blank=True)
    started_on = models.DateField("depuis le", default=timezone.localdate)
    ended_on = models.DateField("jusqu'au", null=True, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "appartenance à une structure"
        verbose_name_plural = "appartenances à une structure"
        ordering = ["organization__name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=Q(ended_on__isnull=True),
                name="accounts_membership_one_open_per_user_org_role",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} ({self.organization})"
