"""What chapter 5 (classifiers) says of the pinned libraries, held against independent references:
TensorFlow Probability's log_prob and Keras' losses against scipy.stats and closed forms, at large
logits too, and at statsmodels' maximum likelihood estimate. No training: where the chapter trains
to that estimate, we check that it is a stationary point of the chapter's two losses (the trained
weights themselves are the chapter's glued numbers, held in test_chapter_numbers.py)."""

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import special, stats

import likelihood_course as lc

# tf_keras draws an initializer seed with random.randint(1, 1e9), a float bound that Python 3.10+
# deprecates: the library's noise, not ours.
pytestmark = pytest.mark.filterwarnings("ignore:non-integer arguments to randrange:DeprecationWarning")

Y = np.array([0, 1, 1])
P = np.array([0.1, 0.8, 0.6])


# Chapter 5: binary cross-entropy is the mean Bernoulli NLL ---------------------------------------


def test_tfp_bernoulli_log_prob_matches_scipy(tf, tfd):
    tfp_nll = -tf.reduce_mean(tfd.Bernoulli(probs=P).log_prob(Y)).numpy()
    assert tfp_nll == pytest.approx(-np.mean(stats.bernoulli.logpmf(Y, P)), rel=1e-6)


def test_large_logits_lose_information_in_float32_probabilities(tf, tfd, tf_keras):
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


def test_log_sigmoid_of_a_large_negative_logit(tf, tfd):
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


def test_sparse_categorical_cross_entropy_is_the_categorical_nll(categorical, tf, tfd, tf_keras):
    logits, y = categorical
    probs = special.softmax(logits, axis=1)
    closed_form = -np.mean(np.log(probs[np.arange(y.size), y]))
    one_hot = np.eye(4)[y]
    sparse = tf_keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, logits).numpy()
    sparse_probs = tf_keras.losses.SparseCategoricalCrossentropy()(y, probs).numpy()
    dense = tf_keras.losses.CategoricalCrossentropy(from_logits=True)(one_hot, logits).numpy()
    by_tfp = -tf.reduce_mean(tfd.Categorical(logits=logits).log_prob(y)).numpy()
    assert by_tfp == pytest.approx(closed_form, rel=1e-10)
    for keras in (sparse, sparse_probs, dense):
        assert keras == pytest.approx(closed_form, rel=1e-5)
    assert lc.likelihood.sparse_categorical_cross_entropy(y, probs) == pytest.approx(closed_form, rel=1e-12)


def test_binary_cross_entropy_is_categorical_with_two_classes(tf_keras):
    z = np.array([-2.0, 0.3, 1.7, 5.0])
    y = np.array([0, 1, 0, 1])
    two_logits = np.column_stack([np.zeros_like(z), z])  # softmax(0, z)_1 = sigmoid(z)
    scce = tf_keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, two_logits).numpy()
    bce = tf_keras.losses.BinaryCrossentropy(from_logits=True)(y[:, None], z[:, None]).numpy()
    assert scce == pytest.approx(bce, rel=1e-6)


# Chapter 5: the statsmodels MLE is where both losses of the chapter are flat ---------------------


@pytest.fixture(scope="module")
def logit_mle():
    x, y = lc.data.two_classes()
    fit = sm.Logit(y.astype(float), sm.add_constant(x)).fit(disp=0, tol=1e-12)
    b, w1, w2 = fit.params
    return x, y, np.array([w1, w2]), b, fit


@pytest.fixture
def bernoulli_models(logit_mle, tf, tfp, tfd, tf_keras):
    """The chapter's two models (a sigmoid Dense layer, a Bernoulli DistributionLambda) at the MLE."""
    _, _, w, b, _ = logit_mle
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


def test_keras_and_tfp_losses_equal_statsmodels_log_likelihood(logit_mle, bernoulli_models, tf_keras):
    x, y, w, b, fit = logit_mle
    by_keras, by_tfp = bernoulli_models
    bce = tf_keras.losses.binary_crossentropy(y[:, None].astype(float), by_keras(x)).numpy()
    nll = -by_tfp(x).log_prob(y[:, None].astype(float)).numpy()
    assert np.mean(bce) == pytest.approx(-fit.llf / y.size, rel=1e-6)
    assert np.mean(nll) == pytest.approx(-fit.llf / y.size, rel=1e-6)


def test_statsmodels_mle_is_a_stationary_point_of_both_losses(logit_mle, bernoulli_models, tf, tf_keras):
    x, y, w, b, _ = logit_mle
    yc = tf.constant(y[:, None].astype(float))
    for model, loss in zip(
        bernoulli_models,
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
