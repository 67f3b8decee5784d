from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Machinery every app uses (caches, exports, middleware, backup); below every app, it imports none."""

    name = "core"
    verbose_name = "Shared machinery"

    def ready(self) -> None:
        from django.contrib.auth.models import Group, Permission
        from django.contrib.auth.signals import user_logged_in
        from django.core.signals import request_started

        from core.cache import forget_version, watch
        from core.middleware import stamp_activity_on_sign_in

        # Every request reads the cache's versions afresh.
        request_started.connect(forget_version, dispatch_uid="core-versions-per-request")
        # The idle-timeout clock starts at sign-in.
        user_logged_in.connect(stamp_activity_on_sign_in, dispatch_uid="idle-timeout-stamp")
        # Groups and permissions decide what a user may do: the kept pages (core.pagecache).
        watch([Group, Permission])
