"""Who does what in a study, and what each role may see. Pure data, no Django models.

The roles follow how blinded trials are run (ICH E6 good clinical practice):

* the **principal investigator** (PI) is responsible for the study and its protocol;
* a **coordinator** runs enrolment and visits day to day;
* a **blinded assessor** enters lab measures and never sees the allocation;
* the **pharmacist** (unblinded custodian) holds the allocation, prints bottle
  labels and keeps the dispensing log; nobody else sees who takes what until
  the study is unblinded;
* a **data monitor** reads everything needed for safety (adverse events,
  withdrawals, completion) but changes nothing.

Participants are not a staff role: they are ``Participant`` rows and see only
their own part.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PI, COORDINATOR, ASSESSOR, PHARMACIST, MONITOR = "pi", "coordinator", "assessor", "pharmacist", "monitor"

CHOICES = [
    (PI, _("Principal investigator")),
    (COORDINATOR, _("Coordinator")),
    (ASSESSOR, _("Blinded assessor")),
    (PHARMACIST, _("Pharmacist (holds the allocation)")),
    (MONITOR, _("Data monitor")),
]

#: May see which arm or order each participant was allocated to, before the study is unblinded.
SEES_ALLOCATION = frozenset({PHARMACIST})
#: May see participants' identities (names, e-mail): every access is logged (``AccessLogEntry``).
SEES_IDENTITY = frozenset({PI, COORDINATOR})
#: May see the monitoring dashboard (enrolment, completion, adherence, adverse events, withdrawals).
SEES_MONITORING = frozenset({PI, COORDINATOR, MONITOR})
#: May enter lab measures at visits.
ENTERS_MEASURES = frozenset({ASSESSOR, COORDINATOR})
#: May change the study: protocol, consent text, invitations, staff.
MANAGES = frozenset({PI})
#: May run enrolment: invite codes, screening decisions, withdrawals on a participant's behalf.
ENROLS = frozenset({PI, COORDINATOR})
#: Alerted at once of a serious adverse event or an emergency unblinding.
ALERTED = frozenset({PI, MONITOR})
#: Sees the pooled result once the dataset is locked and the study unblinded.
SEES_RESULTS = frozenset({PI, COORDINATOR, MONITOR, ASSESSOR, PHARMACIST})
#: May download the de-identified dataset, its data dictionary and the FHIR export (logged), after unblinding.
EXPORTS_DATA = frozenset({PI, COORDINATOR, MONITOR})
