"""Chapter 7's table, "choose the noise model, the loss follows", checked claim by claim.

Every Keras loss is held against the negative log-likelihood from an independent reference
(scipy.stats logpmf/logpdf, or a closed form), on other data than the chapter's, with the exact
affine relation the chapter states. The fits are held against independent solvers (closed-form
least squares, a linear program, statsmodels, scipy), and the chapter's seeded data sets against
what they promise."""

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import optimize, special, stats
from test_lad import lp_line, mae  # the LAD line by linear programming, held optimal there

from likelihood_course import noisy_data

N = 2000
EXACT = 1e-12  # float64 rounding, with room


@pytest.fixture(params=[11, 12, 13])
def rng(request):
    return np.random.default_rng(request.param)


# Bernoulli -> binary cross-entropy


def test_binary_cross_entropy_from_logits_is_the_bernoulli_nll(tf_keras, rng):
    z = rng.normal(scale=4.0, size=N)
    theta = special.expit(z)
    y = rng.binomial(1, theta)
    nll = -stats.bernoulli(theta).logpmf(y)
    per_example = tf_keras.losses.binary_crossentropy(y[:, None], z[:, None], from_logits=True)
    assert np.max(np.abs(nll - per_example.numpy())) < EXACT
    batch = tf_keras.losses.BinaryCrossentropy(from_logits=True)(y[:, None], z[:, None])
    assert abs(float(batch) - nll.mean()) < EXACT


def test_binary_cross_entropy_from_probabilities_differs_only_by_keras_epsilon(tf_keras, rng):
    theta = rng.uniform(0.01, 0.99, size=N)
    y = rng.binomial(1, theta)
    nll = -stats.bernoulli(theta).logpmf(y)
    keras = tf_keras.losses.binary_crossentropy(y[:, None], theta[:, None]).numpy()
    eps = tf_keras.backend.epsilon()
    assert eps == 1e-7
    # the chapter's explanation, exactly: clip to [eps, 1 - eps], add eps inside each log
    p = np.clip(theta, eps, 1 - eps)
    explained = -(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
    assert np.max(np.abs(keras - explained)) < EXACT
    gap = np.max(np.abs(nll - keras))
    assert 0 < gap < 1e-4  # close, but not float64-equal: the chapter's 1e-5 scale
    assert gap <= eps / min(theta.min(), 1 - theta.max()) * 1.01


# categorical -> (sparse) categorical cross-entropy


@pytest.mark.parametrize("K", [2, 3, 10])
def test_sparse_and_categorical_cross_entropy_are_the_categorical_nll(tf_keras, rng, K):
    z = rng.normal(scale=2.0, size=(N, K))
    theta = special.softmax(z, axis=1)
    y = np.array([rng.choice(K, p=row) for row in theta])
    one_hot = np.eye(K)[y]
    nll = -stats.multinomial.logpmf(one_hot, 1, theta)
    sparse = tf_keras.losses.sparse_categorical_crossentropy(y, z, from_logits=True).numpy()
    dense = tf_keras.losses.categorical_crossentropy(one_hot, z, from_logits=True).numpy()
    assert np.max(np.abs(nll - sparse)) < EXACT
    assert np.max(np.abs(nll - dense)) < EXACT
    batch = tf_keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, z)
    assert abs(float(batch) - nll.mean()) < EXACT


# Gaussian with sigma fixed -> MSE / (2 sigma^2) + ln(sigma sqrt(2 pi))


@pytest.mark.parametrize("sigma", [0.1, 0.5, 1 / np.sqrt(2), 1.0, 3.0])
def test_mse_is_the_gaussian_nll_scaled_and_shifted(tf_keras, rng, sigma):
    y_hat = rng.normal(size=N)
    y = rng.normal(y_hat, sigma)
    nll = -stats.norm(y_hat, sigma).logpdf(y)
    se = tf_keras.losses.mean_squared_error(y[:, None], y_hat[:, None]).numpy()
    shift = np.log(sigma * np.sqrt(2 * np.pi))
    assert np.max(np.abs(nll - (se / (2 * sigma**2) + shift))) < EXACT
    mse = float(tf_keras.losses.MeanSquaredError()(y[:, None], y_hat[:, None]))
    assert abs(nll.mean() - (mse / (2 * sigma**2) + shift)) < EXACT


# Gaussian with sigma learned -> the Gaussian NLL, -dist.log_prob(y)


def test_learned_sigma_loss_is_the_gaussian_nll(tf, tfd, rng):
    t = rng.normal(scale=2.0, size=(N, 2))
    y_hat, sigma = t[:, 0], 1e-3 + np.logaddexp(0.0, t[:, 1])
    y = rng.normal(y_hat, sigma)
    dist = tfd.Normal(loc=t[..., :1], scale=1e-3 + tf.math.softplus(t[..., 1:]))
    loss = -dist.log_prob(y[:, None]).numpy().ravel()
    nll = -stats.norm(y_hat, sigma).logpdf(y)
    assert np.max(np.abs(loss - nll)) < EXACT


def test_learned_sigma_loss_trains_through_distribution_lambda(tf, tfp, tfd, tf_keras):
    """The loss a model compiles with is the NLL of the distribution its last layer builds."""
    model = tf_keras.Sequential(
        [
            tf_keras.Input(shape=(1,)),
            tf_keras.layers.Dense(2),
            tfp.layers.DistributionLambda(
                lambda t: tfd.Normal(loc=t[..., :1], scale=1e-3 + tf.math.softplus(t[..., 1:]))
            ),
        ]
    )
    x = np.linspace(-1, 1, 50)[:, None].astype("float32")
    y = (2 * x + 0.3).astype("float32")
    model.compile(loss=lambda y, dist: -dist.log_prob(y))
    kernel, bias = model.get_weights()
    out = x @ kernel + bias
    sigma = 1e-3 + np.logaddexp(0.0, out[:, 1])
    expected = -np.mean(stats.norm(out[:, 0], sigma).logpdf(y[:, 0]))
    assert abs(model.evaluate(x, y, batch_size=50, verbose=0) - expected) < 1e-4  # float32


# Laplace -> MAE / b + ln(2 b)


@pytest.mark.parametrize("b", [0.2, 0.5, 1.0, 4.0])
def test_mae_is_the_laplace_nll_scaled_and_shifted(tf_keras, rng, b):
    y_hat = rng.normal(size=N)
    y = rng.laplace(y_hat, b)
    nll = -stats.laplace(y_hat, b).logpdf(y)
    ae = tf_keras.losses.mean_absolute_error(y[:, None], y_hat[:, None]).numpy()
    assert np.max(np.abs(nll - (ae / b + np.log(2 * b)))) < EXACT
    mae = float(tf_keras.losses.MeanAbsoluteError()(y[:, None], y_hat[:, None]))
    assert abs(nll.mean() - (mae / b + np.log(2 * b))) < EXACT


# Poisson -> Keras' Poisson loss + ln y! (+ Keras' epsilon term)


def test_poisson_loss_is_the_poisson_nll_without_ln_y_factorial(tf_keras, rng):
    lam = np.exp(rng.normal(scale=1.5, size=N))
    y = rng.poisson(lam)
    nll = -stats.poisson(lam).logpmf(y)
    ln_y_factorial = special.gammaln(y + 1)
    loss = tf_keras.losses.poisson(y[:, None], lam[:, None]).numpy()
    eps = tf_keras.backend.epsilon()
    # exactly, with the epsilon that tf_keras puts inside the log
    exact = loss + ln_y_factorial + y * np.log1p(eps / lam)
    assert np.max(np.abs(nll - exact)) < EXACT
    # without it: equal up to the bound the chapter states, max y eps / lambda
    gap = np.abs(nll - (loss + ln_y_factorial))
    assert np.all(gap <= y * eps / lam * (1 + 1e-6) + EXACT)
    assert np.max(gap) < 1e-4
    batch = float(tf_keras.losses.Poisson()(y[:, None], lam[:, None]))
    assert abs(batch - np.mean(lam - y * np.log(lam + eps))) < EXACT


def test_tf_keras_poisson_definition_has_the_epsilon(tf_keras):
    """The definition the chapter quotes: mean(y_pred - y_true * log(y_pred + epsilon))."""
    loss = tf_keras.losses.poisson(np.array([[3.0]]), np.array([[0.0]])).numpy()
    assert loss[0] == pytest.approx(-3 * np.log(1e-7))  # finite at lambda = 0, thanks to epsilon


# The fits: each network lands where an independent solver says the loss is minimal. Training the
# four networks takes about 12 s of CPU, so their tests are in the `process` layer, with the other
# slow ones: `make test` runs them, `make test-fast` does not. Each network is trained once.


def _fit(tf_keras, x, y, loss, activation=None, epochs=1000, learning_rate=None):
    tf_keras.utils.set_random_seed(0)
    model = tf_keras.Sequential([tf_keras.Input(shape=(1,)), tf_keras.layers.Dense(1, activation=activation)])
    if learning_rate is None:
        learning_rate = tf_keras.optimizers.schedules.ExponentialDecay(0.2, 100, 0.6)
    model.compile(optimizer=tf_keras.optimizers.Adam(learning_rate), loss=loss)
    history = model.fit(x[:, None], y, batch_size=len(x), epochs=epochs, verbose=0)
    kernel, bias = model.get_weights()
    return np.array([bias[0], kernel[0, 0]], dtype=float), history.history["loss"][-1]


@pytest.fixture(scope="module")
def outlier_fits(tf_keras):
    x, y, outlier = noisy_data.line_with_outliers()
    return x, y, outlier, _fit(tf_keras, x, y, "mse")[0], _fit(tf_keras, x, y, "mae")[0]


@pytest.mark.process
def test_mse_network_is_least_squares(outlier_fits):
    x, y, _, gauss, _ = outlier_fits
    X = np.column_stack([np.ones_like(x), x])
    normal_equations = np.linalg.solve(X.T @ X, X.T @ y)
    assert np.max(np.abs(gauss - normal_equations)) < 1e-3


@pytest.mark.process
def test_mae_network_reaches_the_least_absolute_deviation(outlier_fits):
    x, y, _, _, laplace = outlier_fits
    lad = lp_line(x, y)  # optimal: test_lad.py proves it
    assert -1e-9 < mae(x, y, laplace) - mae(x, y, lad) < 1e-4


@pytest.mark.process
def test_outliers_tilt_the_squared_error_line_but_not_the_absolute_error_line(outlier_fits):
    x, y, outlier, gauss, laplace = outlier_fits
    clean = np.polyfit(x[~outlier], y[~outlier], 1)[::-1]
    assert abs(laplace[1] - 0.5) < 0.1 and abs(laplace[1] - clean[1]) < 0.1
    assert abs(gauss[1] - 0.5) > 0.3


@pytest.fixture(scope="module")
def count_fits(tf_keras):
    x, y, lam = noisy_data.counts()
    poisson, poisson_loss = _fit(tf_keras, x, y, "poisson", "exponential", 500, 0.05)
    gauss, _ = _fit(tf_keras, x, y, "mse", "exponential", 500, 0.05)
    return x, y, poisson, poisson_loss, gauss


@pytest.mark.process
def test_poisson_network_is_poisson_regression(count_fits):
    x, y, poisson, _, _ = count_fits
    glm = sm.GLM(y, sm.add_constant(x), family=sm.families.Poisson()).fit().params
    assert np.max(np.abs(poisson - glm)) < 1e-3


@pytest.mark.process
def test_log_link_mse_network_is_nonlinear_least_squares(count_fits):
    x, y, _, _, gauss = count_fits
    nls = optimize.least_squares(lambda p: np.exp(p[0] + p[1] * x) - y, x0=[0.0, 0.0]).x
    assert np.max(np.abs(gauss - nls)) < 1e-3


@pytest.mark.process
def test_final_poisson_loss_is_negative_while_the_nll_is_not(count_fits):
    x, y, poisson, poisson_loss, _ = count_fits
    assert poisson_loss < 0
    nll = -stats.poisson(np.exp(poisson[0] + poisson[1] * x)).logpmf(y)
    assert np.all(nll >= 0)
    assert abs(nll.mean() - (poisson_loss + special.gammaln(y + 1).mean())) < 1e-3  # float32


@pytest.mark.process
def test_gaussian_intervals_misplace_the_spread_of_counts(count_fits):
    x, y, poisson, _, gauss = count_fits
    mean_p, mean_g = np.exp(poisson[0] + poisson[1] * x), np.exp(gauss[0] + gauss[1] * x)
    sigma_hat = np.sqrt(np.mean((y - mean_g) ** 2))
    inside_p = (stats.poisson(mean_p).ppf(0.05) <= y) & (y <= stats.poisson(mean_p).ppf(0.95))
    inside_g = np.abs(y - mean_g) <= stats.norm.ppf(0.95) * sigma_hat
    low, high = x < 1, x > 2
    assert inside_p[low].mean() >= 0.88 and inside_p[high].mean() >= 0.88
    assert inside_g[low].mean() > 0.95 and inside_g[high].mean() < 0.85
    assert stats.norm(mean_g[0], sigma_hat).cdf(0.0) > 0.1


def test_poisson_estimates_of_the_slope_vary_less_than_squared_error_ones():
    poisson, squared = [], []
    for seed in range(1, 301):
        x, y, _ = noisy_data.counts(seed=seed)
        poisson.append(sm.GLM(y, sm.add_constant(x), family=sm.families.Poisson()).fit().params[1])
        squared.append(
            optimize.least_squares(lambda p, x=x, y=y: np.exp(p[0] + p[1] * x) - y, [0.0, 0.0]).x[1]
        )
    assert abs(np.mean(poisson) - 0.8) < 0.02 and abs(np.mean(squared) - 0.8) < 0.02
    assert np.var(squared) / np.var(poisson) > 1.2


# The chapter's seeded data sets


def test_line_with_outliers_is_seeded_and_marks_its_outliers():
    x, y, outlier = noisy_data.line_with_outliers()
    x2, y2, _ = noisy_data.line_with_outliers()
    np.testing.assert_array_equal(y, y2)
    assert x.shape == y.shape == outlier.shape == (40,)
    assert outlier.dtype == bool and outlier.sum() == 4 and np.all(outlier[-4:])
    assert np.all(np.diff(x) >= 0) and 0 <= x.min() and x.max() <= 10
    residual = y - (1.0 + 0.5 * x)
    assert np.all(residual[outlier] < -5) and np.all(np.abs(residual[~outlier]) < 2.5)
    assert not np.array_equal(noisy_data.line_with_outliers(seed=2)[1], y)


def test_counts_are_seeded_poisson_with_a_log_link():
    x, y, lam = noisy_data.counts(n=20000, seed=3)
    np.testing.assert_allclose(lam, np.exp(0.5 + 0.8 * x))
    assert y.dtype.kind == "i" and np.all(y >= 0)
    assert 0 <= x.min() and x.max() <= 3 and np.all(np.diff(x) >= 0)
    # Poisson: the mean and the variance of the standardised counts
    z = (y - lam) / np.sqrt(lam)
    assert abs(z.mean()) < 0.03 and abs(z.var() - 1) < 0.05
    np.testing.assert_array_equal(noisy_data.counts()[1], noisy_data.counts()[1])


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: noisy_data.line_with_outliers(n=0), "n must be a positive integer"),
        (
            lambda: noisy_data.line_with_outliers(n_outliers=20),
            r"n_outliers must be an integer in \[0, n/2\)",
        ),
        (lambda: noisy_data.line_with_outliers(n_outliers=-1), "n_outliers"),
        (lambda: noisy_data.line_with_outliers(sigma=0), "sigma must be > 0"),
        (lambda: noisy_data.line_with_outliers(shift=np.nan), "shift must contain only finite numbers"),
        (lambda: noisy_data.counts(n=2.5), "n must be a positive integer"),
        (lambda: noisy_data.counts(slope=10), "exp"),
        (lambda: noisy_data.counts(intercept=np.inf), "intercept must contain only finite numbers"),
    ],
)
def test_noisy_data_rejects_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
