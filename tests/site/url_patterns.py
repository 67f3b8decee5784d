"""Every named URL pattern the resolver knows: what the permission matrix and the fuzz tests walk."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

BIRMINGHAM = "E08000025"
WEST_MIDLANDS = "E12000005"


def url_pattern_names() -> dict[str, str]:
    """Every named URL pattern (namespace:name → route); the admin site counts as one ("admin:*")."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str) -> None:  # type: ignore[no-untyped-def]
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    found["admin:*"] = prefix + str(pattern.pattern)
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = (
                    f"{namespace}{pattern.name}" if pattern.name else f"(unnamed) {prefix}{pattern.pattern}"
                )
                found[name] = prefix + str(pattern.pattern)

    walk(get_resolver().url_patterns, "/", "")
    return found


# The pages the fuzz tests request, and a valid sample for each pattern argument (the objects the ``data``
# fixture of tests/site/conftest.py makes), which the fuzz tests then replace with hostile values one by one.
SKIP = {
    "admin:*",
    "logout",
    "scorecard:import-confirm",
    "scorecard:import-check-again",
}  # POST-only, or admin
ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")


def pages() -> list[tuple[str, str]]:
    return [(name, route) for name, route in sorted(url_pattern_names().items()) if name not in SKIP]


def sample_arguments(route: str, data: dict) -> dict[str, str]:
    """A valid value for each argument of ``route``: summits and imports both have a ``pk``, councils and
    regions both a ``gss_code``."""
    return {
        "gss_code": WEST_MIDLANDS if route.startswith("/regions/") else BIRMINGHAM,
        "key": "local-fuzz",
        "pk": str(data["summit"].pk if route.startswith("/summits/") else data["record"].pk),
        "avoid_pk": str(data["avoid"].pk),
        "build_pk": str(data["pack_build"].pk),
        "slug": data["cycle"].slug,
        # Themes, loggers, recommendations and the work programme.
        "theme_pk": str(data["theme"].pk),
        "user_pk": str(data["user"].pk),
        "rec_pk": str(data["recommendation"].pk),
        "year": str(data["item"].programme.year),
        "item_pk": str(data["item"].pk),
        "fmt": "csv",
        "to": "held",
        # A pack outside a summit, for the cycle's period.
        "period": data["cycle"].period.label,
    }


def fill(route: str, samples: dict[str, str]) -> str:
    return ARGUMENT.sub(lambda m: samples[m.group(1)], route)
