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

        # What decides who may see a page and what it shows them (roles, users, groups, self-assessments):
        # the page version of the viewer-keyed page cache (scorecard/pagecache.py). Peer challenge's models
        # are wired from its own AppConfig.
        from django.apps import apps
        from django.contrib.auth.models import Group, Permission

        from councils.signals import rows_written
        from scorecard.cache import bump_on_rows_written, connect_page_models, page_models

        rows_written.connect(bump_on_rows_written, dispatch_uid="scorecard-rows-written")

        connect_page_models(
            page_models(apps.get_app_config("councils")) + page_models(self) + [Group, Permission]
        )
