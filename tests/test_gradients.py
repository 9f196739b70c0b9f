"""Chapter 5's gradient of the cross-entropy with respect to the logits: the helper's
softmax(z) - onehot(y) held against central finite differences of the categorical NLL (written
with log-sum-exp), its K = 2 case against the binary theta - y, and what TensorFlow's tape returns
from a probability rounded to 1 (the chapter's own tape-against-formula check is glued and held in
test_chapter_values.py)."""

import numpy as np
import pytest
from scipy import special

import likelihood_course as lc

H = 1e-6  # central differences in float64: error about H^2 plus rounding / H


def categorical_nll(z, y):
    """The categorical NLL, -z_y + log sum_j exp(z_j), row by row."""
    return float(np.sum(special.logsumexp(z, axis=1) - z[np.arange(len(y)), y]))


def finite_differences(f, z):
    grad = np.zeros_like(z)
    for index in np.ndindex(z.shape):
        step = np.zeros_like(z)
        step[index] = H
        grad[index] = (f(z + step) - f(z - step)) / (2 * H)
    return grad


@pytest.mark.parametrize("k", [2, 3, 5])
def test_categorical_gradient_is_softmax_minus_one_hot(k):
    rng = np.random.default_rng(10 + k)
    z = rng.normal(scale=2.0, size=(6, k))
    y = rng.integers(0, k, size=6)
    numeric = finite_differences(lambda v: categorical_nll(v, y), z)
    np.testing.assert_allclose(numeric, lc.likelihood.softmax(z) - np.eye(k)[y], atol=1e-7)


def test_two_logits_give_the_binary_gradient_of_their_difference():
    """K = 2 with the logit difference z1 - z0 is the binary case (the derivation's last remark)."""
    z = np.array([[0.3, -1.2], [2.0, 0.5]])
    y = np.array([1, 0])
    grad = lc.likelihood.softmax(z) - np.eye(2)[y]
    binary = special.expit(z[:, 1] - z[:, 0]) - y
    np.testing.assert_allclose(grad[:, 1], binary, atol=1e-15)
    np.testing.assert_allclose(grad[:, 0], -binary, atol=1e-15)


def test_from_a_rounded_probability_the_gradient_vanishes_from_the_logit_it_does_not(tf, tf_keras):
    z = tf.Variable([[20.0]])
    with tf.GradientTape(persistent=True) as tape:
        via_logit = tf_keras.losses.binary_crossentropy([[0.0]], z, from_logits=True)
        via_probability = tf_keras.losses.binary_crossentropy([[0.0]], tf.sigmoid(z))
    assert float(tape.gradient(via_logit, z)[0, 0]) == pytest.approx(special.expit(20.0), abs=1e-6)
    assert float(tape.gradient(via_probability, z)[0, 0]) == 0.0
