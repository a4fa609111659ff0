"""The shapes the API reads and writes: these make the OpenAPI schema.

Plain pydantic models, not ninja's ``Schema``: the routes hand over dicts,
and ``Schema``'s validator for reading attributes off ORM objects cost a
third of the time of a year's check-ins (benchmarks/bench_api.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Error(BaseModel):
    detail: str = Field(description="What went wrong, in plain words.")
    errors: list[dict[str, Any]] = Field(default_factory=list, description="Field by field, when there are several.")


class Conflict(BaseModel):
    field: str
    label: str
    yours: str
    saved: str
    changed_by_you: bool


class StaleError(Error):
    """409: the day was saved since the version you sent, or the client_id named another day."""

    version: str | None = Field(None, description="The version stored now: send it back to overwrite knowingly.")
    conflicts: list[Conflict] = Field(default_factory=list)


class Symptom(BaseModel):
    id: int
    key: str = Field(description="Names the symptom in a check-in's scores.")
    name: str
    scale_min: int
    scale_max: int
    lower_is_better: bool
    is_active: bool
    is_custom: bool


class SymptomIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=200)
    lower_is_better: bool = True
    scale_max: int = Field(10, description="10, 5 or 3.")


class Tag(BaseModel):
    id: int
    key: str = Field(description="Names the tag in a check-in's tags.")
    name: str
    is_builtin: bool


class CheckIn(BaseModel):
    day: dt.date
    version: str = Field(description="Send it back with a PUT to be told about a save made since (409).")
    scores: dict[str, int] = Field(description="Symptom key to score; a symptom not answered is absent.")
    hours_slept: float | None
    pain_regions: list[str]
    tags: list[str] = Field(description="Tag keys.")
    note: str
    updated_at: dt.datetime


class CheckInSaved(CheckIn):
    changed: bool = Field(description="False when nothing new was saved (a replay, or the same answers).")


class CheckInIn(BaseModel):
    """The whole day: what it leaves out is saved as not answered."""

    model_config = ConfigDict(extra="forbid")
    client_id: uuid.UUID = Field(
        description="A new random UUID for each save. Sending the same save again with it saves once."
    )
    version: str | None = Field(
        None, max_length=64, description="The version you read (or 'new'); omit to overwrite without a check."
    )
    scores: dict[str, int | None] = Field(default_factory=dict, description="Symptom key to score.")
    hours_slept: float | None = None
    pain_regions: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list, description="Tag keys.")
    note: str = ""


class DoseChange(BaseModel):
    effective_on: dt.date
    amount: str = Field(description="A decimal number, as text so that nothing is rounded.")
    unit: str
    reason: str


class Treatment(BaseModel):
    id: int
    key: str
    name: str
    category: str
    is_own: bool


class Regimen(BaseModel):
    id: int
    treatment: Treatment
    unit: str
    form: str
    schedule: str
    started_on: dt.date
    stopped_on: dt.date | None
    stop_reason: str
    prescriber: str
    note: str
    dose_changes: list[DoseChange]


class Dose(BaseModel):
    regimen_id: int
    day: dt.date
    slot: int
    status: str
    amount: str | None
    unit: str


class SideEffect(BaseModel):
    id: int
    key: str
    name: str
    severity: str
    onset_on: dt.date
    is_ongoing: bool
    ended_on: dt.date | None
    regimen_id: int | None
    note: str


class SideEffectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=200)
    severity: str = Field(description="mild, moderate or severe.")
    onset_on: dt.date
    is_ongoing: bool = True
    ended_on: dt.date | None = None
    regimen_id: int | None = None
    note: str = ""


class TagIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=200, description="The same name again (any case) answers the existing tag.")


SAFETY = "true once you have read the safety warning a 409 answered (as the page's tick box)."


class RegimenIn(BaseModel):
    """Start a treatment: the fields of the page's "Add a treatment" form."""

    model_config = ConfigDict(extra="forbid")
    treatment_key: str | None = Field(None, max_length=60, description="A catalogue treatment's key, or your own's.")
    treatment_id: int | None = Field(None, description="Instead of treatment_key.")
    amount: str | None = Field(None, max_length=20, description="The dose each time; omit with a titration plan.")
    unit: str = Field(max_length=12)
    form: str = Field("", max_length=20)
    schedule: str = Field("daily", description="daily, nightly, several, weekly or as_needed.")
    times: list[str] = Field(default_factory=list, max_length=12, description="For daily: 08:00, 20:00...")
    doses_per_day: int | None = Field(None, description="For several.")
    weekdays: list[int] = Field(default_factory=list, max_length=7, description="For weekly: 0 is Monday.")
    started_on: dt.date | None = Field(None, description="Default: today.")
    stopped_on: dt.date | None = None
    stop_reason: str = Field("", max_length=20)
    plan: str = Field("", max_length=20, description="A titration plan's key (ldn_standard, ldn_slow, ldn_case).")
    prescriber: str = Field("", max_length=200)
    note: str = Field("", max_length=4000)
    acknowledged_safety: bool = Field(False, description=SAFETY)


class RegimenSaved(Regimen):
    warnings: list[str] = Field(description="Safety notes to read (and discuss with your prescriber).")


class DoseChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    effective_on: dt.date | None = Field(None, description="Default: today.")
    amount: str = Field(max_length=20, description="The new dose, a decimal number.")
    unit: str | None = Field(None, max_length=12, description="Default: the regimen's unit.")
    reason: str = Field("prescriber", description="prescriber, side_effects, not_helping, own_choice or other.")
    note: str = Field("", max_length=4000)


class StopIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    stopped_on: dt.date | None = Field(None, description="The last day you took it. Default: today.")
    reason: str = Field(max_length=20, description="did_not_help, side_effects, cost, doctors_advice or other.")
    note: str = Field("", max_length=4000)


class DoseIn(BaseModel):
    """One dose of one day: sending it again changes nothing (a dose is its regimen, day and slot)."""

    model_config = ConfigDict(extra="forbid")
    slot: int = Field(0, ge=0, le=11, description="Which dose of the day, from 0.")
    status: str = Field(description="taken, skipped or different ('none' clears an as-needed dose).")
    amount: str | None = Field(None, max_length=20, description="The dose you took, for different or as needed.")
    acknowledged_safety: bool = Field(False, description=SAFETY)


class DoseSaved(Dose):
    changed: bool = Field(description="False when this was already recorded.")


class TrialSegment(BaseModel):
    label: str
    start: dt.date
    end: dt.date
    days: int
    blinded: bool
    current: bool
    past: bool
    detail: str


class TrialToday(BaseModel):
    day: dt.date
    number: int
    total: int
    segment: str
    instruction: str
    container: str | None = Field(description="The bottle to take today, in a blinded trial.")


class Trial(BaseModel):
    id: int
    title: str
    status: str
    blinded: bool
    blind_now: bool = Field(description="While true, nothing here says which phase is which.")
    treatment_name: str
    control_name: str
    primary_outcome: str
    start_date: dt.date | None
    summary: str
    segments: list[TrialSegment]
    today: TrialToday | None
