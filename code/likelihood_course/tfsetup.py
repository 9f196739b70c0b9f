"""TensorFlow, quietly and reproducibly.

The TensorFlow wheel probes for CUDA when it is imported and writes that noise straight to file
descriptor 2, past Python's warnings machinery. `load()` does the import and the device probe with
that descriptor pointed at /dev/null, so that a chapter's `import tensorflow` afterwards is silent,
and turns off TensorFlow's C++ log; Python warnings raised by the chapter's own code still show. It also selects legacy Keras 2
(`tf_keras`), which `tfp.layers` needs, and seeds Python, NumPy and TensorFlow.
"""

import logging
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
    """Import TensorFlow, TensorFlow Probability and tf_keras without the CUDA noise, and seed
    (an integer in [0, 2**32 - 1], checked before anything is imported)."""
    from ._checks import as_seed

    seed = as_seed(seed)
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # tfp.layers works with Keras 2 only
    # TensorFlow's C++ log: tf_keras 2.18 on TF 2.18 logs a harmless "NodeDef mentions attribute
    # use_unbounded_threadpool" ERROR line at every fit. Real failures still raise Python exceptions.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    with _stderr_to_devnull():
        import tensorflow as tf

        tf.config.list_physical_devices("GPU")  # the CUDA probe, while stderr is quiet
        import tensorflow_probability  # noqa: F401
        import tf_keras

    # In a Jupyter kernel (sys.ps1 is set) TensorFlow's logger writes to stdout at level INFO, so its
    # warnings (a tf.function retracing, with memory addresses) would pass the build's check of
    # stderr and change the page at every build: they go to stderr, INFO stays out, as in a script.
    logger = tf.get_logger()
    logger.setLevel(logging.WARNING)
    for handler in logger.handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(sys.stderr)
    tf_keras.utils.set_random_seed(seed)  # Python, NumPy and TensorFlow
    tf.config.experimental.enable_op_determinism()
