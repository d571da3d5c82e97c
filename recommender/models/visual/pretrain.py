"""Fashion-aware pre-training of the image network, from the catalog alone (nothing downloaded).

30,000 purchases are too few to teach a CNN what a garment looks like, but every described photo
says what it shows: its product type, colour, pattern and section, and a sentence that the text
encoder turns into a vector. The network learns to predict those attributes (cross-entropy,
rare classes ignored) and to point its features at the text embedding (cosine loss), so that its
features separate what shoppers tell apart before a single purchase is seen.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from torch import nn
from torch.nn import functional as F
from tqdm.auto import tqdm

from recommender.catalog.store import Catalog
from recommender.models.visual.cnn import VisualCNN, augment, to_input
from recommender.models.visual.device import autocast

ATTRIBUTES = (
    "product_type_name",
    "colour_group_name",
    "graphical_appearance_name",
    "index_group_name",
)
IGNORE = -100  # F.cross_entropy's ignore_index


def attribute_labels(articles: pd.DataFrame, min_count: int) -> dict[str, np.ndarray]:
    """Per attribute, a class index per article; IGNORE where it is unknown or its class is rarer
    than `min_count` (too few photos to learn it, and they would only add noise)."""
    labels = {}
    described = articles["has_metadata"].to_numpy(bool)
    for column in ATTRIBUTES:
        values = articles[column].where(described)
        counts = values.value_counts()
        kept = counts.index[counts >= min_count]
        codes = pd.Categorical(values.where(values.isin(kept)), categories=kept).codes.astype(np.int64)
        labels[column] = np.where(codes < 0, IGNORE, codes)
    return labels


def text_targets(catalog: Catalog, cache_dir: Path) -> np.ndarray:
    """Sentence-encoder embedding of every described article (zeros for photo-only ones); the
    text model's own cache, so the catalog is encoded once for both."""
    from recommender.models.text import text_embeddings

    vectors, _ = text_embeddings(catalog.articles, cache_dir)
    return vectors


def pretrain_cache_key(catalog: Catalog, config) -> str:
    """Pre-training sees photos, attributes and texts but no purchase, so its result depends only
    on the catalog and the pre-training settings: every fit on the same catalog can share it."""
    fields = ("image_size", "width", "feature_dim", "batch_size", "pretrain_epochs", "pretrain_lr",
              "min_class_count", "seed")
    described = f"{catalog.manifest.get('created')}|{catalog.path.resolve()}|{catalog.n_articles}"
    settings = "|".join(f"{f}={getattr(config, f)}" for f in fields)
    return hashlib.sha1(f"{described}|{settings}".encode()).hexdigest()[:16]


class PretrainHeads(nn.Module):
    """One linear classifier per attribute and one projection onto the text space."""

    def __init__(self, feature_dim: int, n_classes: dict[str, int], text_dim: int):
        super().__init__()
        self.classifiers = nn.ModuleDict(
            {name: nn.Linear(feature_dim, n) for name, n in n_classes.items() if n > 1}
        )
        self.text = nn.Linear(feature_dim, text_dim)

    def loss(self, features: torch.Tensor, labels: dict[str, torch.Tensor], text: torch.Tensor) -> torch.Tensor:
        total = F.cosine_embedding_loss(
            self.text(features).float(), text, torch.ones(len(text), device=text.device)
        )
        for name, classifier in self.classifiers.items():
            total = total + F.cross_entropy(classifier(features).float(), labels[name], ignore_index=IGNORE)
        return total


def pretrain(
    cnn: VisualCNN,
    catalog: Catalog,
    images: torch.Tensor,
    config,
    device: torch.device,
    generator: torch.Generator,
) -> list[float]:
    """Train `cnn` in place on every described photo; returns the mean loss of each epoch."""
    described = catalog.articles["has_metadata"].to_numpy(bool) & catalog.articles["has_image"].to_numpy(bool)
    rows = np.flatnonzero(described)
    if config.pretrain_epochs <= 0 or len(rows) == 0:
        return []
    labels = attribute_labels(catalog.articles, config.min_class_count)
    text = torch.from_numpy(text_targets(catalog, config.cache_path()))
    n_classes = {name: int(values.max()) + 1 for name, values in labels.items()}
    heads = PretrainHeads(cnn.dim, n_classes, text.shape[1]).to(device)
    labels_t = {name: torch.from_numpy(values) for name, values in labels.items()}
    params = list(cnn.parameters()) + list(heads.parameters())
    optimiser = torch.optim.AdamW(params, lr=config.pretrain_lr, weight_decay=1e-4)
    steps = config.pretrain_epochs * -(-len(rows) // config.batch_size)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, config.pretrain_lr, total_steps=steps)
    rows_t = torch.from_numpy(rows)
    history = []
    cnn.train()
    for epoch in range(config.pretrain_epochs):
        order = rows_t[torch.randperm(len(rows_t), generator=generator)]
        losses = []
        bar = tqdm(total=len(order), desc=f"visual pretrain {epoch + 1}/{config.pretrain_epochs}", unit="photo", leave=False)
        for start in range(0, len(order), config.batch_size):
            batch = order[start : start + config.batch_size]
            x = augment(to_input(images[batch], device, config.image_size), generator)
            with autocast(device):
                features = cnn(x)
            loss = heads.loss(
                features.float(),
                {name: values[batch].to(device) for name, values in labels_t.items()},
                text[batch].to(device),
            )
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
            schedule.step()
            losses.append(loss.item())
            bar.update(len(batch))
            bar.set_postfix(loss=f"{losses[-1]:.3f}")
        bar.close()
        history.append(float(np.mean(losses)))
    return history


@torch.no_grad()
def embed_photos(cnn: VisualCNN, images: torch.Tensor, config, device: torch.device, batch_size: int = 512) -> np.ndarray:
    """The network's features for every photo, in row order (eval mode: no augmentation)."""
    cnn.eval()
    out = []
    for start in tqdm(range(0, len(images), batch_size), desc="visual embed", unit="batch", leave=False):
        with autocast(device):
            out.append(cnn(to_input(images[start : start + batch_size], device, config.image_size)).float().cpu())
    return torch.cat(out).numpy() if out else np.zeros((0, cnn.dim), np.float32)
