"""TensorFlow, quietly and reproducibly.

The TensorFlow wheel probes for CUDA when it is imported and writes that noise straight to file
descriptor 2, past Python's warnings machinery. `load()` does the import and the device probe with
that descriptor pointed at /dev/null, so that a chapter's `import tensorflow` afterwards is silent,
while warnings raised later by the chapter's own code still show. It also selects legacy Keras 2
(`tf_keras`), which `tfp.layers` needs, and seeds Python, NumPy and TensorFlow.
"""

import os
import sys
from contextlib import contextmanager


@contextmanager
def _stderr_to_devnull():
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def load(seed=0):
    """Import TensorFlow, TensorFlow Probability and tf_keras without the CUDA noise, and seed."""
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # tfp.layers works with Keras 2 only
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")  # no INFO lines about CPU instructions
    with _stderr_to_devnull():
        import tensorflow as tf

        tf.config.list_physical_devices("GPU")  # the CUDA probe, while stderr is quiet
        import tensorflow_probability  # noqa: F401
        import tf_keras

    tf_keras.utils.set_random_seed(seed)  # Python, NumPy and TensorFlow
    tf.config.experimental.enable_op_determinism()
