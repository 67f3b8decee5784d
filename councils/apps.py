from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = "Councils and people"
    # What the kept reads and pages depend on (core/cache.py). Councils, regions and comparator groups
    # change figures (ranks in a region, neighbours' medians); every other model (users, roles) changes who
    # may see what. API tokens are stamped on every use and no page shows them.
    figure_models = ("Council", "Region", "NearestNeighbour")
    unkept_models = ("ApiToken",)
    # Rows no migration creates: a restore (core/backup.py) refuses a database holding any.
    user_data_models = ("User", "Membership")

    def ready(self) -> None:
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        from core.cache import watch_app
        from councils.services import sign_in_times_update

        watch_app(self)
        # The home page says what changed since the last visit: keep the sign-in before this one too.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(sign_in_times_update, dispatch_uid="sign-in-times")
