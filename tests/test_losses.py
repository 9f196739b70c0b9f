"""The claims of chapters 5 (classifiers) and 6 (regression), held against independent references:
Keras' losses and TensorFlow Probability's log_prob against scipy.stats, closed forms, statsmodels
and np.linalg.lstsq. No training: where a chapter trains to a maximum likelihood estimate, we check
instead that the reference estimate is a stationary point of the chapter's loss."""

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import special, stats

import likelihood_course as lc

lc.tfsetup.load()
import tensorflow as tf  # noqa: E402
import tensorflow_probability as tfp  # noqa: E402
import tf_keras  # noqa: E402

tfd = tfp.distributions

# tf_keras draws an initializer seed with random.randint(1, 1e9), a float bound that Python 3.10+
# deprecates: the library's noise, not ours.
pytestmark = pytest.mark.filterwarnings("ignore:non-integer arguments to randrange:DeprecationWarning")

Y = np.array([0, 1, 1])
P = np.array([0.1, 0.8, 0.6])


# Chapter 5: binary cross-entropy is the mean Bernoulli NLL ---------------------------------------


def test_keras_binary_cross_entropy_is_the_mean_bernoulli_nll():
    keras = tf_keras.losses.BinaryCrossentropy()(Y[:, None], P[:, None]).numpy()
    scipy_nll = -np.mean(stats.bernoulli.logpmf(Y, P))
    closed_form = -(np.log(0.9) + np.log(0.8) + np.log(0.6)) / 3
    assert closed_form == pytest.approx(0.27978, abs=5e-6)
    assert scipy_nll == pytest.approx(closed_form, rel=1e-12)
    assert keras == pytest.approx(closed_form, abs=1e-6)
    assert lc.likelihood.binary_cross_entropy(Y, P) == pytest.approx(closed_form, rel=1e-12)


def test_tfp_bernoulli_log_prob_matches_scipy():
    tfp_nll = -tf.reduce_mean(tfd.Bernoulli(probs=P).log_prob(Y)).numpy()
    assert tfp_nll == pytest.approx(-np.mean(stats.bernoulli.logpmf(Y, P)), rel=1e-6)


def test_from_logits_equals_the_sigmoid_version_for_moderate_logits():
    z = np.array([[-3.0], [-0.4], [0.0], [1.2], [4.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0], [1.0]])
    p = special.expit(z)
    from_logits = tf_keras.losses.BinaryCrossentropy(from_logits=True)(y, z).numpy()
    from_probs = tf_keras.losses.BinaryCrossentropy()(y, p).numpy()
    exact = -np.mean(stats.bernoulli.logpmf(y, p))
    assert from_logits == pytest.approx(exact, rel=1e-6)
    assert from_probs == pytest.approx(exact, rel=1e-5)


def test_large_logits_lose_information_in_float32_probabilities():
    z = tf.constant([[20.0], [40.0]])
    y0 = tf.zeros_like(z)
    p = tf.sigmoid(z)  # an eager tensor: Keras cannot recover the logit from it
    assert np.all(p.numpy() == 1.0)
    exact = np.logaddexp(0.0, [20.0, 40.0])  # -log(1 - sigmoid(z)) = log(1 + e^z)
    from_logits = tf_keras.losses.binary_crossentropy(y0, z, from_logits=True).numpy()
    np.testing.assert_allclose(from_logits, exact, rtol=1e-6)
    np.testing.assert_allclose(-tfd.Bernoulli(logits=z).log_prob(y0).numpy().ravel(), exact, rtol=1e-6)
    from_probs = tf_keras.losses.binary_crossentropy(y0, p).numpy()
    assert from_probs[0] == from_probs[1]  # saturated: the two logits are indistinguishable
    assert from_probs[0] < 17.0
    assert np.all(np.isinf(-tfd.Bernoulli(probs=p).log_prob(y0).numpy()))


def test_log_sigmoid_of_a_large_negative_logit():
    assert np.isneginf(tf.math.log(tf.sigmoid(-200.0)).numpy())
    assert tf.math.log_sigmoid(-200.0).numpy() == pytest.approx(-200.0)
    assert tfd.Bernoulli(logits=-200.0).log_prob(1.0).numpy() == pytest.approx(-200.0)


# Chapter 5: categorical and sparse categorical cross-entropy are the categorical NLL -------------


@pytest.fixture(scope="module")
def categorical():
    rng = np.random.default_rng(5)
    logits = rng.normal(scale=2.0, size=(40, 4))
    y = rng.integers(0, 4, size=40)
    return logits, y


def test_sparse_categorical_cross_entropy_is_the_categorical_nll(categorical):
    logits, y = categorical
    probs = special.softmax(logits, axis=1)
    closed_form = -np.mean(np.log(probs[np.arange(y.size), y]))
    one_hot = np.eye(4)[y]
    by_scipy = -np.mean(stats.multinomial.logpmf(one_hot, n=1, p=probs))
    sparse = tf_keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, logits).numpy()
    sparse_probs = tf_keras.losses.SparseCategoricalCrossentropy()(y, probs).numpy()
    dense = tf_keras.losses.CategoricalCrossentropy(from_logits=True)(one_hot, logits).numpy()
    by_tfp = -tf.reduce_mean(tfd.Categorical(logits=logits).log_prob(y)).numpy()
    assert by_scipy == pytest.approx(closed_form, rel=1e-10)
    assert by_tfp == pytest.approx(closed_form, rel=1e-10)
    for keras in (sparse, sparse_probs, dense):
        assert keras == pytest.approx(closed_form, rel=1e-5)
    assert lc.likelihood.sparse_categorical_cross_entropy(y, probs) == pytest.approx(closed_form, rel=1e-12)


def test_binary_cross_entropy_is_categorical_with_two_classes():
    z = np.array([-2.0, 0.3, 1.7, 5.0])
    y = np.array([0, 1, 0, 1])
    two_logits = np.column_stack([np.zeros_like(z), z])  # softmax(0, z)_1 = sigmoid(z)
    scce = tf_keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, two_logits).numpy()
    bce = tf_keras.losses.BinaryCrossentropy(from_logits=True)(y[:, None], z[:, None]).numpy()
    assert scce == pytest.approx(bce, rel=1e-6)


@pytest.mark.parametrize("k", [2, 3, 10])
def test_equal_logits_give_a_loss_of_ln_k(k):
    y = np.arange(30) % k
    loss = tf_keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, np.zeros((30, k))).numpy()
    assert loss == pytest.approx(np.log(k), rel=1e-6)


def test_small_initial_weights_start_near_ln_k():
    x, y = lc.data.three_classes()
    tf_keras.utils.set_random_seed(0)
    model = tf_keras.Sequential(
        [
            tf_keras.Input(shape=(2,)),
            tf_keras.layers.Dense(
                3, kernel_initializer=tf_keras.initializers.RandomNormal(stddev=0.01, seed=0)
            ),
        ]
    )
    loss = tf_keras.losses.SparseCategoricalCrossentropy(from_logits=True)(
        y, model(x.astype("float32"))
    ).numpy()
    assert loss == pytest.approx(np.log(3), abs=0.01)


# Chapter 5: the statsmodels MLE is where both losses of the chapter are flat ---------------------


@pytest.fixture(scope="module")
def logit_mle():
    x, y = lc.data.two_classes()
    fit = sm.Logit(y.astype(float), sm.add_constant(x)).fit(disp=0, tol=1e-12)
    b, w1, w2 = fit.params
    return x, y, np.array([w1, w2]), b, fit


def _bernoulli_models(w, b):
    dense = tf_keras.layers.Dense(1, activation="sigmoid", dtype="float64")
    by_keras = tf_keras.Sequential([tf_keras.Input(shape=(2,), dtype="float64"), dense])
    by_tfp = tf_keras.Sequential(
        [
            tf_keras.Input(shape=(2,), dtype="float64"),
            tf_keras.layers.Dense(1, dtype="float64"),
            tfp.layers.DistributionLambda(lambda t: tfd.Bernoulli(logits=t, dtype=tf.float64)),
        ]
    )
    for model in (by_keras, by_tfp):
        model.set_weights([w[:, None], np.array([b])])
    return by_keras, by_tfp


def test_keras_and_tfp_losses_equal_statsmodels_log_likelihood(logit_mle):
    x, y, w, b, fit = logit_mle
    by_keras, by_tfp = _bernoulli_models(w, b)
    bce = tf_keras.losses.binary_crossentropy(y[:, None].astype(float), by_keras(x)).numpy()
    nll = -by_tfp(x).log_prob(y[:, None].astype(float)).numpy()
    assert np.mean(bce) == pytest.approx(-fit.llf / y.size, rel=1e-6)
    assert np.mean(nll) == pytest.approx(-fit.llf / y.size, rel=1e-6)


def test_statsmodels_mle_is_a_stationary_point_of_both_losses(logit_mle):
    x, y, w, b, _ = logit_mle
    yc = tf.constant(y[:, None].astype(float))
    for model, loss in zip(
        _bernoulli_models(w, b),
        [
            lambda m: tf.reduce_mean(tf_keras.losses.binary_crossentropy(yc, m(x))),
            lambda m: -tf.reduce_mean(m(x).log_prob(yc)),
        ],
    ):
        with tf.GradientTape() as tape:
            value = loss(model)
        grads = tape.gradient(value, model.trainable_variables)
        assert max(float(np.max(np.abs(g))) for g in grads) < 1e-6
    # and it is a minimum: moving a weight away raises the loss
    base = lc.likelihood.binary_cross_entropy(y, special.expit(x @ w + b))
    for dw in ([0.05, 0], [0, -0.05]):
        assert lc.likelihood.binary_cross_entropy(y, special.expit(x @ (w + dw) + b)) > base


# Chapter 6: the Gaussian NLL is squared error -----------------------------------------------------


@pytest.fixture(scope="module")
def line_data():
    x, y = lc.data.linear()
    design = np.column_stack([np.ones_like(x), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    return x, y, design, coef


@pytest.mark.parametrize("sigma", [0.5, 1.0, 2.3])
def test_gaussian_nll_formula(line_data, sigma):
    x, y, _, _ = line_data
    y_hat = 0.2 + 0.5 * x
    n, sse = y.size, np.sum((y - y_hat) ** 2)
    formula = n / 2 * np.log(2 * np.pi * sigma**2) + sse / (2 * sigma**2)
    assert -np.sum(stats.norm.logpdf(y, loc=y_hat, scale=sigma)) == pytest.approx(formula, rel=1e-12)
    by_tfp = -tf.reduce_sum(tfd.Normal(loc=y_hat, scale=sigma).log_prob(y)).numpy()
    assert by_tfp == pytest.approx(formula, rel=1e-10)
    mse = tf_keras.losses.MeanSquaredError()(y[:, None], y_hat[:, None]).numpy()
    assert n * mse == pytest.approx(sse, rel=1e-10)
    # fixed sigma: NLL is an increasing affine function of MSE
    assert formula == pytest.approx(
        n / 2 * np.log(2 * np.pi * sigma**2) + n * mse / (2 * sigma**2), rel=1e-10
    )


def test_least_squares_minimises_the_gaussian_nll_for_every_sigma(line_data):
    x, y, _, (b, w) = line_data
    for sigma in (0.3, 1.0, 4.0):
        best = -np.sum(stats.norm.logpdf(y, loc=b + w * x, scale=sigma))
        for db, dw in ((0.01, 0), (-0.01, 0), (0, 0.01), (0, -0.01)):
            other = -np.sum(stats.norm.logpdf(y, loc=b + db + (w + dw) * x, scale=sigma))
            assert other > best


def test_least_squares_is_where_mse_and_tfp_nll_are_flat(line_data):
    x, y, _, (b, w) = line_data
    xc, yc = tf.constant(x[:, None]), tf.constant(y[:, None])
    weights = [tf.Variable([[w]]), tf.Variable([b])]
    for loss in (
        lambda loc: tf.reduce_mean(tf_keras.losses.mean_squared_error(yc, loc)),
        lambda loc: -tf.reduce_mean(tfd.Normal(loc=loc, scale=1.0).log_prob(yc)),
    ):
        with tf.GradientTape() as tape:
            value = loss(xc @ weights[0] + weights[1])
        grads = tape.gradient(value, weights)
        assert max(float(np.max(np.abs(g))) for g in grads) < 1e-10


def test_least_squares_agrees_with_statsmodels(line_data):
    _, y, design, coef = line_data
    np.testing.assert_allclose(sm.OLS(y, design).fit().params, coef, rtol=1e-10)


# Chapter 6: the MLE of sigma is the root mean squared residual -----------------------------------


def test_sigma_mle_is_the_root_mean_squared_residual(line_data):
    x, y, design, (b, w) = line_data
    n, p = design.shape
    residuals = y - (b + w * x)
    sigma_hat = np.sqrt(np.mean(residuals**2))
    ols = sm.OLS(y, design).fit()
    assert sigma_hat == pytest.approx(np.sqrt(ols.ssr / n), rel=1e-12)
    assert ols.scale == pytest.approx(ols.ssr / (n - p), rel=1e-12)  # the unbiased one
    assert sigma_hat == pytest.approx(np.sqrt(ols.scale * (n - p) / n), rel=1e-12)
    # statsmodels' log-likelihood is the Gaussian one at the MLE of sigma
    nll_hat = -np.sum(stats.norm.logpdf(y, loc=b + w * x, scale=sigma_hat))
    assert nll_hat == pytest.approx(-ols.llf, rel=1e-12)
    # and sigma_hat minimises the NLL over sigma
    for s in (0.95 * sigma_hat, 1.05 * sigma_hat, np.sqrt(ols.scale)):
        assert -np.sum(stats.norm.logpdf(y, loc=b + w * x, scale=s)) > nll_hat
    assert abs(sigma_hat - 0.5) < 0.05  # the data's true sigma


def test_softplus_scale_is_flat_at_the_sigma_mle(line_data):
    """The chapter's learned constant sigma, 1e-3 + softplus(s): at s with sigma = sigma_hat the
    gradient of the mean NLL with respect to s vanishes."""
    x, y, _, (b, w) = line_data
    sigma_hat = np.sqrt(np.mean((y - b - w * x) ** 2))
    s = tf.Variable(np.log(np.expm1(sigma_hat - 1e-3)))  # the inverse of softplus
    with tf.GradientTape() as tape:
        dist = tfd.Normal(loc=b + w * x, scale=1e-3 + tf.math.softplus(s))
        value = -tf.reduce_mean(dist.log_prob(y))
    assert float(tape.gradient(value, s)) == pytest.approx(0.0, abs=1e-10)
    assert float(dist.stddev()[0]) == pytest.approx(sigma_hat, rel=1e-12)
