from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tremplin.core"
    verbose_name = "socle"

    def ready(self):
        # The login signal that stamps a session's first activity (tremplin.core.middleware).
        from tremplin.core import middleware  # noqa: F401
