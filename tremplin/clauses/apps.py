from django.apps import AppConfig


class ClausesConfig(AppConfig):
    name = "tremplin.clauses"
    verbose_name = "clauses d'insertion"

    def ready(self):
        from tremplin.clauses import registry  # noqa: F401  (registers the module)
