import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from tremplin.core.models import BaseModel


class JobStatus(models.TextChoices):
    QUEUED = "queued", "en attente"
    RUNNING = "running", "en cours"
    SUCCEEDED = "succeeded", "terminé"
    FAILED = "failed", "échec"


class BackgroundJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A job is its requester's: it may hold what only they may see."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class BackgroundJob(BaseModel):
    """Long work requested from a page (a large export), run by the task worker (django-tasks), with its
    progress, its result file and, when it fails, the reason in French. See tremplin/ops/jobs.py."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="demandé par", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("type", max_length=100)
    label = models.CharField("intitulé", max_length=200)
    params = models.JSONField("paramètres", default=dict, blank=True)
    status = models.CharField("état", max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    progress_label = models.CharField("étape en cours", max_length=200, blank=True)
    error = models.TextField("cause de l'échec", blank=True)
    task_id = models.CharField("identifiant de la tâche", max_length=64, blank=True)
    file = models.FileField("résultat", upload_to="jobs/%Y/%m/", blank=True)
    filename = models.CharField("nom du fichier", max_length=200, blank=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    objects = BackgroundJobQuerySet.as_manager()

    class Meta:
        verbose_name = "tâche de fond"
        verbose_name_plural = "tâches de fond"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.label} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("ops:job_detail", args=[self.public_id])

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
