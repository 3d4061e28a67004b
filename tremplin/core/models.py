from django.db import models


class BaseModel(models.Model):
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True


def save_audited(instance, by, **kwargs):
    """Validate and save a model instance, stamping its history row with the acting user."""
    instance.full_clean()
    instance._history_user = by
    instance.save(**kwargs)
    return instance
