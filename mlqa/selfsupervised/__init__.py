"""Q2: self-supervised learning: masked autoencoder, SimCLR and NT-Xent, linear probes, tabular and order pretext."""

from mlqa.selfsupervised.augment import random_views
from mlqa.selfsupervised.contrastive import nt_xent_loss, pretrain_simclr, projection_head
from mlqa.selfsupervised.masked_autoencoder import (
    MaskedAutoencoder,
    patch_mask,
    pretrain_masked_autoencoder,
    trained_masked_autoencoder,
)
from mlqa.selfsupervised.order import (
    ORDER_ARMS,
    VELOCITIES,
    OrderPredictor,
    moving_dot_videos,
    order_classes,
    order_comparison,
    pretrain_order_prediction,
    shuffle_frames,
    video_features,
)
from mlqa.selfsupervised.plots import pipelines_figure, probe_figure, reconstruction_figure, views_figure
from mlqa.selfsupervised.probe import ARMS, ProbeCurves, probe_curves
from mlqa.selfsupervised.tabular import TABULAR_ARMS, corrupt_features, pretrain_masked_features, tabular_comparison

__all__ = [
    "random_views", "nt_xent_loss", "pretrain_simclr", "projection_head",
    "MaskedAutoencoder", "patch_mask", "pretrain_masked_autoencoder", "trained_masked_autoencoder",
    "ORDER_ARMS", "VELOCITIES", "OrderPredictor", "moving_dot_videos", "order_classes", "order_comparison",
    "pretrain_order_prediction", "shuffle_frames", "video_features",
    "pipelines_figure", "probe_figure", "reconstruction_figure", "views_figure",
    "ARMS", "ProbeCurves", "probe_curves",
    "TABULAR_ARMS", "corrupt_features", "pretrain_masked_features", "tabular_comparison",
]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {"q02-views-and-masks": "mlqa.selfsupervised.plots:views_figure",
                           "q02-mae-reconstructions": "mlqa.selfsupervised.plots:reconstruction_figure",
                           "q02-probe-accuracy": "mlqa.selfsupervised.plots:probe_figure",
                           "q02-ssl-vs-transfer": "mlqa.selfsupervised.plots:pipelines_figure"}
