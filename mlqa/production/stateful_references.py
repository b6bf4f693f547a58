"""The stateful loop with library learners: scikit-learn's `partial_fit` and river's `learn_one` (Q20)."""

from __future__ import annotations

import time

import numpy as np
from river import tree
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_limits

from mlqa.production.continual import History
from mlqa.production.stream import Window

REFERENCES = ("scikit-learn MLP partial_fit", "river Hoeffding adaptive tree")


def run_reference(stream: list[Window], library: str, epochs: int = 15, seed: int = 0) -> History:
    """Stateful updates window by window with a library learner; same bookkeeping as `run_strategy` (Q20)."""
    if library not in REFERENCES:
        raise ValueError(f"library must be one of {REFERENCES}, got {library!r}")
    history = History(library)
    if library == REFERENCES[0]:
        model = MLPClassifier(hidden_layer_sizes=(64, 64), learning_rate_init=3e-3, batch_size=32, random_state=seed)
    else:
        model = tree.HoeffdingAdaptiveTreeClassifier(seed=seed)
    matrix = np.zeros((len(stream), len(stream)))
    with threadpool_limits(limits=1):
        for t, window in enumerate(stream):
            start = time.perf_counter()
            if library == REFERENCES[0]:
                for _ in range(epochs):  # one partial_fit call is one pass over the window
                    model.partial_fit(window.X, window.y, classes=[0, 1])
                history.examples.append(epochs * len(window.y))
                predict = model.predict
            else:  # river learns one example at a time, in a single pass
                for x, y in zip(window.X, window.y):
                    model.learn_one({"x1": float(x[0]), "x2": float(x[1])}, int(y))
                history.examples.append(len(window.y))

                def predict(X: np.ndarray) -> np.ndarray:
                    return np.array([model.predict_one({"x1": float(a), "x2": float(b)}) for a, b in X])
            history.seconds.append(time.perf_counter() - start)
            if t + 1 < len(stream):
                history.next_accuracy.append(float(np.mean(predict(stream[t + 1].X) == stream[t + 1].y)))
            matrix[t] = [np.mean(predict(w.X_test) == w.y_test) for w in stream]
    history.accuracy_matrix = matrix
    return history
