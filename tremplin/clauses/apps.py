from django.apps import AppConfig


class ClausesConfig(AppConfig):
    name = "tremplin.clauses"
    verbose_name = "clauses d'insertion"

    def ready(self):
        # The GDPR export and the anonymisation learn what this module holds about a person.
        from tremplin.clauses import (
            gdpr,  # noqa: F401
            registry,  # noqa: F401  (registers the module)
        )
