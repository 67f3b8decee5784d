from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ScorecardConfig(AppConfig):
    verbose_name = "Scorecard and performance data"
    name = "scorecard"

    def ready(self) -> None:
        from councils.models import Council, Region
        from scorecard.cache import bump_on_change
        from scorecard.models import Area, Domain, Measure, Period, Value

        # What the cached period reads depend on (see scorecard/cache.py). Values: single saves only;
        # the set-based writes (imports, demo data, restore) bump the data version themselves.
        for model in (Council, Region, Area, Domain, Measure, Period):
            post_save.connect(
                bump_on_change, sender=model, dispatch_uid=f"data-version-save-{model.__name__}"
            )
            post_delete.connect(
                bump_on_change, sender=model, dispatch_uid=f"data-version-del-{model.__name__}"
            )
        post_save.connect(bump_on_change, sender=Value, dispatch_uid="data-version-save-Value")
