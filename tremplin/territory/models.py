from django.db import models

from tremplin.core.text import fold


class CommuneQuerySet(models.QuerySet):
    def metropole(self):
        return self.filter(is_metropole=True)

    def search(self, query):
        return self.filter(search_name__contains=fold(query))


class Commune(models.Model):
    """A commune from INSEE's official geographic code (reference data, shipped with the app)."""

    insee_code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=100)
    search_name = models.CharField(max_length=100, editable=False, db_index=True)
    department = models.CharField("département", max_length=3)
    is_metropole = models.BooleanField("commune de Dijon Métropole", default=False)
    # Main postcode when known (the INSEE reference has none): used to check addresses.
    postcode = models.CharField("code postal principal", max_length=5, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.insee_code})"

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)


class Qpv(models.Model):
    """Quartier prioritaire de la politique de la ville: versioned, editable reference data."""

    name = models.CharField("nom", max_length=150)
    code = models.CharField("code QPV", max_length=12, blank=True, help_text="Code national, par ex. QN02101M.")
    commune = models.ForeignKey(Commune, models.PROTECT, related_name="qpvs", verbose_name="commune")
    valid_from = models.DateField("en vigueur depuis", null=True, blank=True)
    valid_until = models.DateField("en vigueur jusqu'au", null=True, blank=True)

    class Meta:
        verbose_name = "quartier prioritaire (QPV)"
        verbose_name_plural = "quartiers prioritaires (QPV)"
        ordering = ["commune__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="territory_qpv_unique_name_per_commune"),
        ]

    def __str__(self):
        return f"{self.name} ({self.commune.name})"


class RomeCode(models.Model):
    """France Travail's ROME job codes (reference data)."""

    code = models.CharField("code ROME", max_length=5, unique=True)
    label = models.CharField("libellé", max_length=200)

    class Meta:
        verbose_name = "code ROME"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.label}"
