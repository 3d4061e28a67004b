from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from tremplin.core.models import BaseModel


class Narrative(BaseModel):
    """The free text of one section of one year's activity report (what the figures do not say: context,
    actions, testimonials with initials only), written by the coordination or the direction."""

    year = models.PositiveSmallIntegerField("année")
    section = models.SlugField("section du rapport", max_length=200)
    text = models.TextField("texte", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="rédigé par"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "texte du rapport d'activité"
        verbose_name_plural = "textes du rapport d'activité"
        constraints = [models.UniqueConstraint(fields=["year", "section"], name="reports_narrative_one_per_section")]

    def __str__(self):
        return f"{self.year} – {self.section}"
