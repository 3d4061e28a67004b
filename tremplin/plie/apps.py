from django.apps import AppConfig


class PlieConfig(AppConfig):
    name = "tremplin.plie"
    verbose_name = "PLIE"
