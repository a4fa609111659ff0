"""The AR(1), OLS and HAC engines agree with direct statsmodels fits on the same data.

fibrostats fits its models with its own O(n) code (fast, and cheap to import),
so each estimator is checked here against an independent statsmodels
implementation:

* GLS with a known rho  vs ``sm.GLS`` with the full covariance rho**|t_i - t_j|
  (including calendar gaps);
* the ML estimate of rho and beta vs statsmodels ``SARIMAX`` (exact Kalman-filter
  likelihood, missing days as NaN);
* the REML objective vs a dense-matrix evaluation of the restricted likelihood;
* OLS and Newey-West HAC vs ``sm.OLS(...).fit(cov_type="HAC")``;
* the Kenward-Roger adjustment of ``Cov(beta)`` vs the dense-matrix formula;
* the contrast reported by ``analyze`` vs ``sm.GLS`` at the reported rho (plus
  that adjustment).
* rho, contrasts and SEs vs ``sm.GLSAR(...).iterative_fit()`` on complete data.
"""

from __future__ import annotations

import warnings

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.tsa.statespace.sarimax import SARIMAX

from fibrostats import AnalysisConfig, OutcomeSpec, analyze
from fibrostats.models import _profile, fit_ar1, fit_hac, fit_ols, gls_fixed_rho
from fibrostats.simulate import ar1_noise

Arrays = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.int64], npt.NDArray[np.bool_]]


def _design(seed: int, n: int = 98, missing: float = 0.15, rho: float = 0.5) -> Arrays:
    rng = np.random.default_rng(seed)
    lens = [14, 14, 56, 14]
    labels = np.repeat(np.arange(4), lens)[:n]
    x = np.zeros((labels.size, 4))
    x[np.arange(labels.size), labels] = 1.0
    mu = np.array([6.0, 5.5, 4.0, 5.0])[labels]
    y = mu + ar1_noise(rng, 1, labels.size, 1.3, rho)[0]
    keep = rng.random(labels.size) >= missing
    keep[0] = keep[-1] = True
    t = np.arange(labels.size, dtype=np.int64)
    return y, x, t, keep


def _sigma(t: npt.NDArray[np.int64], rho: float) -> npt.NDArray[np.float64]:
    return np.asarray(rho ** np.abs(t[:, None] - t[None, :]).astype(float), dtype=np.float64)


@pytest.mark.parametrize("rho", [0.0, 0.3, 0.6, -0.2])
def test_gls_with_known_rho_matches_statsmodels_gls(rho: float) -> None:
    y, x, t, keep = _design(1)
    y, x, t = y[keep], x[keep], t[keep]
    beta, xtx_inv, rss = gls_fixed_rho(y, x, t, rho)
    sm_fit = sm.GLS(y, x, sigma=_sigma(t, rho)).fit()
    np.testing.assert_allclose(beta, sm_fit.params, rtol=1e-10, atol=1e-10)
    n, p = x.shape
    np.testing.assert_allclose(rss / (n - p) * xtx_inv, sm_fit.cov_params(), rtol=1e-8, atol=1e-12)
    # And through the public fitter with rho fixed.
    fit = fit_ar1(y, x, t, rho=rho)
    np.testing.assert_allclose(fit.params, sm_fit.params, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(np.sqrt(np.diag(fit.cov)), sm_fit.bse, rtol=1e-8)


@pytest.mark.parametrize("seed", [2, 3])
def test_ml_rho_and_beta_match_statsmodels_sarimax_with_gaps(seed: int) -> None:
    y, x, t, keep = _design(seed, missing=0.2)
    fit = fit_ar1(y[keep], x[keep], t[keep], method="ml")
    y_nan = np.where(keep, y, np.nan)  # missing calendar days as NaN
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = SARIMAX(y_nan, exog=x, order=(1, 0, 0), trend="n").fit(disp=False, method="lbfgs", maxiter=500)
    params = dict(zip(res.model.param_names, res.params, strict=True))
    assert fit.rho == pytest.approx(params["ar.L1"], abs=2e-3)
    sm_beta = np.array([params[f"x{i}"] for i in range(1, 5)])
    np.testing.assert_allclose(fit.params, sm_beta, atol=2e-3)


def test_reml_objective_matches_dense_restricted_likelihood() -> None:
    y, x, t, keep = _design(4)
    y, x, t = y[keep], x[keep], t[keep]
    n, p = x.shape
    d = np.diff(t)

    def dense(rho: float) -> float:
        v = _sigma(t, rho)
        vi = np.linalg.inv(v)
        xtvx = x.T @ vi @ x
        b = np.linalg.solve(xtvx, x.T @ vi @ y)
        r = y - x @ b
        s2 = float(r @ vi @ r) / (n - p)
        return float(0.5 * ((n - p) * np.log(s2) + np.linalg.slogdet(v)[1] + np.linalg.slogdet(xtvx)[1]))

    rhos = [-0.3, 0.0, 0.2, 0.5, 0.8]
    ours = np.array([_profile(r, d, y, x, "reml") for r in rhos])
    ref = np.array([dense(r) for r in rhos])
    # Equal up to an additive constant.
    np.testing.assert_allclose(ours - ours[0], ref - ref[0], atol=1e-8)
    fit = fit_ar1(y, x, t)
    grid = np.linspace(-0.9, 0.95, 371)
    assert fit.rho == pytest.approx(grid[int(np.argmin([dense(r) for r in grid]))], abs=6e-3)


def test_ols_and_hac_match_statsmodels_on_complete_data() -> None:
    y, x, t, _keep = _design(5)
    ols = fit_ols(y, x)
    sm_ols = sm.OLS(y, x).fit()
    np.testing.assert_allclose(ols.params, sm_ols.params, rtol=1e-10)
    np.testing.assert_allclose(np.sqrt(np.diag(ols.cov)), sm_ols.bse, rtol=1e-10)
    for lags in (1, 3, 7):
        hac = fit_hac(y, x, t, maxlags=lags)
        sm_hac = sm.OLS(y, x).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True})
        np.testing.assert_allclose(hac.params, sm_hac.params, rtol=1e-10)
        np.testing.assert_allclose(hac.cov, sm_hac.cov_params(), rtol=1e-8, atol=1e-14)


def _kenward_roger_dense(
    t: npt.NDArray[np.int64], x: npt.NDArray[np.float64], rho: float, sigma2: float, var_rho: float
) -> npt.NDArray[np.float64]:
    """``2 W Phi (Q - P Phi P) Phi`` with n x n matrices, as Kenward & Roger (1997) write it."""
    lag = np.abs(t[:, None] - t[None, :]).astype(float)
    sigma = sigma2 * _sigma(t, rho)
    d_sigma = sigma2 * np.where(lag >= 1, lag * rho ** np.maximum(lag - 1.0, 0.0), 0.0)
    s_inv = np.linalg.inv(sigma)
    phi = np.linalg.inv(x.T @ s_inv @ x)
    p = -(x.T @ s_inv @ d_sigma @ s_inv @ x)
    q = x.T @ s_inv @ d_sigma @ s_inv @ d_sigma @ s_inv @ x
    return np.asarray(2.0 * var_rho * phi @ (q - p @ phi @ p) @ phi, dtype=np.float64)


@pytest.mark.parametrize(("seed", "rho", "missing"), [(1, 0.6, 0.0), (2, 0.3, 0.2), (3, 0.0, 0.1), (4, -0.3, 0.15)])
def test_kenward_roger_adjustment_matches_the_dense_formula(seed: int, rho: float, missing: float) -> None:
    y, x, t, keep = _design(seed, missing=missing, rho=rho)
    y, x, t = y[keep], x[keep], t[keep]
    fit = fit_ar1(y, x, t)
    assert fit.rho is not None and fit.theta_cov is not None and fit.cov_plugin is not None
    dense = _kenward_roger_dense(t, x, fit.rho, fit.sigma2, float(fit.theta_cov[1, 1]))
    np.testing.assert_allclose(fit.cov - fit.cov_plugin, dense, rtol=1e-8, atol=1e-14)
    # It only ever widens: Q - P Phi P is positive semi-definite.
    assert np.linalg.eigvalsh(dense).min() >= -1e-14
    # The plug-in part is GLS at the estimated rho, and the estimate is unchanged.
    sm_fit = sm.GLS(y, x, sigma=_sigma(t, fit.rho)).fit()
    np.testing.assert_allclose(fit.cov_plugin, sm_fit.cov_params(), rtol=1e-8, atol=1e-14)
    np.testing.assert_allclose(fit.params, sm_fit.params, rtol=1e-9)


def test_analyze_contrast_matches_statsmodels_gls_at_reported_rho() -> None:
    y, _x, _t, keep = _design(6, missing=0.1)
    phases = np.repeat(["baseline", "placebo", "ldn", "washout"], [14, 14, 56, 14])
    df = pd.DataFrame(
        {
            "date": pd.date_range("2024-03-01", periods=98),
            "phase": phases,
            "pain": np.clip(y, 0, 10),
        }
    ).loc[keep]
    result = analyze(df, AnalysisConfig(outcomes=[OutcomeSpec("pain")], treatment="ldn"))
    out = result.outcome("pain")
    assert out.model is not None and out.model.rho is not None
    rho = out.model.rho
    t = (df["date"] - df["date"].iloc[0]).dt.days.to_numpy()
    xd = pd.get_dummies(df["phase"])[["baseline", "placebo", "ldn", "washout"]]
    sm_fit = sm.GLS(df["pain"].to_numpy(), xd.to_numpy(float), sigma=_sigma(t, rho)).fit()
    c = np.array([-1.0, 0.0, 1.0, 0.0])
    primary = out.contrasts[0].primary
    assert primary is not None and primary.se is not None
    assert primary.difference.estimate == pytest.approx(float(c @ sm_fit.params), rel=1e-9)
    # The reported SE is GLS's at rho-hat plus the Kenward-Roger adjustment,
    # whose Var(rho-hat) comes from the REML information.
    fit = fit_ar1(df["pain"].to_numpy(), xd.to_numpy(float), t.astype(np.int64))
    assert fit.theta_cov is not None and fit.rho == rho
    adj = _kenward_roger_dense(t.astype(np.int64), xd.to_numpy(float), rho, fit.sigma2, float(fit.theta_cov[1, 1]))
    plugin_se = float(np.sqrt(c @ sm_fit.cov_params() @ c))
    assert primary.se == pytest.approx(float(np.sqrt(c @ (sm_fit.cov_params() + adj) @ c)), rel=1e-7)
    assert plugin_se < primary.se < 1.1 * plugin_se


@pytest.mark.parametrize("rho", [0.0, 0.3, 0.6])
@pytest.mark.parametrize("seed", [7, 8, 9])
def test_ar1_fit_agrees_with_statsmodels_glsar(rho: float, seed: int) -> None:
    """``statsmodels.GLSAR`` (iterated feasible GLS, AR(1)) on a complete two-year diary.

    GLSAR whitens by differencing (Cochrane-Orcutt) and so drops day 1, where
    fibrostats keeps it (Prais-Winsten, the exact likelihood); the two agree up
    to that one day.  A 14-day run-in comes first so that the compared phases
    do not hold the dropped day.
    """
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(5), [14, 60, 60, 550, 60])  # run-in, baseline, placebo, ldn, washout
    x = np.zeros((labels.size, 5))
    x[np.arange(labels.size), labels] = 1.0
    y = np.array([6.5, 6.0, 5.5, 4.0, 5.0])[labels] + ar1_noise(rng, 1, labels.size, 1.5, rho)[0]
    t = np.arange(labels.size, dtype=np.int64)
    glsar = sm.GLSAR(y, x, rho=1).iterative_fit(maxiter=100)
    sm_rho = float(np.asarray(glsar.model.rho)[0])
    for method, rho_tol, se_tol in (("ml", 0.005, 0.01), ("reml", 0.02, 0.04)):
        ours = fit_ar1(y, x, t, method=method)  # type: ignore[arg-type]
        assert ours.rho == pytest.approx(sm_rho, abs=rho_tol), method
        for ref, trt in ((1, 3), (2, 3), (1, 4)):  # ldn-baseline, ldn-placebo, washout-baseline
            c = np.zeros(5)
            c[trt], c[ref] = 1.0, -1.0
            sm_est = float(c @ glsar.params)
            sm_se = float(np.sqrt(c @ glsar.cov_params() @ c))
            est, se = ours.contrast(c)
            assert abs(est - sm_est) <= 0.15 * sm_se, (method, ref, trt)
            assert se == pytest.approx(sm_se, rel=se_tol), (method, ref, trt)
