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


def area_new_for_council(*, council: Council) -> Area:
    """The area of a council, not yet saved: the fields every way of creating one gives it."""
    return Area(key=council.gss_code, kind=Area.Kind.COUNCIL, name=council.name, council=council)


def area_new_for_region(*, region: Region) -> Area:
    return Area(key=region.gss_code, kind=Area.Kind.REGION, name=region.name, region=region)


def area_new_for_england() -> Area:
    return Area(key=ENGLAND_CODE, kind=Area.Kind.ENGLAND, name="England")


def area_new_for_council_type(*, name: str) -> Area:
    key = council_type_key(name)
    return Area(
        key=key,
        kind=Area.Kind.COUNCIL_TYPE,
        name=name.strip(),
        council_type=COUNCIL_TYPE_NAMES.get(key.removeprefix("type:"), ""),
    )


def _area_get_or_create(new: Area) -> Area:
    fields = ("kind", "name", "council", "region", "council_type")
    area, _ = Area.objects.get_or_create(key=new.key, defaults={name: getattr(new, name) for name in fields})
    return area


def area_for_council(*, council: Council) -> Area:
    return _area_get_or_create(area_new_for_council(council=council))


def area_for_region(*, region: Region) -> Area:
    return _area_get_or_create(area_new_for_region(region=region))


def area_for_england() -> Area:
    return _area_get_or_create(area_new_for_england())


def area_for_council_type(*, name: str) -> Area:
    return _area_get_or_create(area_new_for_council_type(name=name))


def area_ids_by_code(*, codes: set[str]) -> dict[str, int]:
    """The area of each GSS code (England, a region or a council), made where it does not exist yet."""
    ids: dict[str, int] = {}
    councils = Council.objects.in_bulk(list(codes), field_name="gss_code")
    regions = Region.objects.in_bulk(list(codes), field_name="gss_code")
    for code in codes:
        if code == ENGLAND_CODE:
            ids[code] = area_for_england().pk
        elif code in regions:
            ids[code] = area_for_region(region=regions[code]).pk
        else:
            ids[code] = area_for_council(council=councils[code]).pk
    return ids
