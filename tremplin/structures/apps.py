from django.apps import AppConfig


class StructuresConfig(AppConfig):
    name = "tremplin.structures"
    verbose_name = "structures"
