"""The release: what cached pages and cached reads are keyed by besides the data, so that a deploy never
serves a page rendered by the previous code, nor unpickles a cached read whose shape that code defined."""

import functools
import hashlib
import os
from pathlib import Path

# The code, templates and front-end sources that shape a cached page or a cached read (a kept page links the
# compiled, hashed CSS and JavaScript of its release).
SOURCES = (
    "core",
    "config",
    "councils",
    "scorecard",
    "selfassessment",
    "peerchallenge",
    "templates",
    "static/src",
)
SUFFIXES = (".py", ".html", ".txt", ".js", ".scss")
FILES = ("package-lock.json",)  # govuk-frontend's version


def source_fingerprint(base: Path) -> str:
    """A short hash of the project's own source files (paths and contents), the same on every server of a
    deploy. About 400 files: a few milliseconds, once per process."""
    digest = hashlib.sha256()
    for folder in SOURCES:
        for root, dirs, files in os.walk(base / folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(SUFFIXES):
                    path = Path(root) / name
                    digest.update(str(path.relative_to(base)).encode())
                    digest.update(b"\0")
                    digest.update(path.read_bytes())
    for name in FILES:
        path = base / name
        if path.exists():
            digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


@functools.cache
def _fingerprint(base: Path) -> str:
    return source_fingerprint(base)


def current_release() -> str:
    """``settings.RELEASE`` if the deploy names it, else the hash of the source, computed once per process on
    first use: a command that caches nothing (an import, a migration) never reads the ~400 files."""
    from django.conf import settings

    return settings.RELEASE or _fingerprint(settings.BASE_DIR)
