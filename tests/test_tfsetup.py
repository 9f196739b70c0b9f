"""`tfsetup.load()` keeps TensorFlow's CUDA-probing noise out of the pages, not real warnings,
(TensorFlow's own warnings included, on stderr even in a kernel),
and makes training reproducible."""

import subprocess
import sys

SCRIPT = """
import sys
sys.ps1 = ">>> "  # as in a Jupyter kernel, where TensorFlow's logger would write to stdout
import likelihood_course as lc
lc.tfsetup.load(seed=SEED)
import os, warnings
import tensorflow as tf, tf_keras
assert os.environ["TF_USE_LEGACY_KERAS"] == "1"
model = tf_keras.Sequential([tf_keras.layers.Dense(1, input_shape=(2,))])
model.compile(optimizer="sgd", loss="mse")
model.fit(tf.ones((8, 2)), tf.zeros((8, 1)), epochs=3, verbose=0)
print(repr(model.get_weights()[0].ravel().tolist()))
warnings.warn("a real warning from the chapter's own code")
tf.get_logger().warning("a warning from TensorFlow")
tf.get_logger().info("TensorFlow's news")
"""


def run(seed):
    return subprocess.run(
        [sys.executable, "-c", SCRIPT.replace("SEED", str(seed))], capture_output=True, text=True, timeout=300
    )


def test_import_is_quiet_real_warnings_still_show_and_training_is_seeded():
    first, second, other = run(0), run(0), run(1)
    assert first.returncode == 0, first.stderr
    stderr_lines = [line for line in first.stderr.splitlines() if line.strip()]
    assert all(
        "a real warning" in line
        or line.strip().startswith("warnings.warn")
        or line == "WARNING:tensorflow:a warning from TensorFlow"
        for line in stderr_lines
    ), f"unexpected stderr: {first.stderr}"
    assert any("a real warning" in line for line in stderr_lines), "the chapter's own warning was hidden"
    # on stderr, where the build fails on it (stderr_output: error), not on stdout into the page
    assert "WARNING:tensorflow:a warning from TensorFlow" in stderr_lines, (
        "TensorFlow's warning did not reach stderr"
    )
    assert "TensorFlow" not in first.stdout, f"TensorFlow logged to stdout: {first.stdout}"
    assert "cuda" not in first.stderr.lower()
    assert first.stdout == second.stdout, "same seed, different weights"
    assert first.stdout != other.stdout, "the seed has no effect"
