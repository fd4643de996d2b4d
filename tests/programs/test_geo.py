"""programs.geo: ZIP lookup, great-circle distances against known city pairs, bounding boxes.

No database: geo is pure Python.
"""

import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from programs import geo


def close(value, expected, tolerance=0.02):
    return abs(value - expected) <= expected * tolerance


@pytest.mark.parametrize(
    ("zip_a", "zip_b", "miles"),
    [
        ("40202", "40507", 70),  # Louisville KY - Lexington KY
        ("10001", "90001", 2445),  # New York - Los Angeles
        ("60601", "02108", 851),  # Chicago - Boston
    ],
)
def test_known_city_pairs_are_within_two_percent(zip_a, zip_b, miles):
    distance = geo.haversine_miles(*geo.zip_point(zip_a), *geo.zip_point(zip_b))
    assert close(distance, miles), distance


def test_distance_is_symmetric_and_zero_to_itself():
    a, b = geo.zip_point("40202"), geo.zip_point("40507")
    assert geo.haversine_miles(*a, *a) == 0
    assert geo.haversine_miles(*a, *b) == pytest.approx(geo.haversine_miles(*b, *a))


def test_zip_lookup_returns_floats_city_state_and_timezone():
    place = geo.zip_place("40202")
    assert (place.city, place.state) == ("Louisville", "KY")
    assert isinstance(place.latitude, float) and isinstance(place.longitude, float)
    assert place.timezone == "America/Kentucky/Louisville"
    assert geo.zip_place(" 40202-1234 ").zip_code == "40202"


@pytest.mark.parametrize("value", ["", "4020", "402021", "abcde", "40202-12", None, "40 202"])
def test_badly_formed_zip_is_a_format_error(value):
    with pytest.raises(geo.InvalidZipError) as error:
        geo.zip_place(value)
    assert error.value.reason == "format"


def test_zip_that_does_not_exist_is_unknown():
    with pytest.raises(geo.InvalidZipError) as error:
        geo.zip_place("00000")
    assert error.value.reason == "unknown"
    assert geo.zip_timezone("00000") == ""


def test_bounding_box_near_the_pole_and_antimeridian_widens_to_all_longitudes():
    box = geo.bounding_box(89.9, 0, 50)
    assert (box.min_lng, box.max_lng) == (-180.0, 180.0)
    box = geo.bounding_box(52.0, 179.5, 100)  # western Aleutians
    assert (box.min_lng, box.max_lng) == (-180.0, 180.0)


@settings(max_examples=60, deadline=None)
@example(lat=64.0, lng=-170.0, miles=305.0, bearing=5.0)  # box crosses the 180th meridian
@given(
    lat=st.floats(min_value=18, max_value=71),
    lng=st.floats(min_value=-170, max_value=-65),
    miles=st.floats(min_value=1, max_value=500),
    bearing=st.floats(min_value=0, max_value=2 * math.pi),
)
def test_every_point_on_the_circle_is_inside_the_box(lat, lng, miles, bearing):
    # The point at distance `miles` (a hair less) on `bearing` from the centre.
    angular = miles * 0.999 / geo.EARTH_RADIUS_MILES
    phi1, lambda1 = math.radians(lat), math.radians(lng)
    phi2 = math.asin(
        math.sin(phi1) * math.cos(angular) + math.cos(phi1) * math.sin(angular) * math.cos(bearing)
    )
    lambda2 = lambda1 + math.atan2(
        math.sin(bearing) * math.sin(angular) * math.cos(phi1),
        math.cos(angular) - math.sin(phi1) * math.sin(phi2),
    )
    point = (math.degrees(phi2), (math.degrees(lambda2) + 540) % 360 - 180)
    assert geo.haversine_miles(lat, lng, *point) <= miles
    assert geo.bounding_box(lat, lng, miles).contains(*point)


@pytest.mark.parametrize("value", ["１２３４５", "4020２", "٤٠٢٠٢", "40202-１２３４"])
def test_non_ascii_digits_are_a_format_error_not_a_panic(value):
    """Review fix: ``\\d`` matched fullwidth digits, and the zipcodes package then panicked
    (pyo3 PanicException, a BaseException: a 500 that no handler catches)."""
    with pytest.raises(geo.InvalidZipError) as caught:
        geo.zip_place(value)
    assert caught.value.reason == "format"
