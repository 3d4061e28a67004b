from django.apps import AppConfig


class MobilityConfig(AppConfig):
    name = "tremplin.mobility"
    verbose_name = "plateforme mobilité"

    def ready(self):
        from tremplin.mobility import registry  # noqa: F401  (registers the module)
