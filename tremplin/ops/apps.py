from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the application: health endpoint, background jobs. Imports no domain app: domain apps
    register their job kinds here (`tremplin.ops.jobs.register`)."""

    name = "tremplin.ops"
    verbose_name = "exploitation"

    def ready(self):
        from tremplin.ops import registry  # noqa: F401  (registers the module's access test)
