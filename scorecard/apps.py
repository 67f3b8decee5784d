from django.apps import AppConfig


class ScorecardConfig(AppConfig):
    verbose_name = "Scorecard and performance data"
    name = "scorecard"
