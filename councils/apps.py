from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = "Councils and people"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from config.middleware import stamp_activity_on_sign_in

        # Issue 16: the idle-timeout clock starts at sign-in.
        user_logged_in.connect(stamp_activity_on_sign_in, dispatch_uid="idle-timeout-stamp")
