"""Who may write what an import holds, and the one check every import calls before it writes.

National data (the ASCOF file, values for England, measures no region owns) is loaded by admins only. A
regional SLI lead writes local measures and values only for their own region: its councils, the region
itself, and measures that region owns (new local measures they define become their region's).

- ``scorecard.import_national_data`` (admins): the ASCOF file, values for England.
- ``scorecard.write_area_data`` (admins, the SLI lead of the council's region): values for a council or
  a region.
- ``scorecard.write_measure`` (admins, the SLI lead of the owning region): values for a local measure,
  or redefining it. A local measure a lead defines belongs to the lead's region.

:func:`import_scope_check` applies them to every parsed import before anything is written. ``user=None``
means a trusted operator at the command line (``manage.py import_ascof``): no check. Refusals are import
problems, so the preview shows them and nothing is written.
"""

from collections.abc import Iterable
from typing import Any

import rules

from councils.models import Council, Region
from councils.rules import is_admin, is_sli_lead_of, led_regions
from scorecard.areas import ENGLAND_CODE
from scorecard.models import Framework, ImportRecord, Measure


@rules.predicate
def is_sli_lead_of_owner(user, measure) -> bool:  # type: ignore[no-untyped-def]
    """SLI lead of the region that owns ``measure`` (a local measure with an owning region)."""
    owner_id = getattr(measure, "owner_region_id", None)
    return owner_id is not None and owner_id in led_regions(user)


# Load the national ASCOF file (values for all 153 councils, regions and England).
rules.add_perm("scorecard.import_national_data", is_admin)
# Write figures for a council or a region (obj: a Council or a Region).
rules.add_perm("scorecard.write_area_data", is_admin | is_sli_lead_of)
# Write figures for, or redefine, a measure (obj: a Measure).
rules.add_perm("scorecard.write_measure", is_admin | is_sli_lead_of_owner)

LISTED = 5


def _listed(items: Iterable[str]) -> str:
    items = sorted(items)
    more = len(items) - LISTED
    return ", ".join(items[:LISTED]) + (f" and {more} more" if more > 0 else "")


def import_scope_check(
    *,
    user: Any,
    kind: str,
    problems: Any,
    areas: Iterable[str] = (),
    measure_codes: Iterable[str] = (),
    new_measures: dict[str, dict[str, Any]] | None = None,
    only_region: Region | None = None,
) -> bool:
    """Add a problem for everything in the import ``user`` may not write; True when all is allowed.

    ``only_region``: an ASCOF file loaded for that region alone (its councils and the region): allowed to
    whoever may write the region's figures, its SLI lead.

    ``areas``: GSS codes of the councils, regions or England the rows give figures for.
    ``measure_codes``: local measure codes the rows give values for. ``new_measures``: local measures the
    file defines (code → fields); for a regional lead each is given ``owner_region`` (their region).
    """
    if user is None:
        return True
    if kind == ImportRecord.Kind.ASCOF:
        if user.has_perm("scorecard.import_national_data"):
            return True
        if only_region is not None and user.has_perm("scorecard.write_area_data", only_region):
            return True
        problems.add(
            "you can load the ASCOF file only for your own region's councils: choose that on the upload "
            "page (England's and the other regions' figures are loaded by an administrator)"
        )
        return False
    if user.has_perm("scorecard.import_national_data"):
        return True  # admins write for any area and measure
    before = problems.count
    codes = {code.upper() for code in areas}
    if ENGLAND_CODE in codes:
        problems.add(f"only an administrator can load figures for England ({ENGLAND_CODE})")
    councils = Council.objects.select_related("region").in_bulk(list(codes), field_name="gss_code")
    regions = Region.objects.in_bulk(list(codes), field_name="gss_code")
    areas_named: list[tuple[str, Council | Region]] = [*councils.items(), *regions.items()]
    refused = sorted(
        f"{code} {area.name}"
        for code, area in areas_named
        if not user.has_perm("scorecard.write_area_data", area)
    )
    mine = led_regions(user)
    names = ", ".join(sorted(Region.objects.filter(pk__in=mine).values_list("name", flat=True))) or "none"
    if refused:
        problems.add(
            f"you can load figures only for your own region ({names}); this file has figures for "
            f"{_listed(refused)}"
        )
    new_measures = new_measures or {}
    existing = {
        measure.code.upper(): measure
        for measure in Measure.objects.filter(framework=Framework.LOCAL).select_related("owner_region")
    }
    codes_used = {code.upper() for code in measure_codes} | set(new_measures)
    not_ours = sorted(
        f"{code} ({getattr(existing[code].owner_region, 'name', 'no region')})"
        for code in codes_used
        if code in existing and not user.has_perm("scorecard.write_measure", existing[code])
    )
    if not_ours:
        problems.add(
            "you can write only your own region's local measures; these belong to another region or "
            f"to none: {_listed(not_ours)}"
        )
    fresh = [code for code in new_measures if code not in existing]
    if fresh:
        if len(mine) == 1:
            owner = Region.objects.get(pk=next(iter(mine)))
            for code in fresh:
                new_measures[code]["owner_region"] = owner
        else:
            problems.add(
                "new local measures belong to the region of the SLI lead who defines them; you lead "
                f"{len(mine)} regions, so ask an administrator to define {_listed(fresh)}"
            )
    return problems.count == before
