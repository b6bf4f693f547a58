"""Figures and the latent-walk slider for Q1: latent space, decoded walk, k-NN by depth, sentence map."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects
from matplotlib.figure import Figure

from mlqa.representation.autoencoder import Autoencoder, class_centres, decode, encode, latent_study, latent_walk
from mlqa.representation.data import digits_halves
from mlqa.representation.layer_probe import LayerProbe, probe_layers
from mlqa.representation.sentences import embed_sentences, pca_2d, topic_sentences
from mlqa.utils import use_style


def plot_latent_space(codes: np.ndarray, labels: np.ndarray, walk: np.ndarray | None = None,
                      title: str = "") -> Figure:
    """Latent codes as points coloured by class, each class's label at its median, and an optional walk (Q1)."""
    use_style()
    fig, ax = plt.subplots(figsize=(5.2, 4.4))
    points = ax.scatter(codes[:, 0], codes[:, 1], c=labels, cmap="tab10", s=8, alpha=0.7)
    for digit, centre in zip(np.unique(labels), class_centres(codes, labels)):
        ax.text(*centre, str(digit), fontsize=13, weight="bold", ha="center", va="center",
                color=points.cmap(points.norm(digit)),
                path_effects=[patheffects.withStroke(linewidth=3, foreground="white")])
    if walk is not None:
        ax.plot(walk[:, 0], walk[:, 1], "k.-", lw=1.5, label="walk")
        ax.legend(loc="best")
    ax.set(xlabel="latent dimension 1", ylabel="latent dimension 2", title=title)
    return fig


def plot_images(images: np.ndarray, captions: list[str], title: str = "") -> Figure:
    """A row of grey 8x8 images with a caption under each (Q1)."""
    if len(images) != len(captions):
        raise ValueError(f"{len(images)} images but {len(captions)} captions")
    use_style()
    fig, axes = plt.subplots(1, len(images), figsize=(1.1 * len(images), 1.6), squeeze=False)
    for ax, image, caption in zip(axes[0], images, captions):
        ax.imshow(image, cmap="gray_r", vmin=0, vmax=1)
        ax.set(xticks=[], yticks=[], xlabel=caption)
        ax.grid(False)
    fig.suptitle(title)
    return fig


def walk_between_digits(model: Autoencoder, X: np.ndarray, y: np.ndarray, start_digit: int, end_digit: int,
                        steps: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """The latent walk from one digit's median code to another's, and the images decoded along it (Q1)."""
    centres = class_centres(encode(model, X), y)
    for digit in (start_digit, end_digit):
        if not 0 <= digit < len(centres):
            raise ValueError(f"digits must lie in [0, {len(centres) - 1}], got {digit}")
    walk = latent_walk(centres[start_digit], centres[end_digit], steps)
    return walk, decode(model, walk)


def latent_walk_widget(model: Autoencoder, start: np.ndarray, end: np.ndarray):
    """A slider t in [0, 1] that decodes the point (1 - t) * start + t * end of the latent space (Q1)."""
    from ipywidgets import FloatSlider, interact

    def show(t: float = 0.0) -> None:
        use_style()
        point = (1 - t) * np.asarray(start) + t * np.asarray(end)
        fig, ax = plt.subplots(figsize=(2.4, 2.6))
        ax.imshow(decode(model, point[None])[0], cmap="gray_r", vmin=0, vmax=1)
        ax.set(xticks=[], yticks=[], title=f"t = {t:.2f}\nz = ({point[0]:.2f}, {point[1]:.2f})")
        ax.grid(False)
        plt.show()

    return interact(show, t=FloatSlider(value=0.0, min=0.0, max=1.0, step=0.05, description="t"))


def plot_layer_probe(probe: LayerProbe, title: str = "") -> Figure:
    """k-NN accuracy of each layer's activations by depth, trained against untrained, mean ± sd over seeds (Q1)."""
    use_style()
    fig, ax = plt.subplots(figsize=(6.8, 3.6))
    depth = np.arange(len(probe.layers))
    for name, rows, style in (("trained CNN", probe.trained, "o-"), ("untrained CNN (same init)", probe.untrained,
                                                                      "s--")):
        ax.errorbar(depth, rows.mean(0), yerr=rows.std(0), fmt=style, capsize=3, label=name)
    ax.axhline(probe.trained[:, 0].mean(), color="grey", lw=0.8, ls=":", label="raw pixels")
    ax.set_xticks(depth, probe.layers, rotation=20)
    ax.set(ylabel=f"3-NN accuracy ({probe.references_per_class} refs/class)", title=title)
    ax.legend()
    return fig


def plot_sentence_map(points: np.ndarray, texts: list[str], topics: list[str], title: str = "") -> Figure:
    """Sentences placed by a 2-D projection of their embeddings, coloured by topic, with short labels (Q1)."""
    use_style()
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for i, topic in enumerate(dict.fromkeys(topics)):
        rows = [j for j, t in enumerate(topics) if t == topic]
        ax.scatter(points[rows, 0], points[rows, 1], s=40, color=f"C{i}", label=topic)
        for j in rows:
            ax.annotate(" ".join(texts[j].split()[:3]) + " …", points[j], fontsize=7, xytext=(4, 3),
                        textcoords="offset points")
    ax.set(xlabel="principal component 1", ylabel="principal component 2", title=title)
    ax.legend(loc="best")
    return fig


def latent_space_figure() -> Figure:
    """The 2-D autoencoder's latent space of the test digits, with the walk from 0 to 6 (Q1)."""
    _, model = latent_study(seeds=(0,))
    data = digits_halves(0)
    walk, _ = walk_between_digits(model, data.X_test, data.y_test, 0, 6)
    return plot_latent_space(encode(model, data.X_test), data.y_test, walk, "Autoencoder latent space (test digits)")


def latent_walk_figure() -> Figure:
    """Images decoded at eight evenly spaced points between the latent centres of 0 and 6 (Q1)."""
    _, model = latent_study(seeds=(0,))
    data = digits_halves(0)
    _, images = walk_between_digits(model, data.X_test, data.y_test, 0, 6)
    return plot_images(images, [f"t={t:.2f}" for t in np.linspace(0, 1, len(images))], "Decoded walk from 0 to 6")


def layer_probe_figure() -> Figure:
    """k-NN accuracy by depth for a trained and an untrained small CNN on digits, 3 seeds (Q1)."""
    return plot_layer_probe(probe_layers(), "Which layer's activations make a good embedding?")


def sentence_map_figure() -> Figure:
    """MiniLM embeddings of twelve sentences on four topics, projected to 2-D with PCA (Q1)."""
    texts, topics = topic_sentences()
    return plot_sentence_map(pca_2d(embed_sentences(texts)), texts, topics, "MiniLM sentence embeddings, PCA")
