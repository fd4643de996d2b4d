"""US ZIP codes to coordinates, great-circle distances and bounding boxes.

Pure Python: no Django models, no network. ZIP centroids come from the ``zipcodes`` package
(MIT; the data set is embedded in the wheel, see ``shared/domain/directory-data.md`` section 5).
Its records carry latitude and longitude as *strings*; :func:`zip_point` returns floats.

Distances are great-circle distances on a sphere of the Earth's mean radius (3,958.8 miles;
IUGG mean radius 6,371.0088 km). Road distance is longer, often by 20-40 %, and the page says
"miles away" in a straight line for that reason.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import zipcodes
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARTH_RADIUS_MILES = 3958.8
#: Miles per degree of latitude (and of longitude at the equator) on that sphere.
MILES_PER_DEGREE = math.pi * EARTH_RADIUS_MILES / 180

#: ASCII digits only: ``\d`` would also accept "１２３４５", which the ``zipcodes`` package
#: cannot slice (it panics with a BaseException that no ``except Exception`` catches).
_ZIP_RE = re.compile(r"^([0-9]{5})(?:-?[0-9]{4})?$")


#: The one message for a ZIP code that is not five digits (the search, the API, the
#: assessment's form and its answer validation all say this).
ZIP_FORMAT_MESSAGE = _("Enter a 5-digit US ZIP code, like 40202.")
#: The one message for five digits that are no ZIP code we know.
ZIP_UNKNOWN_MESSAGE = _("We couldn't find ZIP code %(value)s. Check the number and try again.")


class InvalidZipError(ValueError):
    """The text is not a five-digit ZIP code, or no such ZIP code exists."""

    def __init__(self, value: str, reason: str):
        super().__init__(f"{reason}: {value!r}")
        self.value = value
        self.reason = reason  # "format" or "unknown"


@dataclass(frozen=True)
class ZipPlace:
    zip_code: str
    latitude: float
    longitude: float
    city: str
    state: str
    timezone: str


def normalize_zip(value: str) -> str:
    """The five-digit ZIP in ``value`` ("40202", " 40202 ", "40202-1234" -> "40202").

    Raises InvalidZipError(reason="format") for anything else.
    """
    text = str(value or "").strip()
    match = _ZIP_RE.match(text)
    if not match:
        raise InvalidZipError(text, "format")
    return match.group(1)


@lru_cache(maxsize=4096)
def _lookup(zip5: str) -> ZipPlace | None:
    if not (len(zip5) == 5 and zip5.isascii() and zip5.isdigit()):
        return None
    try:
        records = zipcodes.matching(zip5)
    except (TypeError, ValueError):
        return None
    for record in records:
        try:
            latitude, longitude = float(record["lat"]), float(record["long"])
        except (KeyError, TypeError, ValueError):
            continue
        return ZipPlace(
            zip_code=zip5,
            latitude=latitude,
            longitude=longitude,
            city=record.get("city", ""),
            state=record.get("state", ""),
            timezone=record.get("timezone", "") or "",
        )
    return None


def zip_place(value: str) -> ZipPlace:
    """The place (centroid, city, state, time zone) of a ZIP code.

    Raises InvalidZipError with reason "format" (not five digits) or "unknown" (no such ZIP).
    """
    zip5 = normalize_zip(value)
    place = _lookup(zip5)
    if place is None:
        raise InvalidZipError(zip5, "unknown")
    return place


def clean_zip(value: str, *, must_exist: bool = True) -> str:
    """The five-digit ZIP in ``value``: THE ZIP validator of the site.

    Raises ValidationError with :data:`ZIP_FORMAT_MESSAGE` (code "zip_format") for anything
    that is not five digits (ZIP+4 accepted), or with :data:`ZIP_UNKNOWN_MESSAGE` (code
    "zip_unknown") for a ZIP code we have no place for (only when ``must_exist``).
    """
    try:
        return zip_place(value).zip_code if must_exist else normalize_zip(value)
    except InvalidZipError as error:
        if error.reason == "format":
            raise ValidationError(ZIP_FORMAT_MESSAGE, code="zip_format") from None
        raise ValidationError(
            ZIP_UNKNOWN_MESSAGE, code="zip_unknown", params={"value": error.value}
        ) from None


def zip_point(value: str) -> tuple[float, float]:
    """(latitude, longitude) of a ZIP code's centroid; InvalidZipError if there is none."""
    place = zip_place(value)
    return place.latitude, place.longitude


def zip_timezone(value: str) -> str:
    """The IANA time zone of a ZIP code, or "" when the ZIP is unknown."""
    try:
        return zip_place(value).timezone
    except InvalidZipError:
        return ""


def haversine_miles(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in miles between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class BoundingBox:
    """Latitude/longitude limits that contain every point within some miles of a centre.

    ``min_lng > max_lng`` never happens: a box that would cross the 180th meridian (the western
    Aleutians) is widened to every longitude, which stays correct and is vanishingly rare.
    """

    min_lat: float
    max_lat: float
    min_lng: float
    max_lng: float

    def contains(self, lat: float, lng: float) -> bool:
        return self.min_lat <= lat <= self.max_lat and self.min_lng <= lng <= self.max_lng


def bounding_box(lat: float, lng: float, miles: float) -> BoundingBox:
    """The smallest lat/lng box containing the circle of ``miles`` around (lat, lng).

    Used as an indexed prefilter (``Location(latitude, longitude)``) before the exact haversine
    distance. The longitude half-width is the angular radius divided by cos(latitude), taken at
    the box edge nearer the pole so the circle is never clipped.
    """
    miles = max(0.0, float(miles))
    dlat = miles / MILES_PER_DEGREE
    min_lat, max_lat = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    polar_lat = max(abs(min_lat), abs(max_lat))
    if polar_lat >= 89.999:
        return BoundingBox(min_lat, max_lat, -180.0, 180.0)
    dlng = dlat / math.cos(math.radians(polar_lat))
    min_lng, max_lng = lng - dlng, lng + dlng
    if min_lng < -180.0 or max_lng > 180.0 or dlng >= 180.0:
        min_lng, max_lng = -180.0, 180.0
    return BoundingBox(min_lat, max_lat, min_lng, max_lng)
