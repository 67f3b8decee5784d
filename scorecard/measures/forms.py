"""The measure catalogue's filter."""

import django_filters

from scorecard.models import Domain, Framework, Measure


class MeasureFilter(django_filters.FilterSet):
    framework = django_filters.ChoiceFilter(choices=Framework.choices, empty_label="All frameworks")
    domain = django_filters.ModelChoiceFilter(
        queryset=Domain.objects.all(), to_field_name="slug", empty_label="All domains"
    )

    class Meta:
        model = Measure
        fields = ["framework", "domain"]
