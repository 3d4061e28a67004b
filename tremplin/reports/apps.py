from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ReportsConfig(AppConfig):
    name = "tremplin.reports"
    verbose_name = "rapports et indicateurs"

    def ready(self):
        # Each domain app registers its figures in its own `indicators.py`.
        autodiscover_modules("indicators")
        from tremplin.reports import cache

        cache.connect()
        from tremplin.reports import jobs  # noqa: F401  (registers the figures export as a background job)
