"""One ZIP validator (``programs.geo.clean_zip``) and one message for each way a ZIP is wrong,
used by the search form and API, the assessment's form and the assessment's answer check."""

import pytest
from django.core.exceptions import ValidationError

from assessment import instruments
from programs import geo
from programs.filters import ZipCodeField

FORMAT = "Enter a 5-digit US ZIP code, like 40202."


@pytest.mark.parametrize(
    ("text", "zip5"), [("40202", "40202"), (" 40202-1234 ", "40202"), ("402021234", "40202")]
)
def test_clean_zip_returns_the_five_digits(text, zip5):
    assert geo.clean_zip(text) == zip5


@pytest.mark.parametrize("text", ["4020", "abcde", "１２３４５", "40202-12", ""])
def test_anything_not_five_digits_has_the_one_format_message(text):
    with pytest.raises(ValidationError) as caught:
        geo.clean_zip(text)
    assert caught.value.code == "zip_format"
    assert caught.value.messages == [FORMAT]


def test_an_unknown_zip_has_the_one_unknown_message_naming_it():
    with pytest.raises(ValidationError) as caught:
        geo.clean_zip("00000")
    assert caught.value.code == "zip_unknown"
    assert caught.value.messages == [
        "We couldn't find ZIP code 00000. Check the number and try again."
    ]
    assert geo.clean_zip("00000", must_exist=False) == "00000"


def test_the_search_field_and_the_assessment_say_the_same_thing():
    with pytest.raises(ValidationError) as search_error:
        ZipCodeField(required=False).clean("4020")
    _cleaned, errors = instruments.validate_step("fit", {"zip_code": "4020"}, {})
    assert search_error.value.messages == [FORMAT]
    assert str(errors["zip_code"]) == FORMAT
