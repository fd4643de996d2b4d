"""What each flag asks staff to do, separate from the words the person was shown.

The rules (``assessment.rules.FLAG_RULES``) store each flag as ``{"code", "text"}``, where the
text speaks to the person ("You don't have to wait: call 988"). Staff read the action here, by
code; a flag with a code not listed falls back to the stored text, so nothing is ever hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

STAFF_TEXTS = {
    "suicide_risk_review": _("Same-day clinician review: C-SSRS or PHQ-9 item 9 positive."),
    "harm_to_others_review": _("Same-day clinician review: thoughts of harming others."),
    "withdrawal_risk": _("Withdrawal risk: medical review before any cut-down."),
    "withdrawal_management": _("Refer to medically monitored withdrawal management (detox)."),
    "opioid_use": _("Opioid use: offer MOUD (buprenorphine, methadone, naltrexone) and naloxone."),
    "recent_overdose": _("Overdose in the past 3 months: same-day outreach; naloxone."),
    "alcohol_brief_advice": _("AUDIT-C positive: brief alcohol advice."),
    "dual_diagnosis": _("Co-occurring substance use: look for dual-diagnosis care."),
    "eating_disorder": _("SCOFF positive: eating-disorder specialist and medical check."),
    "trauma": _("PC-PTSD-5 positive: trauma-focused therapy."),
    "psychosis_or_mania": _("Possible psychosis or mania: psychiatric assessment."),
}


@dataclass(frozen=True)
class StaffFlag:
    code: str
    staff_text: str
    patient_text: str


def staff_flags(stored) -> list[StaffFlag]:
    """Each stored flag with its staff action and the words the person saw."""
    flags = []
    for item in stored or []:
        if isinstance(item, dict):
            code = str(item.get("code") or "")
            patient = str(item.get("text") or "")
        else:
            code, patient = "", str(item)
        staff = STAFF_TEXTS.get(code)
        flags.append(StaffFlag(code, str(staff) if staff else patient or code, patient))
    return flags
