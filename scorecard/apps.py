from django.apps import AppConfig


class ScorecardConfig(AppConfig):
    verbose_name = "Scorecard and performance data"
    name = "scorecard"
    # What the kept reads and pages depend on (core/cache.py). Values, measures, periods, domains and areas
    # change figures; values are deleted only in bulk (imports, demo data, the admin), followed by
    # core.cache.rows_written. Import records are progress rows no kept page shows. Self-assessments change
    # which self-ratings a page shows and who may read them.
    figure_models = ("Area", "Domain", "Measure", "Period", "Value")
    bulk_deleted_models = ("Value",)
    unkept_models = ("ImportRecord", "ImportMapping")
    # Rows no migration creates: a restore (core/backup.py) refuses a database holding any.
    user_data_models = ("Value", "ImportRecord", "CqcAssessment")

    def ready(self) -> None:
        from core.cache import watch_app

        watch_app(self)
