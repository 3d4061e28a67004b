from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "tremplin.funding"
    verbose_name = "programmation et financements"

    def ready(self):
        from tremplin.funding import registry  # noqa: F401  (registers the module)
