from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = "Councils and people"

    def ready(self) -> None:
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        from config.middleware import stamp_activity_on_sign_in
        from councils.services import sign_in_times_update

        # Issue 16: the idle-timeout clock starts at sign-in.
        user_logged_in.connect(stamp_activity_on_sign_in, dispatch_uid="idle-timeout-stamp")
        # The home page says what changed since the last visit: keep the sign-in before this one too.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(sign_in_times_update, dispatch_uid="sign-in-times")
