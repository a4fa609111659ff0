"""Linear models for one daily series: AR(1)-error GLS, OLS and Newey-West HAC.

Everything here works on plain numpy arrays so that it can be verified
against statsmodels in the tests while staying fast enough for a web request (docs/performance.md
has the figures) and cheap to import (statsmodels
alone takes longer to import than the whole command-line budget allows).

The AR(1) model is written for *calendar* time with gaps.  If the errors
follow a stationary AR(1) process on days, e_t = rho * e_{t-1} + u_t, then for
two observed days d apart corr(e_i, e_j) = rho**d.  The covariance matrix of
the observed days is therefore exactly ``sigma^2 * rho**|t_i - t_j|`` and the
process is Markov, so the Cholesky-type whitening transform is bidiagonal:

    z_1 = e_1
    z_i = (e_i - rho**d_i * e_{i-1}) / sqrt(1 - rho**(2 d_i)),  d_i = t_i - t_{i-1}

and the z_i are independent with variance sigma^2.  With complete data this
is the Prais-Winsten transform.  It makes one likelihood evaluation O(n).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import linalg, optimize

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: rho is searched in this interval.  Values closer to +-1 make the stationary
#: AR(1) model numerically degenerate, and a series that needs them is better
#: described as trending (the analysis warns about it).
RHO_BOUNDS = (-0.95, 0.98)

#: Relative size of the residual sum of squares below which a series is
#: treated as having no day-to-day variation at all.
_DEGENERATE_RSS = 1e-20


@dataclass(frozen=True)
class LinearFit:
    """Coefficients and their covariance from one of the estimators below.

    ``df`` is the residual degrees of freedom used for t-based intervals.
    ``rho`` is the AR(1) coefficient (``None`` for OLS/HAC fits).
    For REML AR(1) fits ``cov`` is the Kenward-Roger adjusted covariance
    (see :func:`kenward_roger_adjustment`) and ``cov_plugin`` the plug-in
    ``sigma^2 (X'V(rho)^-1 X)^-1``; otherwise the two are the same.
    ``sigma2`` is the (marginal, stationary) error variance.
    ``degenerate`` is true when the residuals are all (numerically) zero, in
    which case the covariance is zero and no interval should be reported.
    """

    method: Literal["ar1", "ols", "hac"]
    params: FloatArray
    cov: FloatArray
    df: int
    sigma2: float
    rho: float | None
    degenerate: bool
    hac_maxlags: int | None = None
    rho_at_bound: bool = False
    #: Approximate covariance of (log sigma^2, rho) from the REML information.
    theta_cov: FloatArray | None = None
    #: Derivative of ``cov`` with respect to rho (AR(1) fits only).
    dcov_drho: FloatArray | None = None
    rho_fixed: bool = False
    cov_plugin: FloatArray | None = None

    def contrast(self, c: FloatArray) -> tuple[float, float]:
        """Estimate and standard error of ``c @ params`` (the adjusted covariance for AR(1) fits)."""
        est = float(c @ self.params)
        var = float(c @ self.cov @ c)
        return est, math.sqrt(max(var, 0.0))

    def satterthwaite_df(self, c: FloatArray) -> float:
        """Degrees of freedom for the t reference distribution of ``c @ params``.

        For AR(1) fits this is the Satterthwaite approximation
        ``2 v^2 / Var(v)`` with ``v = c' Cov(beta) c`` and ``Var(v)`` from the
        delta method over (log sigma^2, rho).  It is never larger than the
        residual degrees of freedom.  Other fits use the residual df.
        ``v`` is the plug-in variance: for a single contrast these are also
        the Kenward-Roger degrees of freedom (their scale factor is 1).
        """
        if self.theta_cov is None or self.dcov_drho is None:
            return float(self.df)
        plugin = self.cov if self.cov_plugin is None else self.cov_plugin
        v = float(c @ plugin @ c)
        grad = np.array([v, float(c @ self.dcov_drho @ c)])
        return satterthwaite(v, grad, self.theta_cov, self.df)

    def linear_df(self, v: float, dv_drho: float) -> float:
        """Satterthwaite df for any variance ``v = sigma^2 * w(rho)``."""
        if self.theta_cov is None:
            return float(self.df)
        return satterthwaite(v, np.array([v, dv_drho]), self.theta_cov, self.df)


def satterthwaite(v: float, grad: FloatArray, theta_cov: FloatArray, df_max: int) -> float:
    """``2 v^2 / (grad' theta_cov grad)``, clipped to ``[1, df_max]``."""
    var_v = float(grad @ theta_cov @ grad)
    if not (v > 0.0 and var_v > 0.0 and math.isfinite(var_v)):
        return float(df_max)
    return float(min(max(2.0 * v * v / var_v, 1.0), df_max))


def _f64(a: object) -> FloatArray:
    return np.asarray(a, dtype=np.float64)


def _gaps(t: IntArray) -> IntArray:
    d = np.diff(t)
    if d.size and int(d.min()) < 1:
        raise ValueError("time index must be strictly increasing")
    return d


def _whiten(rho: float, d: IntArray, y: FloatArray, x: FloatArray) -> tuple[FloatArray, FloatArray, float]:
    """Whiten ``y`` and ``x`` for AR(1) errors with gaps ``d``.

    Returns the whitened response, whitened design, and
    ``log det`` of the correlation matrix (``sum log(1 - rho**(2 d))``).
    """
    a = np.power(rho, d.astype(np.float64))
    s2 = 1.0 - a * a
    s = np.sqrt(s2)
    yw = np.empty_like(y)
    xw = np.empty_like(x)
    yw[0] = y[0]
    xw[0] = x[0]
    yw[1:] = (y[1:] - a * y[:-1]) / s
    xw[1:] = (x[1:] - a[:, None] * x[:-1]) / s[:, None]
    return yw, xw, float(np.log(s2).sum())


def _profile(
    rho: float,
    d: IntArray,
    y: FloatArray,
    x: FloatArray,
    method: Literal["reml", "ml"],
) -> float:
    """Negative profile (restricted) log-likelihood at ``rho`` (constants dropped)."""
    n, p = x.shape
    yw, xw, logdet_v = _whiten(rho, d, y, x)
    beta, _res, _rank, _sv = np.linalg.lstsq(xw, yw, rcond=None)
    r = yw - xw @ beta
    rss = float(r @ r)
    if rss <= 0.0:
        return -math.inf
    if method == "ml":
        return float(0.5 * n * math.log(rss / n) + 0.5 * logdet_v)
    _sign, logdet_xtx = np.linalg.slogdet(xw.T @ xw)
    m = n - p
    return float(0.5 * m * math.log(rss / m) + 0.5 * logdet_v + 0.5 * float(logdet_xtx))


def gls_fixed_rho(y: FloatArray, x: FloatArray, t: IntArray, rho: float) -> tuple[FloatArray, FloatArray, float]:
    """GLS coefficients, ``(X'V^-1 X)^-1`` and residual SS for a known rho."""
    d = _gaps(t)
    yw, xw, _ = _whiten(rho, d, y, x)
    xtx_inv = _f64(np.linalg.inv(xw.T @ xw))
    beta = xtx_inv @ (xw.T @ yw)
    r = yw - xw @ beta
    return beta, xtx_inv, float(r @ r)


def estimate_rho(
    y: FloatArray,
    x: FloatArray,
    t: IntArray,
    method: Literal["reml", "ml"] = "reml",
) -> float:
    """Estimate the AR(1) coefficient by maximising the profile (RE)ML."""
    d = _gaps(t)
    if d.size == 0:
        return 0.0
    # A coarse grid first, so that Brent's search starts in the right basin
    # even if the (restricted) likelihood has more than one local maximum.
    grid = np.linspace(RHO_BOUNDS[0], RHO_BOUNDS[1], 8)
    values = [_profile(float(r), d, y, x, method) for r in grid]
    best = int(np.argmin(values))
    lo = float(grid[max(best - 1, 0)])
    hi = float(grid[min(best + 1, grid.size - 1)])
    res = optimize.minimize_scalar(
        _profile,
        bounds=(lo, hi),
        args=(d, y, x, method),
        method="bounded",
        options={"xatol": 1e-5},
    )
    return float(res.x)


def _ar1_pieces(
    rho: float, d: IntArray, y: FloatArray, x: FloatArray
) -> tuple[FloatArray, FloatArray, float, float, float]:
    """GLS solution at a fixed rho: beta, (X*'X*)^-1, RSS*, log|V|, log|X*'X*|."""
    yw, xw, logdet_v = _whiten(rho, d, y, x)
    xtx = xw.T @ xw
    xtx_inv = _f64(np.linalg.inv(xtx))
    beta = xtx_inv @ (xw.T @ yw)
    r = yw - xw @ beta
    _sign, logdet_xtx = np.linalg.slogdet(xtx)
    return beta, xtx_inv, float(r @ r), logdet_v, float(logdet_xtx)


def _variance_parameter_cov(
    rho: float,
    sigma2: float,
    d: IntArray,
    y: FloatArray,
    x: FloatArray,
    xtx_inv: FloatArray,
    rss: float,
) -> tuple[FloatArray | None, FloatArray, float]:
    """Covariance of (log sigma^2, rho) and d(Cov beta)/d rho, for Satterthwaite df.

    The covariance is the inverse of the observed information of the REML
    log-likelihood ``l(log s2, rho) = -(n-p)/2 log s2 - 1/2 log|V|
    - 1/2 log|X'V^-1 X| - RSS*(rho) / (2 s2)``.  The second derivatives in
    rho are central differences (three O(n) evaluations in total); those in
    log s2 are analytic.  Returns ``None`` for the covariance when the
    information is not positive definite (rho on a boundary).
    """
    # Step for the central differences, kept inside the admissible interval.
    h = max(min(1e-3, (RHO_BOUNDS[1] - rho) / 4.0, (rho - RHO_BOUNDS[0]) / 4.0), 1e-6)
    _bp, inv_p, rss_p, ldv_p, ldx_p = _ar1_pieces(rho + h, d, y, x)
    _bm, inv_m, rss_m, ldv_m, ldx_m = _ar1_pieces(rho - h, d, y, x)
    _, _, _, ldv_0, ldx_0 = _ar1_pieces(rho, d, y, x)
    f0 = 0.5 * (ldv_0 + ldx_0) + 0.5 * rss / sigma2
    fp = 0.5 * (ldv_p + ldx_p) + 0.5 * rss_p / sigma2
    fm = 0.5 * (ldv_m + ldx_m) + 0.5 * rss_m / sigma2
    h_rr = (fp - 2.0 * f0 + fm) / (h * h)
    h_sr = -0.5 * ((rss_p - rss_m) / (2.0 * h)) / sigma2
    h_ss = 0.5 * rss / sigma2
    info = np.array([[h_ss, h_sr], [h_sr, h_rr]])
    dcov = sigma2 * (inv_p - inv_m) / (2.0 * h)
    det = h_ss * h_rr - h_sr * h_sr
    if not (h_rr > 0.0 and det > 0.0 and math.isfinite(det)):
        return None, dcov, h
    return _f64(np.linalg.inv(info)), dcov, h


def kenward_roger_adjustment(rho: float, t: IntArray, x: FloatArray, sigma2: float, var_rho: float) -> FloatArray:
    """What to add to the plug-in ``Cov(beta)`` for the uncertainty of rho.

    The linear Kenward-Roger adjustment (Kenward & Roger 1997 without the
    second-derivative term) is ``2 Phi {sum_hj W_hj (Q_hj - P_h Phi P_j)} Phi``
    over the variance parameters.  With ``Sigma = sigma^2 V(rho)`` the terms
    in sigma^2 cancel exactly, leaving ``2 Var(rho) Phi (Q - P Phi P) Phi``
    with ``P = -X'V^-1 V' V^-1 X / sigma^2``, ``Q = X'V^-1 V' V^-1 V' V^-1 X /
    sigma^2`` and ``V' = dV/drho``.  Written with the whitening transform L
    (``V^-1 = L'L``, lower bidiagonal) and ``Z = L^-T V^-1 V' V^-1 X`` this is
    ``2 Var(rho) sigma^2 (X*'X*)^-1 Z'(I - H*) Z (X*'X*)^-1``, ``H*`` the hat
    matrix of the whitened design ``X* = L X``: positive semi-definite and
    O(n p^2), with no n x n matrix.
    """
    d = _gaps(t).astype(np.float64)
    a = np.power(rho, d)
    da = d * np.power(rho, d - 1.0)
    s = np.sqrt(1.0 - a * a)
    k = da / (s * s * s)  # d(1/s)/drho = a k,  d(-a/s)/drho = -k
    _yw, xw, _ = _whiten(rho, _gaps(t), x[:, 0], x)
    xtx_inv = _f64(np.linalg.inv(xw.T @ xw))

    def lt(y: FloatArray) -> FloatArray:
        """``L' y``."""
        out = y.copy()
        out[1:] /= s[:, None]
        out[:-1] -= (a / s)[:, None] * y[1:]
        return out

    def ldot(y: FloatArray) -> FloatArray:
        """``(dL/drho) y``."""
        out = np.zeros_like(y)
        out[1:] = k[:, None] * (a[:, None] * y[1:] - y[:-1])
        return out

    def ldot_t(y: FloatArray) -> FloatArray:
        """``(dL/drho)' y``."""
        out = np.zeros_like(y)
        out[1:] = (a * k)[:, None] * y[1:]
        out[:-1] -= k[:, None] * y[1:]
        return out

    # V^-1 V' V^-1 X = -d(V^-1)/drho X = -(L'' L + L' L'') X  (L'' = dL/drho)
    u = -(ldot_t(xw) + lt(ldot(x)))
    # Solve L' Z = U: L' is upper bidiagonal.
    banded = np.zeros((2, a.size + 1))
    banded[1, 0] = 1.0
    banded[1, 1:] = 1.0 / s
    banded[0, 1:] = -a / s
    z = _f64(linalg.solve_banded((0, 1), banded, u))
    zx = z.T @ xw
    g = z.T @ z - zx @ xtx_inv @ zx.T
    return _f64(2.0 * var_rho * sigma2 * (xtx_inv @ g @ xtx_inv))


def fit_ar1(
    y: FloatArray,
    x: FloatArray,
    t: IntArray,
    *,
    method: Literal["reml", "ml"] = "reml",
    rho: float | None = None,
) -> LinearFit:
    """Regression with AR(1) errors on calendar days (GLS).

    rho is estimated by restricted maximum likelihood (REML) by default.
    REML removes most of the downward small-sample bias of the ML/Yule-Walker
    estimate of rho.  Even so, the uncertainty in rho matters a great deal in
    short phases: a 14-day phase with rho = 0.6 carries the information of
    only about 4 independent days.  Intervals therefore use a t distribution
    with Satterthwaite degrees of freedom computed from the REML information
    for (sigma^2, rho) (see :meth:`LinearFit.satterthwaite_df`), the approach
    SAS PROC MIXED and lmerTest use for mixed models, and for REML fits the
    covariance of the coefficients is widened by the linear Kenward-Roger
    adjustment for the uncertainty of rho (:func:`kenward_roger_adjustment`;
    ``cov_plugin`` keeps the unadjusted one).  With rho fixed by the caller
    there is no adjustment and the degrees of freedom are the residual
    ``n - p``.
    """
    n, p = x.shape
    if n < p + 2:
        raise ValueError("too few observations for an AR(1) regression")
    d = _gaps(t)
    fixed = rho is not None
    if rho is None:
        r_ols = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
        if float(r_ols @ r_ols) <= _DEGENERATE_RSS * (float(np.dot(y - y.mean(), y - y.mean())) + 1.0):
            # No residual variation at all: the likelihood is flat in rho
            # (and unbounded); there is nothing to estimate.
            rho = 0.0
        else:
            rho = estimate_rho(y, x, t, method)
    beta, xtx_inv, rss, _ldv, _ldx = _ar1_pieces(rho, d, y, x)
    scale = float(np.dot(y - y.mean(), y - y.mean())) + 1.0
    degenerate = rss <= _DEGENERATE_RSS * scale
    sigma2 = 0.0 if degenerate else rss / (n - p)
    at_bound = min(abs(rho - RHO_BOUNDS[0]), abs(rho - RHO_BOUNDS[1])) < 1e-3
    theta_cov: FloatArray | None = None
    dcov: FloatArray | None = None
    if not degenerate and not fixed and not at_bound:
        theta_cov, dcov, _h = _variance_parameter_cov(rho, sigma2, d, y, x, xtx_inv, rss)
    plugin = sigma2 * xtx_inv
    cov = plugin
    if theta_cov is not None and method == "reml":
        cov = plugin + kenward_roger_adjustment(rho, t, x, sigma2, float(theta_cov[1, 1]))
    return LinearFit(
        method="ar1",
        params=beta,
        cov=cov,
        cov_plugin=plugin,
        df=max(n - p, 1),
        sigma2=sigma2,
        rho=rho,
        degenerate=degenerate,
        rho_at_bound=at_bound,
        theta_cov=theta_cov,
        dcov_drho=dcov,
        rho_fixed=fixed,
    )


def fit_ols(y: FloatArray, x: FloatArray) -> LinearFit:
    """Ordinary least squares that treats days as independent.

    Shown only as a labelled comparison: with positively autocorrelated
    daily data its standard errors are too small (see the simulations).
    """
    n, p = x.shape
    xtx_inv = _f64(np.linalg.inv(x.T @ x))
    beta = xtx_inv @ (x.T @ y)
    r = y - x @ beta
    rss = float(r @ r)
    scale = float(np.dot(y - y.mean(), y - y.mean())) + 1.0
    degenerate = rss <= _DEGENERATE_RSS * scale
    sigma2 = 0.0 if degenerate else rss / (n - p)
    return LinearFit(
        method="ols",
        params=beta,
        cov=sigma2 * xtx_inv,
        df=max(n - p, 1),
        sigma2=sigma2,
        rho=None,
        degenerate=degenerate,
    )


def newey_west_lags(n: int) -> int:
    """Newey & West (1994) rule of thumb: floor(4 (n/100)^(2/9))."""
    return int(math.floor(4.0 * (n / 100.0) ** (2.0 / 9.0)))


def fit_hac(y: FloatArray, x: FloatArray, t: IntArray, maxlags: int | None = None) -> LinearFit:
    """OLS point estimates with Newey-West (Bartlett kernel) HAC covariance.

    Lags are counted in calendar days.  Missing days contribute a zero score,
    the "equal spacing" treatment of missing data for HAC estimators
    (Datta & Du 2012); with complete data this is exactly statsmodels'
    ``cov_type="HAC"`` with ``use_correction=True``.
    """
    n, p = x.shape
    _gaps(t)
    xtx_inv = _f64(np.linalg.inv(x.T @ x))
    beta = xtx_inv @ (x.T @ y)
    r = y - x @ beta
    span = int(t[-1] - t[0]) + 1
    lags = newey_west_lags(span) if maxlags is None else maxlags
    scores = np.zeros((span, p))
    scores[t - t[0]] = x * r[:, None]
    meat = scores.T @ scores
    for lag in range(1, min(lags, span - 1) + 1):
        w = 1.0 - lag / (lags + 1.0)
        g = scores[lag:].T @ scores[:-lag]
        meat += w * (g + g.T)
    cov = xtx_inv @ meat @ xtx_inv * (n / (n - p))
    rss = float(r @ r)
    scale = float(np.dot(y - y.mean(), y - y.mean())) + 1.0
    degenerate = rss <= _DEGENERATE_RSS * scale
    return LinearFit(
        method="hac",
        params=beta,
        cov=np.zeros_like(cov) if degenerate else cov,
        df=max(n - p, 1),
        sigma2=0.0 if degenerate else rss / (n - p),
        rho=None,
        degenerate=degenerate,
        hac_maxlags=lags,
    )


def ar1_linear_variance(c: FloatArray, t: IntArray, sigma2: float, rho: float) -> tuple[float, float]:
    """Variance of ``c @ y`` under AR(1) covariance ``sigma2 * rho**|t_i - t_j|``.

    Returns the variance and its derivative with respect to rho (for the
    Satterthwaite degrees of freedom).  Only the non-zero entries of ``c``
    are used, so this stays cheap for the endpoint contrast.
    """
    idx = np.flatnonzero(c)
    cc = c[idx]
    lag = np.abs(t[idx][:, None] - t[idx][None, :]).astype(np.float64)
    if rho == 0.0:
        corr = (lag == 0).astype(np.float64)
        dcorr = (lag == 1).astype(np.float64)
    else:
        corr = np.power(rho, lag)
        dcorr = lag * np.power(rho, np.maximum(lag - 1.0, 0.0))
    return float(sigma2 * (cc @ corr @ cc)), float(sigma2 * (cc @ dcorr @ cc))
