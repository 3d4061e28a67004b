from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "tremplin.funding"
    verbose_name = "programmation et financements"
