"""Saved answers to "which column is which" for a file layout, and the layouts the project ships.

A mapping's ``spec`` is a small JSON object (the same keys as ``manage.py import_mapped``'s options):

- ``area``: the column naming the council (GSS code, CASSR code or council name);
- ``value``: the value column, or ``wide: true`` (every other column whose header is a period holds that
  period's values);
- ``period_column`` or ``period``: the column holding each row's period, or one fixed period label;
- ``measure_column`` or ``measure``: the column of publisher codes, or one fixed catalogue measure key;
- ``median_column`` (optional): a published median of the councils' values, kept as a published comparator;
- ``numerator_column``, ``denominator_column`` (optional): each figure's numerator and denominator, stored
  with it as the ASCOF import stores them (beside a value column, not with ``wide``);
- ``codes`` (optional): publisher code → catalogue measure key, for codes the catalogue holds under another
  code (Oflog's ASC1 is ASCOF's 1D). A code not in ``codes`` is looked up among the catalogue's own codes.
"""

from __future__ import annotations

from typing import Any

from scorecard.models import ImportMapping

SPEC_KEYS = frozenset(
    {
        "area",
        "value",
        "wide",
        "period_column",
        "period",
        "measure_column",
        "measure",
        "median_column",
        "numerator_column",
        "denominator_column",
        "codes",
    }
)

# Oflog's Local Authority Data Explorer download (adult social care): one row per council, year and metric.
# ASC1-ASC5 are ASCOF measures of the 2014 framework (domain notes §2; ASC2 is the adjusted quality-of-life
# ratio, 1J, as its values of about 0.4 show, not the score out of 24); ASC6 and ASC7 are the catalogue's own.
OFLOG_ASC = {
    "area": "Local authority code",
    "value": "Value",
    "period_column": "Financial year",
    "measure_column": "Code",
    "median_column": "MEDIAN",
    "codes": {
        "ASC1": "ascof-2014-1d",
        "ASC2": "ascof-2014-1j",
        "ASC3": "ascof-2014-3d1",
        "ASC4": "ascof-2014-3d2",
        "ASC5": "ascof-2014-2d",
    },
}

SHIPPED: dict[str, tuple[str, dict[str, Any]]] = {
    "oflog-asc": ("Oflog Local Authority Data Explorer, adult social care metrics (ASC1-ASC7)", OFLOG_ASC),
}


def shipped_mappings_load(*, mapping_model: Any = ImportMapping) -> int:
    """Create or refresh the shipped mappings (idempotent); returns how many were written.

    ``mapping_model`` lets a data migration pass its historical model."""
    written = 0
    for name, (description, spec) in SHIPPED.items():
        mapping = mapping_model.objects.filter(name=name).first()
        if mapping is None:
            mapping_model.objects.create(name=name, description=description, spec=spec, shipped=True)
            written += 1
        elif mapping.spec != spec or mapping.description != description or not mapping.shipped:
            mapping.spec, mapping.description, mapping.shipped = spec, description, True
            mapping.save(update_fields=["spec", "description", "shipped", "updated_at"])
            written += 1
    return written
