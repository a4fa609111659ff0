"""Synthetic diaries with known truth, for simulations, demos and benchmarks.

The noise is a stationary Gaussian AR(1) process on calendar days, the model
the analysis assumes; :func:`simulate_diary` can also drop days at random
(missing completely at random) and optionally clip values to the scale.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from .data import FloatArray


def ar1_noise(rng: np.random.Generator, n_series: int, n_days: int, sd: float, rho: float) -> FloatArray:
    """Stationary AR(1) noise with marginal SD ``sd``, one series per row."""
    if not -1.0 < rho < 1.0:
        raise ValueError("rho must be strictly between -1 and 1")
    e = np.empty((n_series, n_days))
    e[:, 0] = rng.normal(0.0, sd, n_series)
    innov = rng.normal(0.0, sd * math.sqrt(1.0 - rho * rho), (n_series, n_days))
    for i in range(1, n_days):
        e[:, i] = rho * e[:, i - 1] + innov[:, i]
    return e


def phase_labels(phases: Sequence[tuple[str, int]]) -> npt.NDArray[np.object_]:
    """One label per day for a plan like ``[("baseline", 14), ("ldn", 56)]``."""
    return np.concatenate([np.full(days, name, dtype=object) for name, days in phases])


def simulate_diary(
    phases: Sequence[tuple[str, int]],
    means: Mapping[str, float],
    *,
    sd: float = 1.5,
    rho: float = 0.3,
    seed: int | np.random.Generator = 0,
    missing_fraction: float = 0.0,
    drop_rows: bool = True,
    clip: tuple[float, float] | None = None,
    outcome: str = "pain",
    start: dt.date = dt.date(2024, 1, 1),
    adherence: float | None = None,
) -> pd.DataFrame:
    """A daily diary with true phase means ``means`` plus AR(1) noise.

    Missing days are removed as rows when ``drop_rows`` (a day nobody
    entered) or kept with NaN (an entry without this outcome).  With
    ``adherence`` a ``taken`` column is added, 1 with that probability.
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    labels = phase_labels(phases)
    n = labels.size
    mu = np.array([means[str(p)] for p in labels], dtype=np.float64)
    y = mu + ar1_noise(rng, 1, n, sd, rho)[0]
    if clip is not None:
        y = np.clip(y, clip[0], clip[1])
    dates = pd.date_range(pd.Timestamp(start), periods=n, freq="D")
    df = pd.DataFrame({"date": dates, "phase": labels.astype(str), outcome: y})
    if adherence is not None:
        df["taken"] = (rng.random(n) < adherence).astype(int)
    if missing_fraction > 0:
        gone = rng.random(n) < missing_fraction
        if drop_rows:
            df = df.loc[~gone].reset_index(drop=True)
        else:
            df.loc[gone, outcome] = np.nan
    return df
