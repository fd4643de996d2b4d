"""The fictional demo directory around Louisville, Kentucky, as data (``seed_demo`` writes it).

Every name, street address, phone number and web site here is made up: phone numbers use the
555-0100 to 555-0199 range reserved for fiction, web sites are on example.org (reserved by
RFC 2606), streets are invented. ZIP codes are real (so distance search works) and each site is
placed at its ZIP's centroid, moved by a small fixed offset so sites in one ZIP do not overlap.
Nothing here describes a real provider.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from programs.levels import LevelOfCare

IN_PERSON, TELEHEALTH, BOTH = "in_person", "telehealth", "both"
MON, TUE, WED, THU, FRI, SAT = range(6)

# Tracks: (track name, weekdays, start, end)
PHP_DAY = ("Day track", (MON, TUE, WED, THU, FRI), dt.time(9, 0), dt.time(15, 0))
IOP_EVENING = ("Evening track", (MON, WED, THU), dt.time(18, 0), dt.time(21, 0))
IOP_EVENING_TTH = ("Evening track", (TUE, THU), dt.time(17, 30), dt.time(20, 30))
IOP_MORNING = ("Morning track", (MON, TUE, WED, THU), dt.time(9, 0), dt.time(12, 0))
IOP_AFTERNOON = ("Afternoon track", (TUE, WED, FRI), dt.time(13, 0), dt.time(16, 0))
IOP_AFTER_SCHOOL = ("After-school track", (MON, TUE, WED, THU), dt.time(15, 30), dt.time(18, 30))
IOP_SATURDAY = ("Weekend track", (SAT,), dt.time(9, 0), dt.time(13, 0))
OP_EVENING_GROUP = ("Evening group", (TUE,), dt.time(18, 0), dt.time(19, 30))
OP_DAY_GROUP = ("Daytime group", (WED,), dt.time(10, 0), dt.time(11, 30))
OP_LUNCH_GROUP = ("Lunchtime group", (THU,), dt.time(12, 0), dt.time(13, 0))


@dataclass
class DemoProgram:
    key: str
    name: str
    level: LevelOfCare
    description: str
    tracks: tuple = ()
    ages: tuple = ("adult",)
    conditions: tuple = ("depression", "anxiety")
    therapies: tuple = ("cbt", "group", "individual")
    languages: tuple = ("en",)
    payment: tuple = ("medicaid", "private", "self_pay")
    insurers: str = ""
    modality: str = IN_PERSON
    hours_per_week: float | None = None
    length_weeks: int | None = None
    accepting: bool | None = True
    verified_days_ago: int = 14
    site: str = ""  # key of the provider's site; "" = the first site, None = telehealth only


@dataclass
class DemoSite:
    key: str
    name: str
    street: str
    zip_code: str
    city: str
    state: str = "KY"
    street2: str = ""
    accessibility: str = "Step-free entrance and an accessible restroom."


@dataclass
class DemoProvider:
    key: str
    name: str
    domain: str
    phone_suffix: int  # (xxx) 555-01xx
    area_code: str = "502"
    accreditations: str = "The Joint Commission"
    license: str = "Kentucky Cabinet for Health and Family Services (fictional license)"
    sites: list[DemoSite] = field(default_factory=list)
    programs: list[DemoProgram] = field(default_factory=list)


ANTHEM_HUMANA_AETNA = "Anthem; Humana; Aetna"
BIG_FIVE = "Anthem; Humana; Aetna; UnitedHealthcare; CareSource"
KY_MEDICAID_PLANS = "Passport; WellCare; CareSource; Humana; Anthem"

IOP = LevelOfCare.IOP
PHP = LevelOfCare.PHP
OP = LevelOfCare.OP
RES = LevelOfCare.RESIDENTIAL
INP = LevelOfCare.INPATIENT

PROVIDERS: list[DemoProvider] = [
    DemoProvider(
        key="riverbend",
        name="Riverbend Behavioral Health",
        domain="riverbend-bh.example.org",
        phone_suffix=42,
        sites=[
            DemoSite(
                "downtown",
                "Riverbend Downtown",
                "410 Riverbend Way",
                "40202",
                "Louisville",
                street2="Suite 200",
            ),
            DemoSite(
                "highlands", "Riverbend Highlands", "1288 Lantern Hill Road", "40206", "Louisville"
            ),
        ],
        programs=[
            DemoProgram(
                "evening-iop",
                "Riverbend Behavioral Health — Evening IOP",
                IOP,
                "Three evenings a week of skills groups and individual therapy for adults with "
                "depression or anxiety who work or study during the day.",
                tracks=(IOP_EVENING,),
                therapies=("cbt", "dbt", "group", "individual"),
                payment=("medicaid", "medicare", "private", "sliding_scale"),
                insurers=BIG_FIVE,
                modality=BOTH,
                hours_per_week=9,
                length_weeks=8,
            ),
            DemoProgram(
                "day-php",
                "Riverbend Behavioral Health — Day PHP",
                PHP,
                "A full weekday program with psychiatry, groups and family sessions, as a step "
                "down from hospital care or to avoid it.",
                tracks=(PHP_DAY,),
                conditions=("depression", "anxiety", "bipolar", "self_harm"),
                therapies=("cbt", "dbt", "group", "individual", "medication_management", "family"),
                payment=("medicaid", "medicare", "private"),
                insurers=BIG_FIVE,
                hours_per_week=30,
                length_weeks=3,
            ),
            DemoProgram(
                "highlands-op",
                "Riverbend Behavioral Health — Highlands Outpatient Therapy",
                OP,
                "Weekly individual therapy and an evening skills group.",
                tracks=(OP_EVENING_GROUP,),
                site="highlands",
                therapies=("cbt", "individual", "group", "emdr"),
                payment=("medicaid", "private", "self_pay", "sliding_scale"),
                insurers=ANTHEM_HUMANA_AETNA,
                modality=BOTH,
                hours_per_week=1.5,
            ),
        ],
    ),
    DemoProvider(
        key="ohio-valley",
        name="Ohio Valley Recovery Center",
        domain="ohiovalleyrecovery.example.org",
        phone_suffix=17,
        accreditations="CARF",
        sites=[
            DemoSite(
                "west-end",
                "Ohio Valley West End",
                "2715 Sycamore Bend Avenue",
                "40211",
                "Louisville",
            ),
            DemoSite(
                "lodge",
                "Ohio Valley Recovery Lodge",
                "8800 Quiet Meadow Lane",
                "40291",
                "Louisville",
            ),
        ],
        programs=[
            DemoProgram(
                "su-iop",
                "Ohio Valley Recovery Center — Evening Substance Use IOP",
                IOP,
                "Evening groups for alcohol and drug use, with medication for addiction "
                "treatment on site and peer recovery coaching.",
                tracks=(IOP_EVENING_TTH, IOP_SATURDAY),
                conditions=("substance_use", "dual_diagnosis"),
                therapies=(
                    "group",
                    "individual",
                    "mat",
                    "motivational",
                    "relapse_prevention",
                    "twelve_step",
                ),
                payment=("medicaid", "private", "sliding_scale"),
                insurers=KY_MEDICAID_PLANS,
                hours_per_week=10,
                length_weeks=10,
            ),
            DemoProgram(
                "residential",
                "Ohio Valley Recovery Lodge — Residential Treatment",
                RES,
                "A 28-bed residential program for adults in early recovery from alcohol or "
                "drug use, with detox support on admission.",
                site="lodge",
                conditions=("substance_use", "dual_diagnosis", "trauma"),
                therapies=("group", "individual", "mat", "relapse_prevention", "twelve_step"),
                payment=("medicaid", "private", "self_pay"),
                insurers="Anthem; Humana; Passport",
                length_weeks=4,
                accepting=False,
                verified_days_ago=3,
            ),
            DemoProgram(
                "mat-op",
                "Ohio Valley Recovery Center — Outpatient Recovery and MAT",
                OP,
                "Weekly counseling and medication for opioid or alcohol use disorder.",
                tracks=(OP_LUNCH_GROUP,),
                conditions=("substance_use",),
                therapies=("mat", "individual", "group", "motivational"),
                payment=("medicaid", "medicare", "private", "sliding_scale", "free"),
                insurers=KY_MEDICAID_PLANS,
                languages=("en", "es"),
                modality=BOTH,
                hours_per_week=1.5,
            ),
        ],
    ),
    DemoProvider(
        key="highlands-collective",
        name="Highlands Counseling Collective",
        domain="highlandscollective.example.org",
        phone_suffix=63,
        accreditations="",
        sites=[
            DemoSite(
                "bardstown",
                "Bardstown Road office",
                "1932 Willow Lantern Road",
                "40205",
                "Louisville",
                street2="Second floor",
            )
        ],
        programs=[
            DemoProgram(
                "dbt-iop",
                "Highlands Counseling Collective — DBT Intensive Outpatient",
                IOP,
                "A full DBT program: skills group, individual therapy and phone coaching, for "
                "adults with intense emotions, self-harm or chronic suicidal thoughts.",
                tracks=(IOP_AFTERNOON, IOP_EVENING),
                conditions=("self_harm", "depression", "trauma"),
                therapies=("dbt", "group", "individual"),
                payment=("private", "self_pay", "sliding_scale"),
                insurers="Aetna; Anthem",
                hours_per_week=9,
                length_weeks=24,
            ),
            DemoProgram(
                "op",
                "Highlands Counseling Collective — Individual Therapy",
                OP,
                "Weekly therapy with licensed counselors; evening and telehealth appointments.",
                therapies=("cbt", "individual", "emdr", "trauma_focused"),
                conditions=("anxiety", "depression", "trauma", "ocd"),
                payment=("private", "self_pay", "sliding_scale"),
                insurers=ANTHEM_HUMANA_AETNA,
                modality=BOTH,
                hours_per_week=1,
                ages=("adult", "older"),
                tracks=(("Evening appointments", (MON, THU), dt.time(17, 0), dt.time(20, 0)),),
            ),
        ],
    ),
    DemoProvider(
        key="cardinal-youth",
        name="Cardinal Youth & Family Services",
        domain="cardinalyouth.example.org",
        phone_suffix=28,
        sites=[
            DemoSite(
                "main",
                "Cardinal Youth main campus",
                "540 Maple Cardinal Drive",
                "40218",
                "Louisville",
            ),
            DemoSite(
                "east", "Cardinal Youth East", "12110 Tulip Grove Parkway", "40242", "Louisville"
            ),
        ],
        programs=[
            DemoProgram(
                "teen-iop",
                "Cardinal Youth & Family Services — Teen After-School IOP",
                IOP,
                "For teens 13 to 17: after-school groups four days a week, weekly family "
                "therapy, and school coordination.",
                tracks=(IOP_AFTER_SCHOOL,),
                ages=("teen",),
                conditions=("depression", "anxiety", "self_harm"),
                therapies=("dbt", "cbt", "family", "group"),
                payment=("medicaid", "private", "tricare"),
                insurers=BIG_FIVE,
                hours_per_week=12,
                length_weeks=8,
            ),
            DemoProgram(
                "teen-php",
                "Cardinal Youth & Family Services — Adolescent PHP",
                PHP,
                "A weekday day program with on-site schooling for teens who need more than "
                "weekly therapy.",
                tracks=(
                    (
                        "School-day track",
                        (MON, TUE, WED, THU, FRI),
                        dt.time(8, 30),
                        dt.time(14, 30),
                    ),
                ),
                ages=("teen",),
                conditions=("depression", "anxiety", "self_harm", "trauma"),
                therapies=("dbt", "family", "group", "individual", "medication_management"),
                payment=("medicaid", "private", "tricare"),
                insurers=BIG_FIVE,
                hours_per_week=30,
                length_weeks=3,
                accepting=False,
            ),
            DemoProgram(
                "family-op",
                "Cardinal Youth & Family Services — Child and Family Therapy",
                OP,
                "Play therapy, parent coaching and family therapy for children and teens.",
                site="east",
                ages=("child", "teen"),
                conditions=("anxiety", "trauma"),
                therapies=("family", "individual", "trauma_focused", "emdr"),
                payment=("medicaid", "private", "sliding_scale"),
                insurers=KY_MEDICAID_PLANS,
                languages=("en", "es"),
                hours_per_week=1,
                tracks=(
                    ("After-school appointments", (TUE, THU), dt.time(15, 30), dt.time(18, 30)),
                ),
            ),
            DemoProgram(
                "teen-telehealth-iop",
                "Cardinal Youth & Family Services — Virtual Teen IOP",
                IOP,
                "The after-school IOP by secure video, for teens across Kentucky.",
                site=None,
                modality=TELEHEALTH,
                ages=("teen",),
                tracks=(("Evening video track", (MON, TUE, THU), dt.time(16, 0), dt.time(19, 0)),),
                therapies=("dbt", "cbt", "group", "family"),
                payment=("medicaid", "private"),
                insurers=BIG_FIVE,
                hours_per_week=9,
                length_weeks=8,
            ),
        ],
    ),
    DemoProvider(
        key="bluegrass-senior",
        name="Bluegrass Senior Behavioral Health",
        domain="bluegrasssenior.example.org",
        phone_suffix=55,
        sites=[
            DemoSite(
                "st-matthews", "St. Matthews clinic", "310 Hollowbrook Court", "40207", "Louisville"
            )
        ],
        programs=[
            DemoProgram(
                "older-iop",
                "Bluegrass Senior Behavioral Health — Older Adult IOP",
                IOP,
                "Morning groups for adults 60 and over facing depression, grief, anxiety or "
                "memory worries; transport help available.",
                tracks=(IOP_MORNING,),
                ages=("older",),
                conditions=("depression", "anxiety"),
                therapies=("cbt", "group", "individual", "medication_management"),
                payment=("medicare", "medicaid", "private"),
                insurers="Humana; Anthem; Aetna",
                hours_per_week=12,
                length_weeks=6,
            ),
            DemoProgram(
                "older-php",
                "Bluegrass Senior Behavioral Health — Older Adult PHP",
                PHP,
                "Weekday partial hospitalization for older adults, with medical monitoring.",
                tracks=(PHP_DAY,),
                ages=("older",),
                conditions=("depression", "anxiety", "psychosis"),
                therapies=("group", "individual", "medication_management", "family"),
                payment=("medicare", "medicaid"),
                insurers="Humana; Anthem",
                hours_per_week=30,
                length_weeks=2,
            ),
        ],
    ),
    DemoProvider(
        key="derby-city",
        name="Derby City Psychiatric Hospital",
        domain="derbycitypsych.example.org",
        phone_suffix=11,
        accreditations="The Joint Commission; Kentucky Hospital licensing (fictional)",
        sites=[
            DemoSite(
                "campus",
                "Derby City hospital campus",
                "4700 Thoroughbred Hollow Road",
                "40217",
                "Louisville",
            )
        ],
        programs=[
            DemoProgram(
                "adult-inpatient",
                "Derby City Psychiatric Hospital — Adult Inpatient Unit",
                INP,
                "A locked 24-bed unit for adults in a mental-health crisis; admissions 24 hours "
                "a day.",
                conditions=("depression", "bipolar", "psychosis", "self_harm"),
                therapies=("group", "individual", "medication_management"),
                payment=("medicaid", "medicare", "private", "tricare"),
                insurers=BIG_FIVE,
                verified_days_ago=2,
            ),
            DemoProgram(
                "teen-inpatient",
                "Derby City Psychiatric Hospital — Adolescent Inpatient Unit",
                INP,
                "A 12-bed unit for teens 13 to 17, with school on the unit.",
                ages=("teen",),
                conditions=("depression", "self_harm", "psychosis"),
                therapies=("group", "individual", "family", "medication_management"),
                payment=("medicaid", "private", "tricare"),
                insurers=BIG_FIVE,
                accepting=False,
                verified_days_ago=2,
            ),
            DemoProgram(
                "step-down-php",
                "Derby City Psychiatric Hospital — Step-Down PHP",
                PHP,
                "Partial hospitalization for adults leaving the inpatient unit.",
                tracks=(PHP_DAY,),
                therapies=("cbt", "group", "medication_management"),
                payment=("medicaid", "medicare", "private"),
                insurers=BIG_FIVE,
                hours_per_week=30,
                length_weeks=2,
            ),
        ],
    ),
    DemoProvider(
        key="shawnee-park",
        name="Shawnee Park Community Mental Health",
        domain="shawneeparkcmh.example.org",
        phone_suffix=90,
        accreditations="CARF",
        sites=[
            DemoSite(
                "west", "Park Hill center", "3605 Elm Shadow Boulevard", "40210", "Louisville"
            ),
            DemoSite(
                "south", "South End office", "5120 Cedar Crossing Road", "40214", "Louisville"
            ),
        ],
        programs=[
            DemoProgram(
                "iop-es",
                "Shawnee Park Community Mental Health — IOP en español",
                IOP,
                "Grupos de terapia en español tres tardes por semana. Spanish-language IOP for "
                "adults.",
                tracks=(IOP_EVENING,),
                languages=("es", "en"),
                therapies=("cbt", "group", "individual", "family"),
                payment=("medicaid", "sliding_scale", "free"),
                insurers=KY_MEDICAID_PLANS,
                hours_per_week=9,
                length_weeks=8,
            ),
            DemoProgram(
                "op",
                "Shawnee Park Community Mental Health — Outpatient Counseling",
                OP,
                "Walk-in assessments and weekly counseling on a sliding scale; no one is turned "
                "away for inability to pay.",
                tracks=(OP_DAY_GROUP, OP_EVENING_GROUP),
                ages=("child", "teen", "adult", "older"),
                conditions=("depression", "anxiety", "trauma", "substance_use"),
                therapies=("cbt", "individual", "group", "medication_management"),
                payment=("medicaid", "medicare", "sliding_scale", "free"),
                insurers=KY_MEDICAID_PLANS,
                languages=("en", "es"),
                modality=BOTH,
                hours_per_week=1,
            ),
            DemoProgram(
                "south-iop",
                "Shawnee Park Community Mental Health — South End Co-occurring IOP",
                IOP,
                "Integrated treatment for mental health and substance use, mornings.",
                site="south",
                tracks=(IOP_MORNING,),
                conditions=("dual_diagnosis", "substance_use", "depression"),
                therapies=("group", "individual", "motivational", "mat", "relapse_prevention"),
                payment=("medicaid", "sliding_scale"),
                insurers=KY_MEDICAID_PLANS,
                hours_per_week=12,
                length_weeks=10,
            ),
        ],
    ),
    DemoProvider(
        key="cherokee-ed",
        name="Cherokee Trail Eating Disorder Program",
        domain="cherokeetrail-ed.example.org",
        phone_suffix=74,
        sites=[
            DemoSite(
                "main", "Cherokee Trail clinic", "9020 Linden Orchard Drive", "40222", "Louisville"
            )
        ],
        programs=[
            DemoProgram(
                "ed-php",
                "Cherokee Trail Eating Disorder Program — PHP",
                PHP,
                "Supported meals, dietitian sessions and therapy, weekdays.",
                tracks=(
                    (
                        "Day track with two meals",
                        (MON, TUE, WED, THU, FRI),
                        dt.time(8, 0),
                        dt.time(14, 0),
                    ),
                ),
                ages=("teen", "adult"),
                conditions=("eating_disorders", "anxiety"),
                therapies=("cbt", "dbt", "family", "group", "individual"),
                payment=("private", "self_pay"),
                insurers="Anthem; Aetna; UnitedHealthcare",
                hours_per_week=30,
                length_weeks=4,
            ),
            DemoProgram(
                "ed-iop",
                "Cherokee Trail Eating Disorder Program — Evening IOP",
                IOP,
                "Three evenings with a supported dinner, for people stepping down from PHP.",
                tracks=(
                    ("Evening track with dinner", (MON, TUE, THU), dt.time(17, 0), dt.time(20, 0)),
                ),
                ages=("teen", "adult"),
                conditions=("eating_disorders",),
                therapies=("cbt", "dbt", "group", "family"),
                payment=("private", "self_pay"),
                insurers="Anthem; Aetna; UnitedHealthcare",
                hours_per_week=9,
                length_weeks=8,
            ),
        ],
    ),
    DemoProvider(
        key="lakeside-trauma",
        name="Lakeside Trauma Recovery",
        domain="lakesidetrauma.example.org",
        phone_suffix=36,
        accreditations="",
        sites=[
            DemoSite(
                "jeffersontown",
                "Jeffersontown office",
                "10400 Heron Point Road",
                "40299",
                "Jeffersontown",
            )
        ],
        programs=[
            DemoProgram(
                "trauma-iop",
                "Lakeside Trauma Recovery — Trauma-Focused IOP",
                IOP,
                "Evening trauma-focused groups and weekly EMDR, for survivors of abuse, "
                "violence or combat.",
                tracks=(IOP_EVENING_TTH, IOP_SATURDAY),
                conditions=("trauma", "depression"),
                therapies=("emdr", "trauma_focused", "group", "individual"),
                payment=("private", "tricare", "self_pay", "sliding_scale"),
                insurers="Humana Military; Anthem; Aetna",
                modality=BOTH,
                hours_per_week=10,
                length_weeks=12,
            ),
            DemoProgram(
                "trauma-op",
                "Lakeside Trauma Recovery — EMDR and Trauma Therapy",
                OP,
                "Weekly individual trauma therapy.",
                conditions=("trauma",),
                therapies=("emdr", "trauma_focused", "individual"),
                payment=("private", "tricare", "self_pay"),
                insurers="Anthem; Aetna",
                hours_per_week=1,
                accepting=None,
            ),
        ],
    ),
    DemoProvider(
        key="falls-city-veterans",
        name="Falls City Veterans Counseling",
        domain="fallscityvets.example.org",
        phone_suffix=51,
        sites=[
            DemoSite(
                "middletown", "Middletown office", "201 Blue Star Parkway", "40243", "Middletown"
            )
        ],
        programs=[
            DemoProgram(
                "vet-iop",
                "Falls City Veterans Counseling — Veterans Evening IOP",
                IOP,
                "An evening IOP for veterans, service members and their families.",
                tracks=(IOP_EVENING,),
                conditions=("trauma", "substance_use", "depression"),
                therapies=("cbt", "trauma_focused", "group", "relapse_prevention"),
                payment=("tricare", "medicare", "private"),
                insurers="TriWest (fictional plan)",
                hours_per_week=9,
                length_weeks=8,
            ),
            DemoProgram(
                "vet-op",
                "Falls City Veterans Counseling — Outpatient",
                OP,
                "Weekly counseling in person or by video.",
                conditions=("trauma", "anxiety"),
                therapies=("cbt", "individual", "emdr"),
                payment=("tricare", "medicare", "private", "free"),
                modality=TELEHEALTH,
                hours_per_week=1,
                ages=("adult", "older"),
            ),
        ],
    ),
    DemoProvider(
        key="middletown-newcomers",
        name="Newcomer Wellness Center",
        domain="newcomerwellness.example.org",
        phone_suffix=83,
        accreditations="",
        sites=[
            DemoSite(
                "main",
                "Newcomer Wellness Center",
                "7600 Harmony Landing Road",
                "40219",
                "Louisville",
            )
        ],
        programs=[
            DemoProgram(
                "multilingual-op",
                "Newcomer Wellness Center — Multilingual Counseling",
                OP,
                "Counseling for refugees and immigrants with counselors who speak Arabic, "
                "Swahili, Vietnamese and Spanish, and free interpreters for other languages.",
                ages=("teen", "adult", "older"),
                conditions=("trauma", "depression", "anxiety"),
                therapies=("individual", "trauma_focused", "family"),
                languages=("en", "ar", "sw", "vi", "es"),
                payment=("medicaid", "free", "sliding_scale"),
                insurers=KY_MEDICAID_PLANS,
                tracks=(OP_DAY_GROUP,),
                hours_per_week=1,
            ),
            DemoProgram(
                "multilingual-iop",
                "Newcomer Wellness Center — Trauma Recovery IOP",
                IOP,
                "A daytime IOP run in Arabic and in Swahili, with interpreters for others.",
                tracks=(IOP_MORNING,),
                conditions=("trauma", "depression"),
                therapies=("trauma_focused", "group", "individual"),
                languages=("ar", "sw", "en"),
                payment=("medicaid", "free"),
                insurers="Passport; WellCare",
                hours_per_week=12,
                length_weeks=8,
            ),
        ],
    ),
    DemoProvider(
        key="silent-bridge",
        name="Silent Bridge Deaf Wellness",
        domain="silentbridge.example.org",
        phone_suffix=19,
        accreditations="",
        sites=[
            DemoSite("main", "Silent Bridge office", "850 Signal Tree Lane", "40208", "Louisville")
        ],
        programs=[
            DemoProgram(
                "asl-iop",
                "Silent Bridge Deaf Wellness — ASL Intensive Outpatient",
                IOP,
                "An IOP run directly in American Sign Language by Deaf clinicians; video phone "
                "intake.",
                tracks=(IOP_AFTERNOON,),
                languages=("asl", "en"),
                therapies=("cbt", "dbt", "group", "individual"),
                payment=("medicaid", "medicare", "private"),
                insurers=ANTHEM_HUMANA_AETNA,
                modality=BOTH,
                hours_per_week=9,
                length_weeks=8,
            ),
        ],
    ),
    DemoProvider(
        key="knobs-hill",
        name="Knobs Hill Behavioral Health",
        domain="knobshill.example.org",
        phone_suffix=67,
        area_code="812",
        license="Indiana Family and Social Services Administration (fictional license)",
        sites=[
            DemoSite(
                "new-albany",
                "Knobs Hill New Albany",
                "1440 Ridge Lantern Road",
                "47150",
                "New Albany",
                state="IN",
            ),
            DemoSite(
                "jeffersonville",
                "Knobs Hill Clarksville",
                "620 Riverside Echo Drive",
                "47129",
                "Clarksville",
                state="IN",
            ),
        ],
        programs=[
            DemoProgram(
                "iop",
                "Knobs Hill Behavioral Health — Adult IOP",
                IOP,
                "Morning or evening tracks, for adults in Southern Indiana.",
                tracks=(IOP_MORNING, IOP_EVENING),
                therapies=("cbt", "group", "individual"),
                payment=("medicaid", "medicare", "private"),
                insurers="Anthem; CareSource; MDwise (fictional list)",
                hours_per_week=12,
                length_weeks=8,
            ),
            DemoProgram(
                "residential",
                "Knobs Hill Behavioral Health — Women's Residential",
                RES,
                "Residential mental-health and substance-use treatment for women.",
                conditions=("dual_diagnosis", "trauma", "substance_use"),
                therapies=("group", "individual", "trauma_focused", "mat"),
                payment=("medicaid", "private", "self_pay"),
                insurers="Anthem; CareSource",
                length_weeks=6,
            ),
            DemoProgram(
                "jeff-op",
                "Knobs Hill Behavioral Health — Clarksville Outpatient",
                OP,
                "Weekly therapy and medication management.",
                site="jeffersonville",
                ages=("adult", "older"),
                therapies=("cbt", "individual", "medication_management"),
                payment=("medicaid", "medicare", "private", "sliding_scale"),
                insurers="Anthem; CareSource",
                hours_per_week=1,
                tracks=(OP_LUNCH_GROUP,),
            ),
        ],
    ),
    DemoProvider(
        key="kentucky-river",
        name="Kentucky River Recovery Lodge",
        domain="kyriverlodge.example.org",
        phone_suffix=48,
        area_code="859",
        accreditations="CARF",
        sites=[
            DemoSite(
                "lexington", "Lexington campus", "220 Limestone Hollow Road", "40507", "Lexington"
            ),
            DemoSite(
                "south-lex", "South Lexington office", "3300 Horse Park Way", "40503", "Lexington"
            ),
        ],
        programs=[
            DemoProgram(
                "residential",
                "Kentucky River Recovery Lodge — Residential Recovery",
                RES,
                "Residential substance-use treatment with a family weekend.",
                conditions=("substance_use", "dual_diagnosis"),
                therapies=("group", "individual", "twelve_step", "mat", "relapse_prevention"),
                payment=("medicaid", "private", "self_pay"),
                insurers="Anthem; Humana; WellCare",
                length_weeks=4,
                accepting=True,
                verified_days_ago=40,
            ),
            DemoProgram(
                "iop",
                "Kentucky River Recovery Lodge — Step-Down IOP",
                IOP,
                "Evening IOP after residential care or instead of it.",
                site="south-lex",
                tracks=(IOP_EVENING_TTH,),
                conditions=("substance_use",),
                therapies=("group", "relapse_prevention", "twelve_step", "motivational"),
                payment=("medicaid", "private", "sliding_scale"),
                insurers="Anthem; Humana; WellCare",
                hours_per_week=9,
                length_weeks=12,
            ),
        ],
    ),
    DemoProvider(
        key="hardin-valley",
        name="Hardin Valley Behavioral Hospital",
        domain="hardinvalley.example.org",
        phone_suffix=31,
        area_code="270",
        sites=[
            DemoSite(
                "main", "Hardin Valley campus", "1800 Knob Creek Trace", "42701", "Elizabethtown"
            )
        ],
        programs=[
            DemoProgram(
                "inpatient",
                "Hardin Valley Behavioral Hospital — Inpatient Unit",
                INP,
                "Inpatient psychiatric care for adults and older adults.",
                ages=("adult", "older"),
                conditions=("depression", "bipolar", "psychosis"),
                therapies=("group", "medication_management", "individual"),
                payment=("medicaid", "medicare", "tricare", "private"),
                insurers=BIG_FIVE,
            ),
            DemoProgram(
                "php",
                "Hardin Valley Behavioral Hospital — PHP",
                PHP,
                "Weekday partial hospitalization; serves Fort Knox families.",
                tracks=(PHP_DAY,),
                therapies=("cbt", "group", "medication_management"),
                payment=("medicaid", "medicare", "tricare", "private"),
                insurers=BIG_FIVE,
                hours_per_week=30,
                length_weeks=3,
            ),
            DemoProgram(
                "iop",
                "Hardin Valley Behavioral Hospital — Evening IOP",
                IOP,
                "Evening IOP for working adults and military families.",
                tracks=(IOP_EVENING,),
                therapies=("cbt", "dbt", "group"),
                payment=("medicaid", "tricare", "private"),
                insurers=BIG_FIVE,
                hours_per_week=9,
                length_weeks=8,
                verified_days_ago=120,
            ),
        ],
    ),
    DemoProvider(
        key="fern-creek",
        name="Fern Creek Wellness",
        domain="ferncreekwellness.example.org",
        phone_suffix=24,
        accreditations="",
        sites=[
            DemoSite("main", "Fern Creek office", "6200 Bramble Fern Road", "40291", "Louisville"),
            DemoSite(
                "hikes-point",
                "Hikes Point office",
                "7410 Preston Meadow Way",
                "40220",
                "Louisville",
            ),
        ],
        programs=[
            DemoProgram(
                "iop",
                "Fern Creek Wellness — Hybrid IOP",
                IOP,
                "Join in person or by video; afternoon and evening tracks.",
                tracks=(IOP_AFTERNOON, IOP_EVENING_TTH),
                modality=BOTH,
                therapies=("cbt", "dbt", "group", "individual"),
                payment=("medicaid", "private", "sliding_scale"),
                insurers=KY_MEDICAID_PLANS,
                hours_per_week=9,
                length_weeks=8,
            ),
            DemoProgram(
                "op",
                "Fern Creek Wellness — Hikes Point Counseling",
                OP,
                "Weekly counseling for adults and teens.",
                site="hikes-point",
                ages=("teen", "adult"),
                therapies=("cbt", "individual", "family"),
                payment=("medicaid", "private", "self_pay"),
                insurers=KY_MEDICAID_PLANS,
                hours_per_week=1,
                tracks=(OP_EVENING_GROUP,),
            ),
        ],
    ),
    DemoProvider(
        key="east-end",
        name="East End Psychiatric Associates",
        domain="eastendpsych.example.org",
        phone_suffix=70,
        accreditations="",
        sites=[
            DemoSite(
                "hurstbourne",
                "Hurstbourne office",
                "9700 Laurel Commons Drive",
                "40223",
                "Louisville",
            ),
            DemoSite("prospect", "Prospect office", "5900 Harbor Oak Lane", "40241", "Louisville"),
        ],
        programs=[
            DemoProgram(
                "med-op",
                "East End Psychiatric Associates — Psychiatry and Therapy",
                OP,
                "Psychiatric evaluation, medication management and therapy.",
                ages=("adult", "older"),
                conditions=("depression", "anxiety", "bipolar", "ocd"),
                therapies=("medication_management", "cbt", "individual"),
                payment=("medicare", "private", "self_pay"),
                insurers=BIG_FIVE,
                modality=BOTH,
                hours_per_week=1,
            ),
            DemoProgram(
                "ocd-iop",
                "East End Psychiatric Associates — OCD and Anxiety IOP",
                IOP,
                "Exposure and response prevention in a small group, three mornings a week.",
                site="prospect",
                tracks=(("Morning track", (MON, WED, FRI), dt.time(9, 0), dt.time(12, 0)),),
                ages=("teen", "adult"),
                conditions=("ocd", "anxiety"),
                therapies=("cbt", "group", "individual"),
                payment=("private", "self_pay"),
                insurers="Anthem; Aetna; UnitedHealthcare",
                hours_per_week=9,
                length_weeks=10,
            ),
        ],
    ),
    DemoProvider(
        key="germantown",
        name="Germantown Peer and Recovery House",
        domain="germantownrecovery.example.org",
        phone_suffix=95,
        accreditations="",
        sites=[
            DemoSite("main", "Germantown house", "1050 Lantern Mill Street", "40203", "Louisville")
        ],
        programs=[
            DemoProgram(
                "iop",
                "Germantown Peer and Recovery House — Recovery IOP",
                IOP,
                "Daytime substance-use IOP with peer support specialists, free for people "
                "without insurance.",
                tracks=(IOP_MORNING,),
                conditions=("substance_use", "dual_diagnosis"),
                therapies=("group", "relapse_prevention", "twelve_step", "motivational"),
                payment=("medicaid", "free"),
                insurers=KY_MEDICAID_PLANS,
                hours_per_week=12,
                length_weeks=8,
                verified_days_ago=60,
            ),
        ],
    ),
    DemoProvider(
        key="valley-station",
        name="Valley Station Family Counseling",
        domain="valleystationfamily.example.org",
        phone_suffix=59,
        accreditations="",
        sites=[
            DemoSite(
                "main", "Valley Station office", "4300 Dixie Willow Road", "40216", "Louisville"
            ),
            DemoSite("iroquois", "Iroquois office", "1720 Cedar Brook Road", "40215", "Louisville"),
        ],
        programs=[
            DemoProgram(
                "family-op",
                "Valley Station Family Counseling — Family Therapy",
                OP,
                "Family and couples therapy, evenings and Saturdays.",
                ages=("child", "teen", "adult"),
                therapies=("family", "individual", "cbt"),
                payment=("medicaid", "private", "sliding_scale"),
                insurers=KY_MEDICAID_PLANS,
                hours_per_week=1,
                tracks=(("Saturday appointments", (SAT,), dt.time(9, 0), dt.time(13, 0)),),
            ),
            DemoProgram(
                "teen-iop",
                "Valley Station Family Counseling — Iroquois Teen IOP",
                IOP,
                "After-school IOP for teens, with a weekly parent group.",
                site="iroquois",
                tracks=(IOP_AFTER_SCHOOL,),
                ages=("teen",),
                therapies=("dbt", "family", "group"),
                payment=("medicaid", "private"),
                insurers=KY_MEDICAID_PLANS,
                hours_per_week=12,
                length_weeks=8,
                languages=("en", "es"),
            ),
        ],
    ),
    DemoProvider(
        key="beechmont",
        name="Beechmont Behavioral Clinic",
        domain="beechmontclinic.example.org",
        phone_suffix=33,
        accreditations="",
        sites=[
            DemoSite(
                "main", "Beechmont clinic", "3900 Magnolia Hollow Avenue", "40213", "Louisville"
            )
        ],
        programs=[
            DemoProgram(
                "op",
                "Beechmont Behavioral Clinic — Outpatient",
                OP,
                "Weekly therapy and a monthly medication visit.",
                ages=("adult", "older"),
                therapies=("cbt", "individual", "medication_management"),
                payment=("medicaid", "medicare", "private"),
                insurers=BIG_FIVE,
                hours_per_week=1,
                languages=("en", "vi"),
            ),
        ],
    ),
    DemoProvider(
        key="portland-bridge",
        name="Portland Bridge Counseling",
        domain="portlandbridge.example.org",
        phone_suffix=46,
        accreditations="",
        sites=[
            DemoSite(
                "main", "Portland Bridge office", "2400 Canal Lantern Street", "40212", "Louisville"
            )
        ],
        programs=[
            DemoProgram(
                "iop",
                "Portland Bridge Counseling — Saturday and Evening IOP",
                IOP,
                "An IOP for people who work weekdays: two evenings and Saturday morning.",
                tracks=(IOP_EVENING_TTH, IOP_SATURDAY),
                conditions=("depression", "anxiety", "substance_use"),
                therapies=("cbt", "group", "motivational"),
                payment=("medicaid", "sliding_scale", "self_pay"),
                insurers=KY_MEDICAID_PLANS,
                hours_per_week=10,
                length_weeks=8,
            ),
        ],
    ),
]
