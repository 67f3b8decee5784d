"""The small JSON API the plenary page saves through (and anyone may script against with the same rights).

- ``GET /api/summits/``: summits the user may see (``id``, ``name``, ``date``, ``state``). Read-only, so it
  uses the project's :func:`scorecard.api.views.api_view` (session or API token).
- ``GET /api/summits/<id>/themes/``: the themes the user may read, by reach.
- ``POST /api/summits/<id>/themes/`` with ``{"title", "description", "note", "domains": [slugs],
  "councils": [GSS codes], "measures": [keys], "sessions": [group numbers], "client_id"}``: 201 with the new
  theme; 200 with the theme already saved when ``client_id`` was seen before (a retried save is never a
  duplicate); 400 ``{"detail", "errors": {field: [messages]}}`` when it is not valid.

POST needs a signed-in session and the CSRF token (``X-CSRFToken`` header): an API token only reads.
Errors are ``{"detail": ...}``; core.middleware.ApiJsonErrorsMiddleware turns CSRF failures into JSON too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from peerchallenge.models import Summit
from peerchallenge.themes import selectors, services
from scorecard.api.views import api_authenticate, api_error, api_view

WRITE_METHODS = ("GET", "HEAD", "POST", "OPTIONS")
MAX_BODY = 100_000


def api_write_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Like ``api_view``, but POST is allowed (session only, CSRF enforced by the middleware)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = api_authenticate(
            request,
            methods=WRITE_METHODS,
            not_allowed="Method {method} is not allowed here.",
            refuse_key_writes="An API token only reads: sign in to save themes.",
        )
        if refused is not None:
            return refused
        return view(request, *args, **kwargs)

    return wrapper


def _summit_json(summit: Summit) -> dict[str, Any]:
    return {"id": summit.pk, "name": summit.name, "date": summit.date.isoformat(), "state": summit.state}


@api_view
def summit_list(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"summits": [_summit_json(s) for s in selectors.visible_summits(user=request.user)]})


@api_write_view
def summit_themes(request: HttpRequest, pk: int) -> HttpResponse:
    summit = Summit.objects.select_related("region").filter(pk=pk).first()
    if summit is None or not request.user.has_perm("peerchallenge.view_themes", summit):
        return api_error(404, "No such summit.")
    if request.method == "POST":
        return _create(request, summit)
    published_only = not request.user.has_perm("peerchallenge.view_all_themes", summit)
    themes = selectors.themes_for_summit(summit=summit, published_only=published_only)
    return JsonResponse({"summit": _summit_json(summit), "themes": [selectors.theme_json(t) for t in themes]})


def _create(request: HttpRequest, summit: Summit) -> HttpResponse:
    if not request.user.has_perm("peerchallenge.log_themes", summit):
        return api_error(403, "You may not log themes at this summit.")
    if len(request.body) > MAX_BODY:
        return api_error(400, "The theme is too long.")
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return api_error(400, "Send the theme as a JSON object.")
    if not isinstance(body, dict):
        return api_error(400, "Send the theme as a JSON object.")
    client_id = body.get("client_id", "")
    if not isinstance(client_id, str) or len(client_id) > 64 or "\x00" in client_id:
        return JsonResponse(
            {"detail": "The theme is not valid.", "errors": {"client_id": ["Up to 64 characters of text."]}},
            status=400,
        )
    if client_id.strip():
        existing = summit.themes.filter(client_id=client_id.strip()).first()
        if existing is not None:
            return JsonResponse(selectors.theme_json(existing), status=200)
    data, errors = services.theme_input_from_keys(
        summit=summit,
        title=body.get("title"),
        description=body.get("description", ""),
        note=body.get("note", ""),
        domains=body.get("domains", []),
        councils=body.get("councils", []),
        measures=body.get("measures", []),
        sessions=body.get("sessions", []),
    )
    if data is None:
        return JsonResponse({"detail": "The theme is not valid.", "errors": errors}, status=400)
    saved = services.theme_create(summit=summit, data=data, by=request.user, client_id=client_id)
    return JsonResponse(selectors.theme_json(saved.theme), status=201 if saved.created else 200)
