"""django-tables2 tables for the measure catalogue and the import history."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join

from councils.exports import SafeExportMixin
from scorecard.models import Framework, Measure, Polarity, Unit

# Short labels for the catalogue table (the exports keep the full labels).
FRAMEWORK_SHORT = {
    Framework.ASCOF_2014: "ASCOF 2014",
    Framework.ASCOF_2023: "ASCOF 2023",
    Framework.LOCAL: "Local",
}
UNIT_SHORT = {Unit.PERCENT: "%", Unit.RATE_100K: "Per 100,000", Unit.CURRENCY: "£"}
POLARITY_SHORT = {
    Polarity.HIGHER: "Higher is better",
    Polarity.LOWER: "Lower is better",
    Polarity.NONE: "None",
}


class MeasureTable(SafeExportMixin, tables.Table):
    code = tables.Column(linkify=True, verbose_name="Code", order_by=("code", "framework"))
    title = tables.Column(linkify=True)
    framework = tables.Column(order_by=("framework", "position"))
    unit = tables.Column()
    polarity = tables.Column()
    source = tables.Column(default="–")
    domain = tables.Column(accessor="domain__name", verbose_name="Domain", default="No domain")
    crosswalk = tables.Column(verbose_name="Series", empty_values=(), orderable=False)

    class Meta:
        model = Measure
        fields = ("code", "title", "framework", "unit", "polarity", "source", "domain")
        sequence = ("code", "title", "framework", "unit", "polarity", "source", "domain", "crosswalk")
        order_by = ("framework",)
        attrs = {"class": "govuk-table"}
        empty_text = "No measures match these filters."

    def render_code(self, value: str) -> str:
        return format_html('<span class="app-code">{}</span>', value)

    def value_code(self, value: str) -> str:
        return value

    def render_framework(self, value: str, record: Measure) -> str:
        return FRAMEWORK_SHORT.get(record.framework, value)

    def render_unit(self, value: str, record: Measure) -> str:
        if record.unit == Unit.SCORE and record.scale_max is not None:
            return f"Score /{record.scale_max.normalize():f}"
        return UNIT_SHORT.get(record.unit, value)

    def render_polarity(self, value: str, record: Measure) -> str:
        return POLARITY_SHORT.get(record.polarity, value)

    def value_framework(self, record: Measure) -> str:
        return record.get_framework_display()

    def value_unit(self, record: Measure) -> str:
        return record.get_unit_display()

    def value_polarity(self, record: Measure) -> str:
        return record.get_polarity_display()

    def _crosswalk(self, record: Measure) -> list[tuple[str, Measure]]:
        links = []
        if record.replaces is not None:
            links.append(("continues", record.replaces))
        links += [("continued by", later) for later in record.replaced_by.all()]
        return links

    def render_crosswalk(self, record: Measure) -> str:
        links = self._crosswalk(record)
        if not links:
            return "–"
        return format_html_join(
            "; ",
            '{} <a class="govuk-link" href="{}">{}</a>',
            ((word, other.get_absolute_url(), other.code) for word, other in links),
        )

    def value_crosswalk(self, record: Measure) -> str:
        return "; ".join(f"{word} {other.code}" for word, other in self._crosswalk(record))
