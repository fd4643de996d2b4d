"""Every search parameter is either a real queryset filter or a form parameter applied
elsewhere (distance, day+time together): no placeholder filters that do nothing."""

from programs.filters import PARAMETERS, ProgramFilter, ProgramFilterForm


def test_the_filterset_holds_only_filters_that_filter():
    assert set(ProgramFilter.base_filters) == {
        "level",
        "insurance",
        "therapy",
        "condition",
        "age",
        "language",
        "telehealth",
        "accepting",
        "soon",
    }
    assert not hasattr(ProgramFilter, "filter_nothing")


def test_distance_and_session_parameters_are_the_forms_own():
    assert list(ProgramFilterForm.base_fields) == ["zip", "radius", "day", "time"]


def test_every_parameter_is_checked_in_the_documented_order():
    form = ProgramFilter({}).form
    assert tuple(form.fields) == PARAMETERS
    assert ProgramFilter({}).parameter_labels()["radius"] == "Distance (miles)"
