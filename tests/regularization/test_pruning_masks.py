"""L1 unstructured magnitude pruning: the same masks as torch.nn.utils.prune."""

import pytest
import torch
from torch.nn.utils import prune

from mlqa.regularization import StackedMLP, l1_unstructured_mask, stacked_masks


@pytest.mark.parametrize("amount", [0.0, 0.3, 0.5, 0.8, 0.95])
def test_same_masks_as_torch_prune(amount):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    for layer in (net[0], net[2]):
        ours = l1_unstructured_mask(layer.weight, amount)
        prune.l1_unstructured(layer, "weight", amount=amount)
        assert torch.equal(ours, layer.weight_mask)  # exact: no ties among random float weights


def test_stacked_masks_prune_each_model_separately():
    model = StackedMLP([0, 1], hidden=32)
    masks = stacked_masks([w.detach() for w in model.weights], 0.75)
    for w, m in zip(model.weights, masks):
        assert m.shape == w.shape
        assert torch.equal(m.flatten(1).sum(1), torch.full((2,), round(0.25 * w[0].numel()), dtype=m.dtype))
    with pytest.raises(ValueError, match="amount"):
        l1_unstructured_mask(torch.ones(3), 1.5)
