"""Early stopping: stops after `patience` epochs without improvement and restores each model's best weights."""

import torch

from mlqa.regularization import EarlyStopping, StackedMLP


def test_stops_on_patience_and_restores_the_best_checkpoint():
    model = StackedMLP([0, 1], hidden=4)
    stopper = EarlyStopping(2, patience=2)
    scores = [(0.5, 0.1), (0.7, 0.2), (0.6, 0.3), (0.6, 0.4), (0.9, 0.5)]
    snapshots, stopped_at = [], None
    for epoch, score in enumerate(scores):
        with torch.no_grad():
            model.weights[0].add_(1.0)
        snapshots.append(model.weights[0].detach().clone())
        if stopper.step(torch.tensor(score), model, epoch):
            stopped_at = epoch
            break
    assert stopper.best_epoch.tolist() == [1, 4]  # model 0 stopped at epoch 3 and never saw 0.9
    stopper.restore_best(model)
    assert torch.equal(model.weights[0][0], snapshots[1][0])
    assert torch.equal(model.weights[0][1], snapshots[4][1])
    assert stopped_at is None  # model 1 was still improving
