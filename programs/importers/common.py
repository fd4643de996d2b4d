"""Shared pieces of the directory importers: the result of an import, mapping tables from
source labels to our vocabulary codes, text keyword rules, and small parsers.

Pure Python (no database access), so every rule here is tested without a database. The
SAMHSA tables follow ``shared/domain/directory-data.md`` sections 1.2, 1.3 and 6.2; the HSDS
keyword rules read names, descriptions and taxonomy *names* from the package being imported:
no licensed taxonomy (AIRS) table is shipped with the project.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import slugify

from programs.levels import LevelOfCare

#: English names used when an importer builds a program name ("<site> — Intensive outpatient").
LEVEL_NAMES = {
    LevelOfCare.INPATIENT: "Inpatient",
    LevelOfCare.RESIDENTIAL: "Residential",
    LevelOfCare.PHP: "Partial hospitalization",
    LevelOfCare.IOP: "Intensive outpatient",
    LevelOfCare.OP: "Outpatient",
}


class ImportFileError(Exception):
    """The input cannot be imported at all (unreadable, bad JSON, missing columns): nothing
    is written. The management command turns it into a CommandError."""


@dataclass
class Problem:
    """One record that was skipped (no program made) or one sub-row that was rejected."""

    file: str
    line: int | str
    record: str
    reason: str
    kind: str = "skipped"  # "skipped" (whole record) | "rejected" (one row) | "warning"

    @property
    def where(self) -> str:
        """ "services.csv line 12" for CSV rows, "locator.json rows[3]" for JSON rows."""
        if self.line in ("", None):
            return self.file
        if isinstance(self.line, int) and self.file.endswith(".json"):
            return f"{self.file} rows[{self.line}]"
        return f"{self.file} line {self.line}"

    def __str__(self):
        record = f" (id {self.record})" if self.record else ""
        return f"{self.kind.upper()} {self.where}{record}: {self.reason}"


@dataclass
class ImportResult:
    source: str
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    providers: int = 0
    locations: int = 0
    sessions: int = 0
    problems: list[Problem] = field(default_factory=list)
    #: Tables whose planner statistics were refreshed after the import (PostgreSQL).
    analyzed: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return sum(1 for problem in self.problems if problem.kind == "skipped")

    @property
    def rejected(self) -> int:
        return sum(1 for problem in self.problems if problem.kind == "rejected")

    def skip(self, file, line, record, reason):
        self.problems.append(Problem(file, line, str(record or ""), reason, "skipped"))

    def reject(self, file, line, record, reason):
        self.problems.append(Problem(file, line, str(record or ""), reason, "rejected"))

    def warn(self, file, line, record, reason):
        self.problems.append(Problem(file, line, str(record or ""), reason, "warning"))

    def summary(self) -> str:
        return (
            f"{self.source}: {self.created} programs created, {self.updated} updated, "
            f"{self.skipped} records skipped, {self.rejected} rows rejected, "
            f"{self.deactivated} programs deactivated ({self.providers} providers, "
            f"{self.locations} locations, {self.sessions} sessions written)."
        )

    def analyze_note(self) -> str:
        if not self.analyzed:
            return ""
        return "Planner statistics refreshed (ANALYZE): " + ", ".join(self.analyzed) + "."


# --------------------------------------------------------------------------- text helpers


class Row(Mapping):
    """One CSV row, read like a dict (``row["id"]``, ``row.get("name", "")``) but stored as a
    tuple of values beside its file's shared header: a 100,000-service package holds half a
    million schedule rows, and a dict per row would cost several hundred megabytes."""

    __slots__ = ("_values", "_index")

    def __init__(self, values: tuple, index: dict[str, int]):
        self._values = values
        self._index = index

    def __getitem__(self, key):
        return self._values[self._index[key]]

    def get(self, key, default=None):
        position = self._index.get(key)
        return default if position is None else self._values[position]

    def __iter__(self):
        return iter(self._index)

    def __len__(self):
        return len(self._index)

    def __repr__(self):
        return f"Row({dict(self)!r})"


def read_csv_rows(
    path: Path, required: set[str] = frozenset(), lower_header: bool = False
) -> list[tuple[int, Row]]:
    """Every row of a CSV file as ``(line number, Row)``: :func:`iter_csv_rows` as a list."""
    return list(iter_csv_rows(path, required, lower_header))


def iter_csv_rows(
    path: Path, required: set[str] = frozenset(), lower_header: bool = False, intern: bool = True
) -> Iterator[tuple[int, Row]]:
    """The rows of a CSV file one by one as ``(line number, Row)``, header names stripped.

    A file that cannot be trusted is refused whole (the importers' all-or-nothing rule) with an
    :class:`ImportFileError` that names the file and, where it can, the line: not UTF-8, an
    unclosed quote, an empty file, a missing required column, a row with more values than
    the header has columns, or a NUL character. Line numbers count physical lines, so a quoted
    value that spans lines still gives the line where its row starts. The error comes when the
    reading reaches the problem: read a file through once before acting on any of its rows.
    ``intern``: keep one copy of each short text that repeats (for rows that are kept; rows
    used once and let go need not pay for it).
    """
    try:
        has_nul = _has_nul(path)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            header = [name.strip() for name in next(reader, [])]
            if lower_header:
                header = [name.lower() for name in header]
            if not header:
                raise ImportFileError(f"{path.name}: the file is empty (no header row)")
            missing = set(required) - set(header)
            if missing:
                raise ImportFileError(
                    f"{path.name}: missing required column(s) {', '.join(sorted(missing))}"
                )
            index = {name: position for position, name in enumerate(header)}
            width = len(header)
            seen: dict[str, str] = {}
            previous_end = reader.line_num
            for values in reader:
                line = previous_end + 1
                previous_end = reader.line_num
                if not values:
                    continue  # a blank line
                if len(values) > width:
                    raise ImportFileError(
                        f"{path.name} line {line}: more values than columns in the header"
                    )
                if intern:  # short texts repeat across rows ("Monday", "FL"): one copy each
                    values = [seen.setdefault(value, value) if len(value) <= 24 else value
                              for value in values]  # fmt: skip
                row = Row(tuple(values) + ("",) * (width - len(values)), index)
                if has_nul:
                    refuse_nul(dict(row), f"{path.name} line {line}")
                yield line, row
    except UnicodeDecodeError as error:
        raise ImportFileError(f"{path.name}: not UTF-8 text ({error.reason})") from error
    except csv.Error as error:
        raise ImportFileError(f"{path.name}: not a readable CSV file ({error})") from error
    except OSError as error:
        raise ImportFileError(f"{path.name}: cannot read the file ({error})") from error


def _has_nul(path: Path, chunk: int = 1 << 20) -> bool:
    """Whether the file holds a NUL byte, read in chunks (not the whole file at once)."""
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            if b"\x00" in block:
                return True
    return False


def refuse_nul(value, where: str, column: str = "") -> None:
    """ImportFileError naming ``where`` when any text in ``value`` (a string, or a dict or list
    of them, nested) holds a NUL character: PostgreSQL cannot store one in a text column."""
    if isinstance(value, str):
        if "\x00" in value:
            named = f" in {column!r}" if column else ""
            raise ImportFileError(f"{where}: a NUL character{named}: the file is refused")
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_nul(key, where, column)
            refuse_nul(item, where, column or str(key))
    elif isinstance(value, list):
        for item in value:
            refuse_nul(item, where, column)


#: Deeper JSON than this is not a directory file (Python's parser would hit its recursion limit).
MAX_JSON_DEPTH = 100


def load_json(text: str, file: str):
    """``json.loads`` with a clear ImportFileError for nesting too deep to parse (the parser's
    RecursionError), naming the file and the line where the nesting goes too deep."""
    try:
        return json.loads(text)
    except RecursionError:
        line = _deep_line(text, MAX_JSON_DEPTH)
        raise ImportFileError(
            f"{file} line {line}: JSON nested more than {MAX_JSON_DEPTH} levels deep: refused"
        ) from None


def _deep_line(text: str, limit: int) -> int:
    """The line where brackets outside strings first nest deeper than ``limit``."""
    depth, line, in_string, escaped = 0, 1, False, False
    for char in text:
        if char == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return line
        elif char in "]}":
            depth -= 1
    return line


def norm(text) -> str:
    """Lower case, single spaces, no surrounding blanks: the key every label table uses."""
    return " ".join(str(text or "").split()).lower()


def clean(text, max_length: int | None = None) -> str:
    """Trimmed text with literal ``\\n`` sequences (as in the Miami export) made real."""
    value = str(text or "").replace("\\n", "\n").strip()
    if max_length is not None and len(value) > max_length:
        value = value[: max_length - 1].rstrip() + "…"
    return value


def split_values(f3) -> list[str]:
    """SAMHSA joins the values of one category with "; "."""
    return [part.strip() for part in str(f3 or "").split(";") if part.strip()]


_url_validator = URLValidator(schemes=["http", "https"])


@functools.lru_cache(maxsize=65536)
def clean_url(value) -> str:
    """A usable web address or "": SAMHSA sometimes has a bare ``http://``; HSDS 1.x often
    has ``www.example.org`` without a scheme."""
    url = str(value or "").strip()
    if not url or url.lower() in ("http://", "https://"):
        return ""
    if "://" not in url:
        url = "http://" + url
    if len(url) > 200:
        return ""
    try:
        _url_validator(url)
    except ValidationError:
        return ""
    return url


def clean_state(value) -> str:
    state = str(value or "").strip().upper()
    return state if re.fullmatch(r"[A-Z]{2}", state) else ""


def clean_zip(value) -> str:
    """The five-digit ZIP in ``value`` ("22901", "22901-1234", "33142 ") or ""."""
    match = re.match(r"^\s*([0-9]{5})(?:-[0-9]{4})?\s*$", str(value or ""))
    return match.group(1) if match else ""


def parse_coordinate(value, limit: float) -> float | None:
    """A latitude (limit 90) or longitude (limit 180) from a string; None when absent or out
    of range (the HSDS 3.0 example has latitude 100)."""
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    if not -limit <= number <= limit or number == 0.0:
        return None
    return number


@functools.cache
def load_zip_centroids() -> dict[str, tuple[float, float]]:
    """Every ZIP code's centroid from the offline ``zipcodes`` data, indexed once per process:
    ``zipcodes.matching`` scans the whole list on each call (2 ms), too slow for 25,000 rows.
    The first record with usable coordinates wins, as in ``programs.geo``. Read a hundred
    two-digit prefixes at a time (``similar_to``): listing all 42,000 records at once would
    hold 90 MB of dictionaries at the start of every import."""
    import zipcodes

    found: dict[str, tuple[float, float]] = {}
    for prefix in range(100):
        for record in zipcodes.similar_to(f"{prefix:02d}"):
            try:
                point = float(record["lat"]), float(record["long"])
            except (KeyError, TypeError, ValueError):
                continue
            found.setdefault(str(record.get("zip_code", "")), point)
    return found


def zip_centroid(zip_code) -> tuple[float, float] | None:
    """(lat, lng) of a US ZIP code's centroid (the offline ``zipcodes`` package, as
    ``programs.geo``), or None for text that is not a known ZIP."""
    code = clean_zip(zip_code)
    return load_zip_centroids().get(code) if code else None


_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})[-_]?(\d{2})[-_]?(\d{2})(?!\d)")


def source_date(*texts) -> dt.date | None:
    """The first date in ``texts``: an ISO date or timestamp ("2019-08-19T10:00:00Z") or a date
    in a file name ("locator_2019-05-23.json", "listing_2023_04_20.csv"); None if there is none.
    Imported listings carry their source's date (issue 13)."""
    for text in texts:
        match = _DATE_IN_NAME.search(str(text or ""))
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                continue
    return None


def stable_slug(name: str, source: str, source_id: str, max_length: int = 200) -> str:
    """A unique, repeatable slug: the name plus a short hash of the source key."""
    digest = hashlib.sha1(f"{source}:{source_id}".encode(), usedforsecurity=False).hexdigest()
    base = slugify(name)[: max_length - 9].strip("-") or "program"
    return f"{base}-{digest[:8]}"


def dedupe(codes) -> list[str]:
    seen: list[str] = []
    for code in codes:
        if code and code not in seen:
            seen.append(code)
    return seen


# --------------------------------------------------------------------------- SAMHSA tables

#: SET (service settings) values -> level. Telehealth values are a modifier, not a level.
#: Never infer IOP from plain outpatient (directory-data.md 6.2).
SAMHSA_SETTING_LEVELS = {
    "hospital inpatient": LevelOfCare.INPATIENT,
    "hospital inpatient treatment": LevelOfCare.INPATIENT,
    "hospital inpatient detoxification": LevelOfCare.INPATIENT,
    "residential": LevelOfCare.RESIDENTIAL,
    "short-term residential": LevelOfCare.RESIDENTIAL,
    "long-term residential": LevelOfCare.RESIDENTIAL,
    "residential detoxification": LevelOfCare.RESIDENTIAL,
    "residential/24-hour residential": LevelOfCare.RESIDENTIAL,
    "outpatient day treatment or partial hospitalization": LevelOfCare.PHP,
    "partial hospitalization/day treatment": LevelOfCare.PHP,
    "partial hospitalization": LevelOfCare.PHP,
    "intensive outpatient treatment": LevelOfCare.IOP,
    "regular outpatient treatment": LevelOfCare.OP,
    "outpatient": LevelOfCare.OP,
    "outpatient methadone/buprenorphine or naltrexone treatment": LevelOfCare.OP,
    "outpatient detoxification": LevelOfCare.OP,
}

#: MH facility types (FT) that imply a level (directory-data.md 6.2).
SAMHSA_FACILITY_TYPE_LEVELS = {
    "psychiatric hospital or psychiatric unit of a general hospital": LevelOfCare.INPATIENT,
    "psychiatric hospital": LevelOfCare.INPATIENT,
    "residential treatment center (rtc) for adults": LevelOfCare.RESIDENTIAL,
    "residential treatment center (rtc) for children": LevelOfCare.RESIDENTIAL,
    "other residential treatment facility": LevelOfCare.RESIDENTIAL,
    "partial hospitalization/day treatment": LevelOfCare.PHP,
    "outpatient mental health facility": LevelOfCare.OP,
    "community mental health center": LevelOfCare.OP,
}

SAMHSA_TELEHEALTH = {"telemedicine/telehealth", "computerized treatment/telemedicine"}

#: TAP (treatment approaches) -> therapy codes. Approaches without a code in our vocabulary
#: (anger management, brief intervention, Matrix Model, ...) are not mapped.
SAMHSA_THERAPIES = {
    "cognitive behavioral therapy": "cbt",
    "rational emotive behavioral therapy": "cbt",
    "dialectical behavior therapy": "dbt",
    "trauma therapy": "trauma_focused",
    "trauma-related counseling": "trauma_focused",
    "couples/family therapy": "family",
    "group therapy": "group",
    "individual psychotherapy": "individual",
    "psychotropic medication": "medication_management",
    "motivational interviewing": "motivational",
    "relapse prevention": "relapse_prevention",
    "12-step facilitation": "twelve_step",
    "eye movement desensitization and reprocessing therapy": "emdr",
    "emdr": "emdr",
}

#: EDU (counseling services) values that also tell us the formats offered.
SAMHSA_COUNSELING_THERAPIES = {
    "individual counseling offered": "individual",
    "group counseling offered": "group",
    "family counseling offered": "family",
}

#: SET/OT/PHR words that mean medication for addiction treatment is offered.
SAMHSA_MAT_WORDS = ("buprenorphine", "methadone", "naltrexone")

#: PAY and PYAS values -> payment codes. Grants and state funds have no code of their own.
SAMHSA_PAYMENT = {
    "medicaid": "medicaid",
    "medicare": "medicare",
    "military insurance (e.g., tricare)": "tricare",
    "federal military insurance (e.g., tricare)": "tricare",
    "private health insurance": "private",
    "cash or self-payment": "self_pay",
    "sliding fee scale (fee is based on income and other factors)": "sliding_scale",
    "sliding fee scale": "sliding_scale",
    "no payment accepted": "free",
    "treatment at no charge or minimal payment for clients who cannot afford to pay": "free",
}

#: AGE values -> age group codes. "Adults" are 18 to 64 here: seniors are their own value.
SAMHSA_AGES = {
    "adults": ["adult"],
    "young adults": ["adult"],
    "children/adolescents": ["child", "teen"],
    "seniors (65 or older)": ["older"],
}

#: SG (special groups) and TC (type of care) values -> condition codes.
SAMHSA_CONDITIONS = {
    "substance use treatment": "substance_use",
    "persons with co-occurring mental and substance use disorders": "dual_diagnosis",
    "persons who have experienced trauma": "trauma",
    "persons with post-traumatic stress disorder (ptsd)": "trauma",
    "persons with eating disorders": "eating_disorders",
}

#: Language names (SAMHSA OL values, HSDS language names) -> language codes.
LANGUAGE_NAMES = {
    "english": "en",
    "spanish": "es",
    "arabic": "ar",
    "chinese": "zh",
    "mandarin": "zh",
    "cantonese": "zh",
    "any chinese language": "zh",
    "french": "fr",
    "creole": "ht",
    "haitian creole": "ht",
    "korean": "ko",
    "russian": "ru",
    "somali": "so",
    "swahili": "sw",
    "vietnamese": "vi",
    "american sign language": "asl",
    "sign language": "asl",
    "asl": "asl",
    "services for the deaf and hard of hearing": "asl",
}

LANGUAGE_ISO = {"en", "es", "ar", "zh", "fr", "ht", "ko", "ru", "so", "sw", "vi"}


def language_code(name_or_code) -> str:
    """Our code for a language name ("Spanish", "Creole (limited)") or ISO code ("es"), or ""."""
    text = norm(name_or_code)
    if not text:
        return ""
    if text in LANGUAGE_ISO:
        return text
    if text in ("ase", "sgn"):
        return "asl"
    if text in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[text]
    # "Creole (limited)", "Spanish available upon request": the leading word decides.
    head = re.sub(r"\(.*?\)", "", text).strip()
    for name, code in LANGUAGE_NAMES.items():
        if head == name or head.startswith(name + " "):
            return code
    return ""


# --------------------------------------------------------------------------- HSDS keyword rules

#: Level keywords, most specific first. The first rule that matches a text decides.
LEVEL_RULES: list[tuple[LevelOfCare, re.Pattern]] = [
    (LevelOfCare.PHP, re.compile(r"partial hospitali[sz]ation|day treatment|\bphp\b")),
    (LevelOfCare.IOP, re.compile(r"intensive outpatient|\biop\b")),
    (
        LevelOfCare.INPATIENT,
        re.compile(
            r"inpatient|in-patient|crisis stabili[sz]ation unit|crisis stabili[sz]ation"
            r"|crisis unit|detox(ification)? (unit|program|beds?)|psychiatric hospital"
            r"|hospitali[sz]ation|baker act receiving|acute care unit|psychiatric unit"
        ),
    ),
    (
        LevelOfCare.RESIDENTIAL,
        re.compile(
            r"residential (treatment|program|substance|drug|alcohol|care)"
            r"|(?<!non )(?<!non-)residential\b"
        ),
    ),
    (
        LevelOfCare.OP,
        re.compile(
            r"outpatient|out-patient|counsel(l)?ing|psychotherapy|therapy|therapist"
            r"|psychiatr(y|ic) (services|evaluation|care)|medication management"
            r"|psychiatry|treatment program"
        ),
    ),
]

#: Words that say a service treats mental health or substance use.
TREATMENT_WORDS = re.compile(
    r"mental|psychiatr|behavio(u)?ral health|substance|alcohol|drug|addict|chemical depend"
    r"|counsel|therap|psycholog|depress|anxiety|trauma|detox|dual diagnos|co-occurring"
    r"|emotional|baker act|recovery|outpatient|inpatient|partial hospitali|day treatment"
    r"|crisis stabili|residential treatment"
)

#: Services that are not treatment, by their name (checked first) or main taxonomy terms.
NOT_TREATMENT_RULES: list[tuple[str, re.Pattern]] = [
    ("a food service, not treatment", re.compile(r"food pantr|food bank|meals? program|\bsnap\b")),
    ("a hotline or helpline only", re.compile(r"hotline|helpline|warmline|talkline|\bline\b$")),
    (
        "information and referral only",
        re.compile(r"information (and|&) referral|referral service|locator\b|directory"),
    ),
    (
        "a mobile crisis team (for a crisis now, call or text 988), not a program to join",
        re.compile(r"mobile crisis|crisis response team|crisis intervention team"),
    ),
    ("a court or legal program, not treatment", re.compile(r"\bcourt\b|petition|probation")),
    (
        "a support group, not treatment",
        re.compile(r"support groups?$|self-help group|\baa\b|\bna\b"),
    ),
    ("case management only", re.compile(r"^(adult |children's |psychiatric )?case management")),
    ("education or prevention only", re.compile(r"prevention|education|awareness|campaign")),
    ("housing, not treatment", re.compile(r"housing|shelter|homeless|halfway house|recovery home")),
    ("screening or testing only", re.compile(r"drug (testing|screening)|screening only")),
    ("hospice or end-of-life care", re.compile(r"hospice|bereavement camp")),
    ("legal or victim advocacy", re.compile(r"victim|witness|legal aid|advocacy")),
]

NOT_TREATMENT_TAXONOMY = re.compile(
    r"hotline|helpline|support group|case management|education/prevention|information"
    r"|referral|testing|housing|shelter|food|advocacy|hospice|camp|prevention"
    r"|crisis intervention|screening"
)
#: Descriptions of services that point elsewhere rather than treat (checked when the service's
#: name does not itself name a level of care).
REFERRAL_ONLY = re.compile(
    r"provides (free )?(information and )?referral(s| services?)? (for|on|to)|resource locator"
    r"|is a website|online directory"
)
TREATMENT_TAXONOMY = re.compile(
    r"treatment|counsel|therap|psychiatr|detox|inpatient|outpatient|residential|day treatment"
    r"|crisis stabili|mental health (agencies|facilities)|evaluation"
)


def level_from_text(text) -> LevelOfCare | None:
    """The level of care a text names, by the keyword rules above, or None."""
    value = norm(text)
    if not value:
        return None
    for level, pattern in LEVEL_RULES:
        if pattern.search(value):
            return level
    return None


@dataclass(frozen=True)
class TaxonomyTerm:
    """A taxonomy term of a service as the package states it: its code and its name."""

    code: str
    name: str


@dataclass
class Classification:
    level: LevelOfCare | None
    reason: str  # why it was skipped, or which text decided the level


#: AIRS/211 taxonomy codes of the mental-health and substance-use branch: the top-level letter
#: "R" ("RX-8450", "RM-6500.1500", "RP"). Only this public structure of the code is used; no
#: licensed table of codes or names is shipped: names are read from the package itself.
AIRS_BEHAVIORAL_CODE = re.compile(r"^R([A-Z](-\d{4}(\.\d{4})*(-\d{3}(\.\d{2})?)?)?)?$")

#: Taxonomy term names (HSDS 3 taxonomies, or a package without AIRS codes) that put a service
#: in mental health or substance use. "Counseling" alone does not: WIC has nutrition counseling.
BEHAVIORAL_TERM_NAME = re.compile(
    r"mental health|psychiatr|psycholog|psychotherap|behavio(u)?ral health|substance (use|abuse)"
    r"|addiction|alcohol|drug (abuse|use|treatment|rehab)|detox|chemical dependency"
    r"|dual diagnos|co-occurring"
)

#: Specific treatment phrases: the only way a name or description makes a service a program when
#: its taxonomy does not (issue 13). Never a bare "counsel", "therap" or "mental": tax help,
#: WIC nutrition counseling, diabetes care, senior centres and parenting classes all use those.
#: Most specific level first; the first that matches decides.
SPECIFIC_TREATMENT_RULES: list[tuple[LevelOfCare, re.Pattern]] = [
    (
        LevelOfCare.PHP,
        re.compile(r"partial hospitali[sz]ation|(psychiatric|mental health) day treatment"),
    ),
    (LevelOfCare.IOP, re.compile(r"intensive outpatient")),
    (
        LevelOfCare.INPATIENT,
        re.compile(
            r"(inpatient|in-patient) (psychiatric|mental|behavioral|substance|detox|drug|alcohol"
            r"|addiction)|psychiatric (hospital|unit|inpatient)|crisis stabili[sz]ation"
            r"|detox(ification)? (unit|center|centre|program|beds?)|baker act receiving"
        ),
    ),
    (
        LevelOfCare.RESIDENTIAL,
        re.compile(
            r"residential (treatment|substance|drug|alcohol|addiction|recovery program|detox"
            r"|mental health)"
        ),
    ),
    (
        LevelOfCare.OP,
        re.compile(
            r"psychotherapy|psychiatric (services|evaluation|care|treatment)|psychiatrist"
            r"|(substance (use|abuse)|drug( and alcohol)?|alcohol( and drug)?|addiction)"
            r" (disorder )?(treatment|counsel|rehabilitation|outpatient)"
            r"|(mental|behavioral) health (treatment|counsel|therapy|clinic|outpatient)"
            r"|outpatient (mental|behavioral|psychiatric|substance|drug|alcohol|addiction)"
            r"|(counsel(l)?ing|therapy) for (depression|anxiety|trauma|ptsd|addiction|substance)"
            r"|cognitive[- ]behavio(u)?ral therapy|dialectical behavio(u)?r therapy"
            r"|medication[- ]assisted treatment|methadone|buprenorphine|suboxone"
            r"|dual diagnosis treatment|co-occurring (disorders? )?treatment"
        ),
    ),
]


def specific_level(text) -> LevelOfCare | None:
    """The level a specific treatment phrase in ``text`` names, or None."""
    value = norm(text)
    for level, pattern in SPECIFIC_TREATMENT_RULES:
        if value and pattern.search(value):
            return level
    return None


def is_behavioral_term(term) -> bool:
    """A taxonomy term of the mental-health and substance-use kind: by its AIRS code, else by
    its name."""
    code = str(getattr(term, "code", "") or "").strip().upper()
    if AIRS_BEHAVIORAL_CODE.match(code):
        return True
    return bool(BEHAVIORAL_TERM_NAME.search(norm(getattr(term, "name", term))))


def _not_treatment_by_name(name_text: str) -> str:
    for reason, pattern in NOT_TREATMENT_RULES:
        if pattern.search(name_text):
            return reason
    return ""


def _level_by_taxonomy(name_text, description_text, treatment_terms) -> Classification:
    """A service its taxonomy calls mental-health or substance-use treatment: its level from its
    name, else its terms' names, else its description (any level word: the taxonomy has already
    said what kind of service it is)."""
    name_level = level_from_text(name_text)
    if name_level is not None:
        return Classification(name_level, "name")
    if REFERRAL_ONLY.search(description_text):
        return Classification(None, "information and referral only")
    levels = [level_from_text(term) for term in treatment_terms]
    levels = [level for level in levels if level is not None]
    if levels:
        order = [level for level, _pattern in LEVEL_RULES]  # the most specific rule wins
        return Classification(min(levels, key=order.index), "taxonomy")
    description_level = level_from_text(description_text)
    if description_level is not None:
        return Classification(description_level, "description")
    return Classification(None, "no level of care named in its name, taxonomy or description")


def classify_service(name, description, taxonomy_terms=()) -> Classification:
    """Decide whether an HSDS service is mental-health or substance-use treatment, and its
    level (issue 13: only treatment services become programs).

    1. A name that says what the service is (a hotline, a food pantry...) wins, unless the name
       also names a level of care ("Detox Unit", "Outpatient Substance Abuse").
    2. Taxonomy first: a mental-health or substance-use term (AIRS "R" branch code, or a term
       name such as "Substance Use Disorder Treatment") that is not itself education, a
       hotline, a support group... makes it treatment; the level comes from the name, the
       terms, then the description.
    3. Otherwise only a specific treatment phrase in the name or description
       (:data:`SPECIFIC_TREATMENT_RULES`) does. Every skip says why.

    ``taxonomy_terms``: :class:`TaxonomyTerm` (code and name) or plain term names.
    """
    name_text, description_text = norm(name), norm(description)
    terms = [term for term in taxonomy_terms if norm(getattr(term, "name", term))]
    all_text = " ".join(
        [name_text, description_text, *(norm(getattr(t, "name", t)) for t in terms)]
    )
    if not TREATMENT_WORDS.search(all_text) and not any(map(is_behavioral_term, terms)):
        return Classification(None, "not a mental-health or substance-use service")
    if level_from_text(name_text) is None:
        reason = _not_treatment_by_name(name_text)
        if reason:
            return Classification(None, reason)
    behavioral = [norm(getattr(t, "name", t)) for t in terms if is_behavioral_term(t)]
    treatment_terms = [term for term in behavioral if not NOT_TREATMENT_TAXONOMY.search(term)]
    if treatment_terms:
        return _level_by_taxonomy(name_text, description_text, treatment_terms)
    level = specific_level(name_text)
    if level is not None:
        return Classification(level, "name (a specific treatment phrase)")
    if behavioral:
        return Classification(None, "its taxonomy lists no treatment service")
    if terms:
        # The taxonomy has spoken; a description that mentions treatment elsewhere ("referral
        # to our sister clinic's intensive outpatient program") does not overrule it.
        return Classification(
            None, "no mental-health or substance-use term in its taxonomy or treatment in its name"
        )
    level = specific_level(description_text)
    if level is not None:
        return Classification(level, "description (a specific treatment phrase)")
    return Classification(None, "no taxonomy and no specific treatment phrase")


THERAPY_RULES: list[tuple[str, re.Pattern]] = [
    ("cbt", re.compile(r"cognitive[- ]behavio|\bcbt\b|rational emotive")),
    ("dbt", re.compile(r"dialectical|\bdbt\b")),
    ("emdr", re.compile(r"\bemdr\b|eye movement desensiti")),
    ("trauma_focused", re.compile(r"trauma")),
    ("family", re.compile(r"family (therapy|counsel)|couples|marital|marriage")),
    ("group", re.compile(r"group (therapy|counsel|sessions)")),
    ("individual", re.compile(r"individual (therapy|counsel|psychotherapy|sessions)")),
    ("medication_management", re.compile(r"medication (management|monitoring|maintenance)")),
    (
        "mat",
        re.compile(r"methadone|buprenorphine|suboxone|naltrexone|vivitrol|medication[- ]assisted"),
    ),
    ("motivational", re.compile(r"motivational interview")),
    ("relapse_prevention", re.compile(r"relapse prevention")),
    ("twelve_step", re.compile(r"12[- ]step|twelve[- ]step")),
]

CONDITION_RULES: list[tuple[str, re.Pattern]] = [
    ("substance_use", re.compile(r"substance|alcohol|drug|addict|chemical depend|opioid")),
    ("dual_diagnosis", re.compile(r"co-occurring|dual diagnos|dually diagnosed")),
    ("depression", re.compile(r"depress")),
    ("anxiety", re.compile(r"anxiety|panic|phobia")),
    ("trauma", re.compile(r"trauma|ptsd|abuse counsel|sexual assault")),
    ("bipolar", re.compile(r"bipolar")),
    ("psychosis", re.compile(r"psychos|psychotic|schizo")),
    ("eating_disorders", re.compile(r"eating disorder|anorexia|bulimia")),
    ("ocd", re.compile(r"\bocd\b|obsessive")),
    ("self_harm", re.compile(r"self-harm|self harm|self-injur|suicid")),
]

PAYMENT_RULES: list[tuple[str, re.Pattern]] = [
    ("medicaid", re.compile(r"medicaid")),
    ("medicare", re.compile(r"medicare")),
    ("tricare", re.compile(r"tricare|military insurance|champus")),
    (
        "private",
        re.compile(
            r"private insurance|most insurance|commercial insurance|insurances? accepted"
            r"|accepts? (most |all )?insurance"
        ),
    ),
    ("sliding_scale", re.compile(r"sliding")),
    ("self_pay", re.compile(r"self[- ]pay|cash|private pay|out of pocket")),
    ("free", re.compile(r"\bfree\b|no (cost|charge|fee)")),
]

#: Age groups named as who a service is *for* ("children and adolescents", "adults 18 and
#: older"), not every mention ("single mothers with children" says nothing about who is treated).
AGE_RULES: list[tuple[str, re.Pattern]] = [
    (
        "child",
        re.compile(
            r"children(\'s)? (and|&|ages|aged|under|between|with|who)|children's (mental|psych|"
            r"services|program|crisis|behavioral)|for children|serves children|pediatric"
            r"|child and adolescent|\bkids\b|play therapy"
        ),
    ),
    (
        "teen",
        re.compile(r"adolescen|teens?\b|teenagers?|youth|juvenile|high school|ages? 1[3-7]"),
    ),
    ("adult", re.compile(r"\badults?\b|18 (years|and older|or older)|ages? 18")),
    ("older", re.compile(r"seniors?\b|elderly|geriatric|older adults?|65 (and|or) older")),
]

TELEHEALTH_WORDS = re.compile(r"telehealth|telemedicine|telepsychiatry|video|online|remotely")


def codes_from_text(rules, text) -> list[str]:
    value = norm(text)
    return [code for code, pattern in rules if pattern.search(value)]


def age_groups_from_range(minimum, maximum) -> list[str]:
    """Our age groups overlapping [minimum, maximum] (HSDS 3 minimum_age / maximum_age)."""
    try:
        low = int(float(minimum)) if str(minimum or "").strip() else 0
        high = int(float(maximum)) if str(maximum or "").strip() else 150
    except ValueError:
        return []
    bands = [("child", 0, 12), ("teen", 13, 17), ("adult", 18, 64), ("older", 65, 150)]
    return [code for code, start, end in bands if low <= end and high >= start]


# --------------------------------------------------------------------------- times and days

WEEKDAY_NAMES = {
    "monday": 0, "mon": 0, "mo": 0,
    "tuesday": 1, "tue": 1, "tues": 1, "tu": 1,
    "wednesday": 2, "wed": 2, "we": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "th": 3,
    "friday": 4, "fri": 4, "fr": 4,
    "saturday": 5, "sat": 5, "sa": 5,
    "sunday": 6, "sun": 6, "su": 6,
}  # fmt: skip


def parse_weekday(value) -> int:
    """0 (Monday) to 6 (Sunday) from "Monday", "Mon", "MO" or a number.

    HSDS 1.x types ``weekday`` as an integer without fixing the numbering. 1-6 mean Monday to
    Saturday both in ISO numbering (7 = Sunday) and in the 0 = Sunday convention, so 0 and 7 are
    both Sunday. Raises ValueError for anything else.
    """
    text = norm(value).rstrip(".")
    if text in WEEKDAY_NAMES:
        return WEEKDAY_NAMES[text]
    if text.isdigit():
        number = int(text)
        if 1 <= number <= 6:
            return number - 1
        if number in (0, 7):
            return 6
    raise ValueError(f"not a weekday: {value!r}")


_TIME_RE = re.compile(
    r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?(?::(?P<second>\d{2})(?:\.\d+)?)?\s*"
    r"(?P<ampm>a\.?m\.?|p\.?m\.?|a|p)?\s*(?P<zone>z|[+-]\d{2}(?::?\d{2})?)?$"
)


@functools.lru_cache(maxsize=4096)
def parse_time(value) -> dt.time:
    """A local time from free text: "8:30am", "5:00 PM", "7:30 am ", "noon", "midnight",
    "17:00", "09:00Z", "18:00-05:00", "10:00:00", "12:00pm (dispensing)".

    A timezone suffix is dropped: sessions are stored in the programme's local time. Raises
    ValueError for text that is not a time.
    """
    text = norm(value)
    text = re.sub(r"\(.*?\)", "", text).strip()  # "12:00pm (dispensing)"
    if text in ("noon", "12 noon", "midday"):
        return dt.time(12, 0)
    if text in ("midnight", "12 midnight"):
        return dt.time(0, 0)
    match = _TIME_RE.match(text.replace(" ", "") if re.search(r"\d\s+[ap]", text) else text)
    if not match:
        raise ValueError(f"not a time: {value!r}")
    hour = int(match.group("hour"))
    minute = int(match.group("minute") or 0)
    ampm = (match.group("ampm") or "").replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError(f"not a time: {value!r}")
        if ampm.startswith("p") and hour != 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
    elif match.group("minute") is None:
        raise ValueError(f"not a time (a bare number): {value!r}")
    if hour == 24 and minute == 0:
        return dt.time(23, 59)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(f"not a time: {value!r}")
    return dt.time(hour, minute)


def parse_time_range(opens_at, closes_at) -> tuple[dt.time, dt.time]:
    """Start and end of one session. A close at midnight means the end of the day (HSDS
    guidance writes 24 hours as 00:00-23:59). Raises ValueError when the range is not
    usable (missing, or ending before it starts)."""
    start = parse_time(opens_at)
    end = parse_time(closes_at)
    if end == dt.time(0, 0):
        end = dt.time(23, 59)
    if end <= start:
        raise ValueError(f"closes ({closes_at!r}) before it opens ({opens_at!r})")
    return start, end
