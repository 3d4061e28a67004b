from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "tremplin.companies"
    verbose_name = "entreprises, offres et événements"

    def ready(self):
        from tremplin.companies import registry  # noqa: F401  (registers the module)
