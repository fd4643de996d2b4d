"""Generated national-size directory files for the import benchmark (fictional content, real
ZIP centroids): ``python -m bench.generate_import samhsa OUT.json --rows 25000`` or
``python -m bench.generate_import hsds OUT_DIR --rows 100000``.

* SAMHSA: a locator JSON ``{"rows": [...]}`` shaped like ``shared/data/samhsa`` (frid, name1,
  name2, address, phones, ``services`` category blocks with the real SET/TAP/PAY/AGE/OL values).
  About 2.3 levels of care per facility, as in the national locator (25,000 facilities make about
  58,000 programs); one organisation runs about three sites; 5 % of rows have no coordinates
  (placed at their ZIP centroid), 1 % have no level of care (skipped).
* HSDS: a 1.x tabular package shaped like the 211 Miami export (organizations, services,
  locations, physical_addresses, services_at_location, phones, regular_schedules, languages,
  services_taxonomy, taxonomy), ``--rows`` services, one location per service, two weekday
  schedule rows per service (the Miami export has 1,152 for 573 services). Five services in
  six are treatment (taxonomy in the mental-health branch); tax help is not, and is skipped.

Deterministic for a seed. Nothing here is real: names and phone numbers are made up.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
from pathlib import Path

SEED = 20261130

#: (SET value, percent of facilities listing it): about 2.3 levels of care per facility.
SETTINGS = [
    ("Intensive outpatient treatment", 55),
    ("Regular outpatient treatment", 60),
    ("Outpatient", 30),
    ("Outpatient day treatment or partial hospitalization", 35),
    ("Residential", 25),
    ("Short-term residential", 15),
    ("Hospital inpatient", 25),
    ("Computerized treatment/telemedicine", 15),
]
APPROACHES = [
    "Cognitive behavioral therapy",
    "Dialectical behavior therapy",
    "Motivational interviewing",
    "Relapse prevention",
    "12-step facilitation",
    "Trauma-related counseling",
    "Anger management",
]
PAYMENTS = [
    "Medicaid",
    "Medicare",
    "Private health insurance",
    "Cash or self-payment",
    "Military insurance (e.g., TRICARE)",
    "State-financed health insurance plan other than Medicaid",
]
AGES = ["Adults", "Young adults", "Children/adolescents", "Seniors (65 or older)"]
LANGUAGES = ["Spanish", "Vietnamese", "Arabic", "Korean", "Russian"]
WORDS = [
    "Harbor", "Summit", "Riverside", "Cedar", "Beacon", "Valley", "Northside", "Lakeview",
    "Pinecrest", "Meadow", "Crossroads", "Bridge", "Horizon", "Oak", "Maple", "Willow",
]  # fmt: skip
KINDS = ["Recovery Center", "Behavioral Health", "Counseling Services", "Treatment Services"]


def zip_pool(rng: random.Random) -> list[tuple[str, str, str, float, float]]:
    """(zip, city, state, lat, lng) of every standard US ZIP code, shuffled."""
    import zipcodes

    pool = []
    for record in zipcodes.list_all():
        if not record.get("active") or record.get("zip_code_type") != "STANDARD":
            continue
        try:
            lat, lng = float(record["lat"]), float(record["long"])
        except (KeyError, TypeError, ValueError):
            continue
        pool.append((record["zip_code"], record["city"].title(), record["state"][:2], lat, lng))
    rng.shuffle(pool)
    return pool


def _org_name(number: int) -> str:
    return f"{WORDS[number % len(WORDS)]} {KINDS[number // len(WORDS) % len(KINDS)]} {number}"


def _phone(rng: random.Random) -> str:
    return f"{rng.randint(201, 989)}-555-{rng.randint(100, 199):04d}"


def _pick(rng: random.Random, weighted) -> list[str]:
    return [value for value, weight in weighted if rng.random() * 100 < weight]


def samhsa_row(index: int, rng: random.Random, zips) -> dict:
    zip_code, city, state, lat, lng = zips[index % len(zips)]
    settings = _pick(rng, SETTINGS)
    if index % 100 == 99:
        settings = []  # no level of care: skipped
    elif settings in ([], ["Computerized treatment/telemedicine"]):
        settings.append("Regular outpatient treatment")
    services = [
        {"f1": "Type of Care", "f2": "TC", "f3": "Substance use treatment"},
        {"f1": "Service Settings", "f2": "SET", "f3": "; ".join(settings)},
        {"f1": "Treatment Approaches", "f2": "TAP",
         "f3": "; ".join(rng.sample(APPROACHES, rng.randint(2, 5)))},
        {"f1": "Payment", "f2": "PAY", "f3": "; ".join(rng.sample(PAYMENTS, rng.randint(1, 4)))},
        {"f1": "Age Groups Accepted", "f2": "AGE",
         "f3": "; ".join(rng.sample(AGES, rng.randint(1, 3)))},
    ]  # fmt: skip
    if rng.random() < 0.3:
        services.append({"f1": "Other Languages", "f2": "OL", "f3": rng.choice(LANGUAGES)})
    located = index % 20 != 7  # 5 % without coordinates: placed at the ZIP centroid
    return {
        "_irow": index + 1,
        "frid": hashlib.sha256(f"bench-facility-{index}".encode()).hexdigest(),
        "name1": _org_name(index // 3),
        "name2": f"Site {index % 3 + 1}" if index % 2 else "",
        "street1": f"{100 + index % 9000} Example Street",
        "street2": "",
        "city": city,
        "state": state,
        "zip": zip_code,
        "phone": _phone(rng),
        "typeFacility": "SA",
        "intake1": _phone(rng) if rng.random() < 0.5 else None,
        "hotline1": None,
        "website": f"https://site{index}.example.org",
        "latitude": f"{lat + rng.uniform(-0.02, 0.02):.7f}" if located else "",
        "longitude": f"{lng + rng.uniform(-0.02, 0.02):.7f}" if located else "",
        "miles": 0,
        "services": services,
    }


def write_samhsa(path: Path, rows: int, seed: int = SEED) -> Path:
    rng = random.Random(seed)
    zips = zip_pool(rng)
    path = Path(path)
    with path.open("w", encoding="utf-8") as handle:
        handle.write(f'{{"page": 1, "totalPages": 1, "recordCount": {rows}, "rows": [\n')
        for index in range(rows):
            if index:
                handle.write(",\n")
            handle.write(json.dumps(samhsa_row(index, rng, zips)))
        handle.write("\n]}\n")
    return path


HSDS_TAXONOMY = [
    ("RX-8450", "Substance Use Disorder Treatment Programs", "Intensive Outpatient Program"),
    ("RM-6500", "Outpatient Mental Health Facilities", "Adult Outpatient Counseling"),
    ("RP-6400", "Psychiatric Services", "Psychiatric Day Treatment"),
    ("RX-1700", "Detoxification", "Detox Unit"),
    ("RF-2500", "Group Counseling", "Group Therapy for Depression"),
    ("NL-6000", "Tax Preparation Assistance", "Volunteer Income Tax Assistance"),
]
HSDS_FILES = {
    "organizations.csv": ["id", "name", "alternate_name", "description", "email", "url"],
    "services.csv": ["id", "organization_id", "program_id", "name", "alternate_name",
                     "description", "url", "email", "status", "fees"],
    "locations.csv": ["id", "organization_id", "name", "alternate_name", "description",
                      "transportation", "latitude", "longitude"],
    "physical_addresses.csv": ["id", "location_id", "organization_id", "attention", "address_1",
                               "city", "region", "state_province", "postal_code", "country",
                               "address_2"],
    "services_at_location.csv": ["id", "service_id", "location_id", "description"],
    "phones.csv": ["id", "location_id", "service_id", "organization_id", "contact_id",
                   "service_at_location_id", "number", "extension", "type", "language",
                   "description"],
    "regular_schedules.csv": ["id", "service_id", "location_id", "service_at_location_id",
                              "weekday", "opens_at", "closes_at", "original_text"],
    "languages.csv": ["id", "service_id", "location_id", "language"],
    "services_taxonomy.csv": ["id", "service_id", "taxonomy_id", "taxonomy_detail"],
    "taxonomy.csv": ["id", "name", "parent_id", "parent_name", "vocabulary", "taxonomy_facet"],
}  # fmt: skip


def _hsds_rows(index: int, rng: random.Random, zips) -> dict[str, list[list]]:
    zip_code, city, state, lat, lng = zips[index % len(zips)]
    sid = str(index + 1)
    org = str(index // 4 + 1)
    code, _term, service_name = HSDS_TAXONOMY[index % len(HSDS_TAXONOMY)]
    located = index % 2 == 0  # half without coordinates, like the Miami export
    return {
        "services.csv": [[sid, org, "", service_name.upper(), "",
                          f"{service_name} for adults. Accepts Medicaid.",
                          f"www.service{sid}.example.org", "", "active", "Sliding scale"]],
        "locations.csv": [[sid, org, f"{_org_name(index // 4).upper()} - SITE {sid}", "", "", "",
                           f"{lat:.6f}" if located else "", f"{lng:.6f}" if located else ""]],
        "physical_addresses.csv": [[sid, sid, "", "", f"{100 + index % 9000} Example Avenue",
                                    city, "", state, zip_code, "US", ""]],
        "services_at_location.csv": [[sid, sid, sid, ""]],
        "phones.csv": [[sid, sid, sid, "", "", sid, _phone(rng), "", "", "", ""]],
        "regular_schedules.csv": [["", sid, "", "", day, "8:30am", "5:00pm", "Mon, Wed"]
                                  for day in ("Monday", "Wednesday")],
        "languages.csv": [[sid, sid, sid, "English"]]
        + ([[sid, sid, sid, "Spanish"]] if rng.random() < 0.4 else []),
        "services_taxonomy.csv": [[sid, sid, code, ""]],
    }  # fmt: skip


def write_hsds(folder: Path, rows: int, seed: int = SEED) -> Path:
    rng = random.Random(seed)
    zips = zip_pool(rng)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    handles = {name: (folder / name).open("w", newline="", encoding="utf-8") for name in HSDS_FILES}
    try:
        writers = {name: csv.writer(handle) for name, handle in handles.items()}
        for name, header in HSDS_FILES.items():
            writers[name].writerow(header)
        for number in range(rows // 4 + 1):
            writers["organizations.csv"].writerow(
                [str(number + 1), _org_name(number).upper(), "", "A fictional provider.", "",
                 f"www.org{number + 1}.example.org"]
            )  # fmt: skip
        for code, term, _service in HSDS_TAXONOMY:
            writers["taxonomy.csv"].writerow([code, term, code[0], "", "Benchmark", "Service"])
        for index in range(rows):
            for name, table_rows in _hsds_rows(index, rng, zips).items():
                writers[name].writerows(table_rows)
    finally:
        for handle in handles.values():
            handle.close()
    return folder


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("format", choices=["samhsa", "hsds"])
    parser.add_argument("out", help="A .json file (samhsa) or a folder (hsds).")
    parser.add_argument("--rows", type=int, default=25_000)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if args.format == "samhsa":
        write_samhsa(Path(args.out), args.rows, args.seed)
    else:
        write_hsds(Path(args.out), args.rows, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
