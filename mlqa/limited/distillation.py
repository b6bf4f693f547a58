"""Self-training and knowledge distillation: a pseudo-labeling teacher teaches a student on the pool (Q30).

The teacher is our pseudo-labeling logistic regression (scikit-learn, see `semi_supervised`); the student is a
small torch MLP that never sees more than the few true labels, plus the teacher's opinion on the unlabeled pool.
It learns either the teacher's hard labels (argmax) or its soft targets softened with a temperature T, with the
KL term scaled by T^2 as in Hinton et al. (2015), so that it also learns which digits the teacher finds alike.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from tqdm.auto import tqdm

from mlqa.limited.data import Split, TechniqueResult, digits_split
from mlqa.limited.nets import accuracy, mlp_classifier, train_classifier
from mlqa.limited.semi_supervised import pseudo_label_fit
from mlqa.regularization import distillation_loss
from mlqa.utils import torch_threads


def distill(teacher_logits: np.ndarray, X: np.ndarray, X_labeled: np.ndarray, y_labeled: np.ndarray,
            temperature: float = 4.0, epochs: int = 200, lr: float = 3e-3, seed: int = 0) -> torch.nn.Module:
    """Train an MLP student on T-softened teacher targets over X plus cross-entropy on the true labels (Q30)."""
    if temperature <= 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    student = mlp_classifier(teacher_logits.shape[1], seed=seed)
    inputs, labeled = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(X_labeled, dtype=torch.float32)
    teacher = torch.as_tensor(teacher_logits, dtype=torch.float32)
    labels = torch.as_tensor(y_labeled, dtype=torch.long)
    optimizer = torch.optim.Adam(student.parameters(), lr=lr, weight_decay=1e-4)
    student.train()
    for _ in range(epochs):
        soft_loss = distillation_loss(student(inputs), teacher, None, temperature).mean()  # T^2 * KL, Q6's loss
        loss = soft_loss + F.cross_entropy(student(labeled), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return student.eval()


def compare_students(split: Split, temperature: float = 4.0, seed: int = 0) -> dict[str, float]:
    """Test accuracy of the teacher and of students taught by true labels, hard pseudo-labels, soft targets (Q30)."""
    teacher = pseudo_label_fit(split)
    X_all = np.concatenate([split.X_labeled, split.X_pool])
    y_hard = np.concatenate([split.y_labeled, teacher.predict(split.X_pool)])
    with torch_threads():
        labels_only = train_classifier(mlp_classifier(split.n_classes, seed=seed), split.X_labeled,
                                       split.y_labeled, epochs=200, seed=seed)
        hard = train_classifier(mlp_classifier(split.n_classes, seed=seed), X_all, y_hard, epochs=200, seed=seed)
        soft = distill(teacher.decision_function(X_all), X_all, split.X_labeled, split.y_labeled, temperature,
                       seed=seed)
        return {"teacher (pseudo-labeling)": float(teacher.score(split.X_test, split.y_test)),
                "student, true labels only": accuracy(labels_only, split.X_test, split.y_test),
                "student, hard pseudo-labels": accuracy(hard, split.X_test, split.y_test),
                f"student, soft targets T={temperature:g}": accuracy(soft, split.X_test, split.y_test)}


def run(labels_per_class: int = 5, seeds: Sequence[int] = (0, 1, 2), progress: bool = False,
        temperature: float = 4.0) -> TechniqueResult:
    """Digits: an MLP on the true labels alone vs the same MLP distilled from a pseudo-labeling teacher (Q30)."""
    scores = [compare_students(digits_split(labels_per_class, seed), temperature, seed)
              for seed in tqdm(seeds, desc="seeds", disable=not progress)]
    details = {name: [s[name] for s in scores] for name in scores[0]}
    soft_name = f"student, soft targets T={temperature:g}"
    return TechniqueResult("self-training", "student, true labels only", soft_name,
                           details["student, true labels only"], details[soft_name], list(seeds),
                           labels_per_class, details)
