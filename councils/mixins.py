"""View mixins shared by every app's pages about one council or one region."""

from django.shortcuts import get_object_or_404

from councils.models import Council, Region


class CouncilFromURLMixin:
    """The council named by the URL's ``gss_code``, fetched once; it is also the permission object."""

    kwargs: dict

    def get_permission_object(self) -> Council:
        if not hasattr(self, "council"):
            self.council = get_object_or_404(
                Council.objects.select_related("region"), gss_code=self.kwargs["gss_code"]
            )
        return self.council


class RegionFromURLMixin:
    """The region named by the URL's ``gss_code``, fetched once; it is also the permission object."""

    kwargs: dict

    def get_permission_object(self) -> Region:
        if not hasattr(self, "region"):
            self.region = get_object_or_404(Region, gss_code=self.kwargs["gss_code"])
        return self.region
