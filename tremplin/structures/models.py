from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from tremplin.core.models import BaseModel
from tremplin.core.text import fold
from tremplin.core.validators import validate_siret
from tremplin.structures.enums import SIRET_REQUIRED, Activity, OrganizationKind, SiaeType


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The directory of structures: open to internal users, closed to external ones."""
        if not user.is_authenticated or user.is_external or not (user.is_superuser or user.roles):
            return self.none()
        return self

    def search(self, query):
        return self.filter(search_text__contains=fold(query)) if query else self


class Organization(BaseModel):
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type de structure", max_length=20, choices=OrganizationKind.choices)
    siae_type = models.CharField("type de SIAE", max_length=4, choices=SiaeType.choices, blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret])
    activity = models.CharField("secteur d'activité", max_length=20, choices=Activity.choices, blank=True)
    address = models.CharField("adresse", max_length=255, blank=True)
    commune = models.ForeignKey(
        "territory.Commune", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="commune"
    )
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    website = models.URLField("site web", blank=True)
    is_active = models.BooleanField("active", default=True)
    search_text = models.CharField(max_length=255, editable=False, db_index=True)

    objects = OrganizationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "structure"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"],
                condition=~Q(siret=""),
                name="structures_organization_siret_unique",
                violation_error_message="Une structure avec ce SIRET existe déjà.",
            ),
            models.CheckConstraint(
                condition=Q(kind="siae") | Q(siae_type=""), name="structures_organization_siae_type_only_for_siae"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.kind == OrganizationKind.SIAE and not self.siae_type:
            errors["siae_type"] = "Indiquez le type de SIAE (EI, ACI, AI, ETTI ou GEIQ)."
        if self.kind != OrganizationKind.SIAE and self.siae_type:
            errors["siae_type"] = (
                "Le type de SIAE ne s'applique qu'aux structures d'insertion par l'activité économique."
            )
        if self.kind in SIRET_REQUIRED and not self.siret:
            errors["siret"] = "Le SIRET est obligatoire pour une entreprise ou une SIAE."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.name} {self.siret}")[:255]
        super().save(*args, **kwargs)

    @property
    def company_kind(self) -> str:
        """The kind used by the clauses reports: EI/AI/ACI, ETTI, GEIQ, or the line of business."""
        if self.kind == OrganizationKind.SIAE:
            return {"EI": "EI/AI/ACI", "AI": "EI/AI/ACI", "ACI": "EI/AI/ACI"}.get(self.siae_type, self.siae_type)
        return self.get_activity_display() if self.activity else "Autre"

    @property
    def kind_label(self):
        label = self.get_kind_display()
        return f"{label} – {self.siae_type}" if self.siae_type else label


class Contact(BaseModel):
    """A person to reach at a structure (not necessarily a user of Tremplin)."""

    organization = models.ForeignKey(Organization, models.CASCADE, related_name="contacts", verbose_name="structure")
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    job_title = models.CharField("fonction", max_length=150, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "contact"
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"
