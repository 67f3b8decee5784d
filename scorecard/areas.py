"""Areas a value is published for, kept in step with councils and regions.

Area keys: the ONS code for councils, regions and England (E92000001); ``type:<slug>`` for council
types, which the published files name but give no code (e.g. "Metropolitan Districts").
"""

from django.utils.text import slugify

from councils.models import Council, Region
from scorecard.models import Area

ENGLAND_CODE = "E92000001"

# Council-type names as published (singular or plural) → our council type, where one matches.
COUNCIL_TYPE_NAMES = {
    "metropolitan-district": Council.CouncilType.METROPOLITAN_DISTRICT,
    "unitary-authority": Council.CouncilType.UNITARY,
    "shire-county": Council.CouncilType.COUNTY,
    "county": Council.CouncilType.COUNTY,
    "london-borough": Council.CouncilType.LONDON_BOROUGH,
    "inner-london": Council.CouncilType.INNER_LONDON,
    "outer-london": Council.CouncilType.OUTER_LONDON,
}


def council_type_key(name: str) -> str:
    """A stable key for a published council-type name: singular and plural spellings agree."""
    slug = slugify(name)
    for plural, singular in (
        ("counties", "county"),
        ("authorities", "authority"),
        ("districts", "district"),
        ("boroughs", "borough"),
    ):
        if slug.endswith(plural):
            slug = slug[: -len(plural)] + singular
    return f"type:{slug}"


def area_for_council(*, council: Council) -> Area:
    area, _ = Area.objects.get_or_create(
        key=council.gss_code, defaults={"kind": Area.Kind.COUNCIL, "name": council.name, "council": council}
    )
    return area


def area_for_region(*, region: Region) -> Area:
    area, _ = Area.objects.get_or_create(
        key=region.gss_code, defaults={"kind": Area.Kind.REGION, "name": region.name, "region": region}
    )
    return area


def area_for_england() -> Area:
    area, _ = Area.objects.get_or_create(
        key=ENGLAND_CODE, defaults={"kind": Area.Kind.ENGLAND, "name": "England"}
    )
    return area


def area_for_council_type(*, name: str) -> Area:
    key = council_type_key(name)
    area, _ = Area.objects.get_or_create(
        key=key,
        defaults={
            "kind": Area.Kind.COUNCIL_TYPE,
            "name": name.strip(),
            "council_type": COUNCIL_TYPE_NAMES.get(key.removeprefix("type:"), ""),
        },
    )
    return area
