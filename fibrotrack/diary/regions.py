"""The 19 body regions of the Widespread Pain Index (ACR 2016).

``area`` groups them into the five regions used for "generalized pain".
Jaw, chest and abdomen count towards the WPI but not towards generalized
pain (Wolfe et al. 2016), hence ``counts_for_generalized``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_noop as _
from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Region:
    code: str
    name: str  # the English label, marked for translation; ``label`` is it in the active language
    area: str
    counts_for_generalized: bool = True

    @property
    def label(self) -> str:
        return gettext(self.name)


LEFT_UPPER = "left upper"
RIGHT_UPPER = "right upper"
LEFT_LOWER = "left lower"
RIGHT_LOWER = "right lower"
AXIAL = "axial"
AREAS = (LEFT_UPPER, RIGHT_UPPER, LEFT_LOWER, RIGHT_LOWER, AXIAL)

REGIONS: tuple[Region, ...] = (
    Region("jaw_l", _("Left jaw"), LEFT_UPPER, counts_for_generalized=False),
    Region("jaw_r", _("Right jaw"), RIGHT_UPPER, counts_for_generalized=False),
    Region("shoulder_l", _("Left shoulder"), LEFT_UPPER),
    Region("shoulder_r", _("Right shoulder"), RIGHT_UPPER),
    Region("upper_arm_l", _("Left upper arm"), LEFT_UPPER),
    Region("upper_arm_r", _("Right upper arm"), RIGHT_UPPER),
    Region("lower_arm_l", _("Left lower arm"), LEFT_UPPER),
    Region("lower_arm_r", _("Right lower arm"), RIGHT_UPPER),
    Region("hip_l", _("Left hip or buttock"), LEFT_LOWER),
    Region("hip_r", _("Right hip or buttock"), RIGHT_LOWER),
    Region("upper_leg_l", _("Left upper leg"), LEFT_LOWER),
    Region("upper_leg_r", _("Right upper leg"), RIGHT_LOWER),
    Region("lower_leg_l", _("Left lower leg"), LEFT_LOWER),
    Region("lower_leg_r", _("Right lower leg"), RIGHT_LOWER),
    Region("neck", _("Neck"), AXIAL),
    Region("upper_back", _("Upper back"), AXIAL),
    Region("lower_back", _("Lower back"), AXIAL),
    Region("chest", _("Chest"), AXIAL, counts_for_generalized=False),
    Region("abdomen", _("Abdomen"), AXIAL, counts_for_generalized=False),
)
BY_CODE = {r.code: r for r in REGIONS}
# The body map's reading order: row by row from head to feet as seen on a
# front view (the person's right on the left of the screen), then the axial
# regions. Keyboard and screen-reader order then matches what is on screen.
_PAIRS = ("jaw", "shoulder", "upper_arm", "lower_arm", "hip", "upper_leg", "lower_leg")
MAP_ORDER = [f"{p}_{side}" for p in _PAIRS for side in ("r", "l")] + [
    "neck",
    "upper_back",
    "chest",
    "lower_back",
    "abdomen",
]
MAP_CHOICES: list[tuple[str, StrOrPromise]] = [(code, gettext_lazy(BY_CODE[code].name)) for code in MAP_ORDER]
assert len(REGIONS) == 19  # noqa: S101  (the WPI is defined on exactly 19 regions)
assert sorted(MAP_ORDER) == sorted(BY_CODE)  # noqa: S101
