from typing import Any

from django.core.paginator import Paginator

MAX_PER_PAGE = 500


class BoundedPaginator(Paginator):
    """A paginator that keeps a user-supplied ``?per_page=`` between 1 and 500 instead of failing."""

    def __init__(self, object_list: Any, per_page: Any, *args: Any, **kwargs: Any) -> None:
        try:
            per_page = int(per_page)
        except (TypeError, ValueError):
            per_page = 50
        super().__init__(object_list, min(max(per_page, 1), MAX_PER_PAGE), *args, **kwargs)
