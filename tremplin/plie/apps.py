from django.apps import AppConfig


class PlieConfig(AppConfig):
    name = "tremplin.plie"
    verbose_name = "PLIE"

    def ready(self):
        # The GDPR export and the anonymisation learn what this module holds about a person.
        from tremplin.plie import (
            gdpr,  # noqa: F401
            registry,  # noqa: F401  (registers the module)
        )
