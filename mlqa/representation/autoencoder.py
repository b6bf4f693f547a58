"""An autoencoder with a 2-D bottleneck on 8x8 digits: its latent space and a decoded walk through it (Q1)."""

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.decomposition import PCA
from sklearn.neighbors import KNeighborsClassifier
from torch import Tensor, nn
from tqdm.auto import tqdm, trange

from mlqa.representation.data import digits_halves
from mlqa.utils import get_device


class Autoencoder(nn.Module):
    """64 pixels -> 2 latent numbers -> 64 pixels, with one hidden layer of 64 units on each side (Q1)."""

    def __init__(self, n_pixels: int = 64, latent_dim: int = 2, hidden: int = 64):
        super().__init__()
        if min(n_pixels, latent_dim, hidden) < 1:
            raise ValueError(f"sizes must be positive, got n_pixels={n_pixels}, latent_dim={latent_dim}, "
                             f"hidden={hidden}")
        self.encoder = nn.Sequential(nn.Linear(n_pixels, hidden), nn.ReLU(), nn.Linear(hidden, latent_dim))
        self.decoder = nn.Sequential(nn.Linear(latent_dim, hidden), nn.ReLU(), nn.Linear(hidden, n_pixels),
                                     nn.Sigmoid())

    def forward(self, x: Tensor) -> Tensor:
        """Reconstruct `x` through the bottleneck (Q1)."""
        return self.decoder(self.encoder(x))


def train_autoencoder(X: np.ndarray, latent_dim: int = 2, steps: int = 600, lr: float = 1e-2, batch_size: int = 128,
                      seed: int = 0, device: torch.device | str | None = None,
                      progress: bool = False) -> Autoencoder:
    """Fit an Autoencoder to images X (n, 64) in [0, 1] with Adam on the mean squared error (Q1)."""
    X = np.asarray(X, dtype=np.float32)
    if X.ndim != 2 or len(X) < batch_size:
        raise ValueError(f"X must be (n, pixels) with n >= batch_size={batch_size}, got shape {X.shape}")
    device = device or get_device()
    torch.manual_seed(seed)
    model = Autoencoder(X.shape[1], latent_dim).to(device)
    data = torch.from_numpy(X).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed)
    for _ in trange(steps, disable=not progress, desc="autoencoder"):
        batch = data[torch.randint(0, len(data), (batch_size,), generator=generator).to(device)]
        loss = nn.functional.mse_loss(model(batch), batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()


@torch.no_grad()
def encode(model: Autoencoder, X: np.ndarray) -> np.ndarray:
    """Latent codes (n, latent_dim) of images X (Q1)."""
    device = next(model.parameters()).device
    return model.encoder(torch.as_tensor(np.asarray(X, dtype=np.float32), device=device)).cpu().numpy()


@torch.no_grad()
def decode(model: Autoencoder, Z: np.ndarray) -> np.ndarray:
    """Images (n, 8, 8) decoded from latent codes Z (Q1)."""
    device = next(model.parameters()).device
    pixels = model.decoder(torch.as_tensor(np.asarray(Z, dtype=np.float32), device=device)).cpu().numpy()
    side = int(round(pixels.shape[1] ** 0.5))
    return pixels.reshape(len(pixels), side, side)


def reconstruction_error(model: Autoencoder, X: np.ndarray) -> float:
    """Mean squared error of the reconstructed pixels (Q1)."""
    images = decode(model, encode(model, X))
    return float(np.mean((images.reshape(len(X), -1) - X) ** 2))


def latent_walk(start: np.ndarray, end: np.ndarray, steps: int = 8) -> np.ndarray:
    """Evenly spaced points (steps, latent_dim) on the straight line from `start` to `end` in latent space (Q1)."""
    start, end = np.asarray(start, dtype=np.float64), np.asarray(end, dtype=np.float64)
    if start.shape != end.shape or start.ndim != 1:
        raise ValueError(f"start and end must be 1-D points of the same size, got {start.shape} and {end.shape}")
    if steps < 2:
        raise ValueError(f"a walk needs at least 2 steps, got {steps}")
    t = np.linspace(0.0, 1.0, steps)[:, None]
    return (1 - t) * start + t * end


def class_centres(codes: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The median latent code of each class (rows in class order) (Q1)."""
    codes, labels = np.asarray(codes), np.asarray(labels)
    if len(codes) != len(labels):
        raise ValueError(f"{len(codes)} codes but {len(labels)} labels")
    return np.stack([np.median(codes[labels == c], axis=0) for c in np.unique(labels)])


@dataclass(frozen=True)
class LatentStudy:
    """Per seed: test reconstruction error and 5-NN accuracy in 2-D, for the autoencoder and for 2-D PCA (Q1)."""

    seeds: tuple[int, ...]
    autoencoder_error: np.ndarray
    pca_error: np.ndarray
    autoencoder_knn: np.ndarray
    pca_knn: np.ndarray


def knn_in_latent_space(train_codes: np.ndarray, y_train: np.ndarray, test_codes: np.ndarray, y_test: np.ndarray,
                        k: int = 5) -> float:
    """Test accuracy of k-nearest neighbours on latent codes: how well the space keeps the classes apart (Q1)."""
    return float(KNeighborsClassifier(n_neighbors=k).fit(train_codes, y_train).score(test_codes, y_test))


def latent_study(seeds: tuple[int, ...] = (0, 1, 2), steps: int = 600, device: torch.device | str | None = None,
                 progress: bool = False) -> tuple[LatentStudy, Autoencoder]:
    """Train a 2-D autoencoder per seed and compare it with PCA to 2-D; also return the first seed's model (Q1)."""
    if not seeds:
        raise ValueError("seeds is empty: need at least one seed")
    rows, models = [], []
    for seed in tqdm(seeds, disable=not progress, desc="seeds"):
        data = digits_halves(seed)
        model = train_autoencoder(data.X_train, steps=steps, seed=seed, device=device)
        pca = PCA(n_components=2).fit(data.X_train)
        pca_images = pca.inverse_transform(pca.transform(data.X_test))
        rows.append((reconstruction_error(model, data.X_test), float(np.mean((pca_images - data.X_test) ** 2)),
                     knn_in_latent_space(encode(model, data.X_train), data.y_train, encode(model, data.X_test),
                                         data.y_test),
                     knn_in_latent_space(pca.transform(data.X_train), data.y_train, pca.transform(data.X_test),
                                         data.y_test)))
        models.append(model)
    columns = np.array(rows).T
    return LatentStudy(tuple(seeds), *columns), models[0]
