from django.apps import AppConfig


class ClausesConfig(AppConfig):
    name = "tremplin.clauses"
    verbose_name = "clauses d'insertion"
