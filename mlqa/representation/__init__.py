"""Q1: embeddings, latent space and representations: the embedding layer as a one-hot linear layer, an
autoencoder's 2-D latent space, which layers make useful embeddings, pretrained sentence embeddings, and
representations that are not embeddings."""

from mlqa.representation.autoencoder import (
    Autoencoder,
    LatentStudy,
    class_centres,
    decode,
    encode,
    knn_in_latent_space,
    latent_study,
    latent_walk,
    reconstruction_error,
    train_autoencoder,
)
from mlqa.representation.data import DigitsHalves, digits_halves, references_and_queries
from mlqa.representation.embedding_layer import EmbeddingParity, embedding_vs_linear, linear_from_embedding, one_hot
from mlqa.representation.layer_probe import (
    LAYERS,
    LayerProbe,
    SmallCNN,
    knn_accuracy,
    layer_features,
    probe_layers,
    train_cnn,
)
from mlqa.representation.plots import (
    latent_walk_widget,
    plot_images,
    plot_latent_space,
    plot_layer_probe,
    plot_sentence_map,
    walk_between_digits,
)
from mlqa.representation.sentences import (
    TOPIC_SENTENCES,
    cosine_similarities,
    embed_sentences,
    minilm,
    nearest_neighbours,
    pca_2d,
    topic_sentences,
)
from mlqa.representation.sparse import (
    HAND_FEATURES,
    RepresentationSummary,
    bag_of_words,
    hand_features,
    one_hot_encode,
    summarise,
    vocabulary,
    words,
)

__all__ = [
    "Autoencoder",
    "DigitsHalves",
    "EmbeddingParity",
    "HAND_FEATURES",
    "LAYERS",
    "LatentStudy",
    "LayerProbe",
    "RepresentationSummary",
    "SmallCNN",
    "TOPIC_SENTENCES",
    "bag_of_words",
    "class_centres",
    "cosine_similarities",
    "decode",
    "digits_halves",
    "embed_sentences",
    "embedding_vs_linear",
    "encode",
    "hand_features",
    "knn_accuracy",
    "knn_in_latent_space",
    "latent_study",
    "latent_walk",
    "latent_walk_widget",
    "layer_features",
    "linear_from_embedding",
    "minilm",
    "nearest_neighbours",
    "one_hot",
    "one_hot_encode",
    "pca_2d",
    "plot_images",
    "plot_latent_space",
    "plot_layer_probe",
    "plot_sentence_map",
    "probe_layers",
    "reconstruction_error",
    "references_and_queries",
    "summarise",
    "topic_sentences",
    "train_autoencoder",
    "train_cnn",
    "vocabulary",
    "walk_between_digits",
    "words",
]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {
    "q01-latent-space": "mlqa.representation.plots:latent_space_figure",
    "q01-latent-walk": "mlqa.representation.plots:latent_walk_figure",
    "q01-layer-probe": "mlqa.representation.plots:layer_probe_figure",
    "q01-sentence-map": "mlqa.representation.plots:sentence_map_figure",
}
