"""The real data sets of chapter 9 and the maximum likelihood fits the chapter relies on.

The loaders hand out exactly the columns statsmodels ships, and the split is seeded and complete.
The fits are checked twice, independently of TensorFlow: statsmodels' maximum likelihood (Newton's
method, its own Hessians) against scipy.optimize on the closed-form NLLs written out here in NumPy,
with standard errors from analytic or finite-difference Hessians. The chapter's own executed numbers
are held against these references in tests/test_real_data_chapter.py."""

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import optimize, special, stats
from statsmodels.base.model import GenericLikelihoodModel

from likelihood_course import real_data

# The loaders ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "loader, module, names, target, n",
    [
        (real_data.spector, "spector", ("GPA", "TUCE", "PSI"), "GRADE", 32),
        (real_data.engel, "engel", ("income",), "foodexp", 235),
        (
            real_data.randhie,
            "randhie",
            ("lncoins", "idp", "lpi", "fmde", "physlm", "disea", "hlthg", "hlthf", "hlthp"),
            "mdvis",
            20190,
        ),
    ],
)
def test_loaders_return_statsmodels_columns(loader, module, names, target, n):
    data = loader()
    frame = getattr(sm.datasets, module).load_pandas().data
    assert data.names == names and data.target == target
    assert data.X.shape == (n, len(names)) and data.y.shape == (n,)
    np.testing.assert_array_equal(data.X, frame[list(names)].to_numpy(float))
    np.testing.assert_array_equal(data.y, frame[target].to_numpy())
    assert not data.X.flags.writeable and not data.y.flags.writeable
    assert data.source
    for k, name in enumerate(names):
        np.testing.assert_array_equal(data.column(name), data.X[:, k])


def test_count_and_label_outcomes_are_integers():
    assert real_data.spector().y.dtype.kind == "i" and set(real_data.spector().y) == {0, 1}
    visits = real_data.randhie().y
    assert visits.dtype.kind == "i" and visits.min() == 0


def test_column_rejects_an_unknown_name():
    with pytest.raises(ValueError, match="name must be one of"):
        real_data.engel().column("wealth")


def test_split_is_seeded_disjoint_and_complete():
    train, held = real_data.split(235, heldout=1 / 3, seed=0)
    assert len(held) == 78 and len(train) == 157
    np.testing.assert_array_equal(np.sort(np.r_[train, held]), np.arange(235))
    assert np.all(np.diff(train) > 0) and np.all(np.diff(held) > 0)
    again = real_data.split(235, heldout=1 / 3, seed=0)
    np.testing.assert_array_equal(again[0], train)
    other = real_data.split(235, heldout=1 / 3, seed=1)
    assert not np.array_equal(other[1], held)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(n=0), "n must"),
        (dict(n=10.0), "n must"),
        (dict(n=10, heldout=0.0), "heldout must"),
        (dict(n=10, heldout=1.0), "heldout must"),
        (dict(n=10, heldout=True), "heldout must"),
        (dict(n=10, heldout="a third"), "heldout must"),
        (dict(n=2, heldout=0.1), "heldout \\* n"),
    ],
)
def test_split_rejects_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        real_data.split(**kwargs)


# Independent references: closed-form NLLs and scipy.optimize ---------------------------------------


def logistic_nll(w, X, y):
    z = X @ w
    return float(np.sum(np.logaddexp(0.0, z) - y * z))


def gaussian_growing_scale_nll(p, x, y):
    log_sigma = p[2] + p[3] * x
    return float(
        np.sum(0.5 * ((y - p[0] - p[1] * x) / np.exp(log_sigma)) ** 2 + log_sigma + 0.5 * np.log(2 * np.pi))
    )


def laplace_nll(p, x, y, varying):
    log_b = p[2] + (p[3] * x if varying else 0.0)
    return float(np.sum(np.abs(y - p[0] - p[1] * x) / np.exp(log_b) + log_b + np.log(2)))


def negbin_nll(p, X, y):
    """NB2: mean mu = exp(X w), variance mu + alpha mu^2, parameters (w, log alpha)."""
    w, alpha = p[:-1], np.exp(p[-1])
    mu, r = np.exp(X @ w), 1 / alpha
    return float(
        -np.sum(
            special.gammaln(y + r)
            - special.gammaln(r)
            - special.gammaln(y + 1)
            + r * np.log(r / (r + mu))
            + y * np.log(mu / (r + mu))
        )
    )


def finite_difference_hessian(f, p, h=1e-4):
    k = len(p)
    hessian = np.empty((k, k))
    for i in range(k):
        for j in range(k):
            e_i, e_j = np.eye(k)[i] * h, np.eye(k)[j] * h
            hessian[i, j] = (f(p + e_i + e_j) - f(p + e_i - e_j) - f(p - e_i + e_j) + f(p - e_i - e_j)) / (
                4 * h * h
            )
    return hessian


def engel_parts():
    data = real_data.engel()
    x, y = data.X[:, 0] / 1000, data.y / 1000
    train, held = real_data.split(len(y), heldout=1 / 3, seed=0)
    return x[train], y[train], x[held], y[held]


def engel_models():
    """The four fits of the chapter, by scipy.optimize on the NLLs above (and closed forms)."""
    x, y, _, _ = engel_parts()
    X = sm.add_constant(x)
    coef = np.linalg.lstsq(X, y, rcond=None)[0]
    sigma = np.sqrt(np.mean((y - X @ coef) ** 2))  # closed form: the MLE divides by n
    gaussian_c = np.r_[coef, np.log(sigma)]
    gaussian_v = optimize.minimize(
        gaussian_growing_scale_nll, np.r_[gaussian_c, 0.0], args=(x, y), method="BFGS", options={"gtol": 1e-9}
    ).x
    lad = optimize.linprog(  # median regression, exactly, as a linear program
        np.r_[0.0, 0.0, np.ones(2 * len(x))],
        A_eq=np.hstack([X, np.eye(len(x)), -np.eye(len(x))]),
        b_eq=y,
        bounds=[(None, None)] * 2 + [(0, None)] * (2 * len(x)),
    ).x[:2]
    laplace_c = np.r_[lad, np.log(np.mean(np.abs(y - X @ lad)))]
    laplace_v = optimize.minimize(
        laplace_nll,
        np.r_[gaussian_v],
        args=(x, y, True),
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 40_000},
    ).x
    return {
        "Gaussian, constant scale": (stats.norm, gaussian_c, False),
        "Gaussian, scale grows with income": (stats.norm, gaussian_v, True),
        "Laplace, constant scale": (stats.laplace, laplace_c, False),
        "Laplace, scale grows with income": (stats.laplace, laplace_v, True),
    }


def test_logistic_fit_statsmodels_against_scipy_and_the_analytic_hessian():
    data = real_data.spector()
    X, y = sm.add_constant(data.X), data.y
    reference = sm.Logit(y, X).fit(disp=0)
    w = optimize.minimize(logistic_nll, np.zeros(4), args=(X, y), method="BFGS", options={"gtol": 1e-10}).x
    np.testing.assert_allclose(w, reference.params, atol=1e-5)
    p = special.expit(X @ reference.params)
    hessian = X.T @ (X * (p * (1 - p))[:, None])  # X' diag(p (1 - p)) X
    np.testing.assert_allclose(np.sqrt(np.diag(np.linalg.inv(hessian))), reference.bse, rtol=1e-8)
    # the classic numbers (Spector and Mazzeo's data, as in Greene's textbook)
    np.testing.assert_allclose(reference.params, [-13.0213, 2.8261, 0.0952, 2.3787], atol=1e-4)


def test_gaussian_growing_scale_statsmodels_against_scipy():
    x, y, _, _ = engel_parts()
    params = engel_models()["Gaussian, scale grows with income"][1]
    nll = lambda p: gaussian_growing_scale_nll(p, x, y)  # noqa: E731
    se = np.sqrt(np.diag(np.linalg.inv(finite_difference_hessian(nll, params))))

    class Model(GenericLikelihoodModel):
        def loglikeobs(self, p):
            xs = self.exog[:, 1]
            return stats.norm.logpdf(self.endog, p[0] + p[1] * xs, np.exp(p[2] + p[3] * xs))

    model = Model(y, sm.add_constant(x), extra_params_names=["c", "d"])
    first = model.fit(start_params=np.r_[np.polyfit(x, y, 1)[::-1], -2.0, 0.0], method="lbfgs", disp=0)
    reference = model.fit(start_params=first.params, method="newton", disp=0)
    np.testing.assert_allclose(params, reference.params, atol=1e-5)
    np.testing.assert_allclose(se, reference.bse, rtol=1e-3)
    assert params[3] > 0  # the spread grows with income


def test_laplace_constant_scale_is_median_regression():
    x, y, _, _ = engel_parts()
    params = engel_models()["Laplace, constant scale"][1]
    quantreg = sm.QuantReg(y, sm.add_constant(x)).fit(q=0.5)
    exact = laplace_nll(params, x, y, False)  # the linear program's line: the exact minimum
    via_quantreg = laplace_nll(np.r_[quantreg.params, params[2]], x, y, False)  # IRLS, iterative
    assert exact - 1e-9 <= via_quantreg <= exact + 1e-5
    # and the scale's MLE is the mean absolute residual: the NLL's derivative in log b vanishes
    g = optimize.approx_fprime(params[2:], lambda b: laplace_nll(np.r_[params[:2], b], x, y, False), 1e-7)
    assert abs(g[0]) < 1e-4


def test_poisson_and_negative_binomial_statsmodels_against_scipy():
    data = real_data.randhie()
    train, _ = real_data.split(len(data.y), heldout=1 / 3, seed=0)
    X, y = sm.add_constant(data.X)[train], data.y[train].astype(float)

    poisson = sm.Poisson(y, X).fit(disp=0)
    mu = np.exp(X @ poisson.params)
    np.testing.assert_allclose(X.T @ (y - mu), 0.0, atol=1e-6)  # the score vanishes at the MLE
    hessian = X.T @ (X * mu[:, None])  # X' diag(mu) X
    np.testing.assert_allclose(np.sqrt(np.diag(np.linalg.inv(hessian))), poisson.bse, rtol=1e-8)

    negbin = sm.NegativeBinomial(y, X, loglike_method="nb2").fit(disp=0, method="newton")
    start = np.r_[poisson.params, 0.0]
    p = optimize.minimize(negbin_nll, start, args=(X, y), method="BFGS", options={"gtol": 1e-6}).x
    np.testing.assert_allclose(np.r_[p[:-1], np.exp(p[-1])], negbin.params, atol=1e-4)
    # the closed-form NB2 NLL equals statsmodels' log-likelihood and scipy's nbinom at the MLE
    alpha = negbin.params[-1]
    assert negbin_nll(np.r_[negbin.params[:-1], np.log(alpha)], X, y) == pytest.approx(-negbin.llf, rel=1e-10)
    mu_nb = np.exp(X @ negbin.params[:-1])
    assert -np.sum(stats.nbinom(1 / alpha, 1 / (1 + alpha * mu_nb)).logpmf(y)) == pytest.approx(
        -negbin.llf, rel=1e-10
    )
    # overdispersion: the Pearson statistic is far above 1, and alpha many standard errors above 0
    dispersion = np.sum((y - mu) ** 2 / mu) / (len(y) - X.shape[1])
    assert dispersion > 3 and alpha / negbin.bse[-1] > 20
