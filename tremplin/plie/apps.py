from django.apps import AppConfig


class PlieConfig(AppConfig):
    name = "tremplin.plie"
    verbose_name = "PLIE"

    def ready(self):
        from tremplin.plie import registry  # noqa: F401  (registers the module)
