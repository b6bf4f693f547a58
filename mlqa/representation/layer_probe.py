"""Which layers of a trained network give useful embeddings: k-NN accuracy on each layer's activations (Q1)."""

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.neighbors import KNeighborsClassifier
from torch import Tensor, nn
from tqdm.auto import tqdm

from mlqa.representation.data import digits_halves, references_and_queries
from mlqa.utils import get_device

LAYERS = ("pixels", "conv1", "conv2", "pool", "fc1", "fc2 (penultimate)", "logits")


class SmallCNN(nn.Module):
    """Two 3x3 convolutions, a 2x2 max-pool, then three fully connected layers, for 8x8 digits (Q1)."""

    def __init__(self, n_classes: int = 10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.fc1 = nn.Linear(16 * 4 * 4, 64)
        self.fc2 = nn.Linear(64, 32)
        self.out = nn.Linear(32, n_classes)

    def activations(self, x: Tensor) -> list[Tensor]:
        """The flattened output of every layer, in the order of LAYERS, for images x (n, 64) (Q1)."""
        h0 = x.reshape(-1, 1, 8, 8)
        h1 = torch.relu(self.conv1(h0))
        h2 = torch.relu(self.conv2(h1))
        h3 = nn.functional.max_pool2d(h2, 2).flatten(1)
        h4 = torch.relu(self.fc1(h3))
        h5 = torch.relu(self.fc2(h4))
        return [h.flatten(1) for h in (h0, h1, h2, h3, h4, h5, self.out(h5))]

    def forward(self, x: Tensor) -> Tensor:
        """Class logits (Q1)."""
        return self.activations(x)[-1]


def train_cnn(X: np.ndarray, y: np.ndarray, epochs: int = 15, lr: float = 1e-2, batch_size: int = 128,
              seed: int = 0, device: torch.device | str | None = None) -> SmallCNN:
    """Train SmallCNN on images X (n, 64) and labels y with Adam and cross-entropy (Q1)."""
    if len(X) != len(y) or len(X) == 0:
        raise ValueError(f"X and y must be non-empty and of equal length, got {len(X)} and {len(y)}")
    device = device or get_device()
    torch.manual_seed(seed)
    model = SmallCNN(int(np.max(y)) + 1).to(device)
    inputs = torch.as_tensor(np.asarray(X, dtype=np.float32), device=device)
    targets = torch.as_tensor(np.asarray(y), device=device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        for batch in torch.randperm(len(inputs), generator=generator).to(device).split(batch_size):
            loss = nn.functional.cross_entropy(model(inputs[batch]), targets[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model.eval()


@torch.no_grad()
def layer_features(model: SmallCNN, X: np.ndarray) -> list[np.ndarray]:
    """Every layer's activations of images X, as NumPy arrays in the order of LAYERS (Q1)."""
    device = next(model.parameters()).device
    return [h.cpu().numpy() for h in model.activations(torch.as_tensor(np.asarray(X, dtype=np.float32),
                                                                        device=device))]


def knn_accuracy(features: np.ndarray, labels: np.ndarray, references: np.ndarray, queries: np.ndarray,
                 k: int = 3) -> float:
    """Accuracy of a cosine k-nearest-neighbour classifier that sees only the reference rows' labels (Q1)."""
    if k > len(references):
        raise ValueError(f"k={k} exceeds the {len(references)} reference rows")
    knn = KNeighborsClassifier(n_neighbors=k, metric="cosine").fit(features[references], labels[references])
    return float(knn.score(features[queries], labels[queries]))


@dataclass(frozen=True)
class LayerProbe:
    """k-NN accuracy per seed (rows) and layer (columns, LAYERS) for trained and untrained CNNs (Q1)."""

    layers: tuple[str, ...]
    trained: np.ndarray
    untrained: np.ndarray
    references_per_class: int


def probe_layers(seeds: tuple[int, ...] = (0, 1, 2), references_per_class: int = 5, k: int = 3, epochs: int = 15,
                 device: torch.device | str | None = None, progress: bool = False) -> LayerProbe:
    """Train SmallCNN on one half of the digits; k-NN with a few references per class on the other half (Q1)."""
    if not seeds:
        raise ValueError("seeds is empty: need at least one seed")
    trained, untrained = [], []
    for seed in tqdm(seeds, disable=not progress, desc="seeds"):
        data = digits_halves(seed)
        references, queries = references_and_queries(data.y_test, references_per_class, seed)
        torch.manual_seed(seed)
        initial = SmallCNN().to(device or get_device()).eval()  # the weights training starts from (same seed)
        final = train_cnn(data.X_train, data.y_train, epochs, seed=seed, device=device)
        for model, rows in ((final, trained), (initial, untrained)):
            rows.append([knn_accuracy(f, data.y_test, references, queries, k)
                         for f in layer_features(model, data.X_test)])
    return LayerProbe(LAYERS, np.array(trained), np.array(untrained), references_per_class)
