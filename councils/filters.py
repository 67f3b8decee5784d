import django_filters

from councils.models import Council, Region


class CouncilFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="Name contains")
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), to_field_name="gss_code", empty_label="All regions"
    )
    council_type = django_filters.ChoiceFilter(
        choices=Council.CouncilType.choices, empty_label="All types", label="Type"
    )

    class Meta:
        model = Council
        fields = ["name", "region", "council_type"]
