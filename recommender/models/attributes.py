"""Predicted attributes: what kind of garment, which colour, which pattern and section a photo-only
article is, read from its visual embedding, so that a shopper's filters ("a red dress") can reach
the half of the catalog that articles.csv does not describe. Each prediction carries a
confidence, and the service shows such matches as predicted, not known.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from recommender.models.variants import product_codes

ATTRIBUTES = (
    "product_type_name",
    "product_group_name",
    "colour_group_name",
    "perceived_colour_master_name",
    "graphical_appearance_name",
    "index_group_name",
    "section_name",
)


def pixel_embeddings(
    images: np.ndarray, dim: int = 128, block: int = 4, seed: int = 0, batch: int = 2048
) -> np.ndarray:
    """A stand-in visual embedding with no training: the photos shrunk by `block` (mean of each
    block x block square), then PCA to `dim`. It sees colour and silhouette, which is what the
    attributes and the text alignment need before a learned visual model exists."""
    n, height, width, channels = images.shape
    small = np.empty((n, (height // block) * (width // block) * channels), dtype=np.float32)
    for start in range(0, n, batch):
        chunk = np.asarray(images[start : start + batch], dtype=np.float32) / 255.0
        chunk = chunk.reshape(len(chunk), height // block, block, width // block, block, channels)
        small[start : start + batch] = chunk.mean(axis=(2, 4)).reshape(len(chunk), -1)
    dim = min(dim, n, small.shape[1])
    return (
        PCA(dim, svd_solver="randomized", random_state=seed).fit_transform(small).astype(np.float32)
    )


def _held_out_mask(groups: np.ndarray, share: float, seed: int) -> np.ndarray:
    unique = np.unique(groups)
    chosen = np.random.default_rng(seed).choice(
        unique, size=max(1, int(len(unique) * share)), replace=False
    )
    return np.isin(groups, chosen)


def _accuracy(classifier, x, labels, train: np.ndarray, test: np.ndarray) -> dict:
    y_test = labels[test].astype(str)
    majority = pd.Series(labels[train].astype(str)).mode().iloc[0]
    return {
        "accuracy": float((classifier.predict(x[test]) == y_test).mean()),
        "majority": float((y_test == majority).mean()),
        "classes": int(len(classifier.classes_)),
        "n_test": int(test.sum()),
    }


class AttributePredictor:
    """One multinomial logistic regression per attribute on standardised visual embeddings.

    The classifiers learn from the labelled articles outside a held-out share of products, and
    `accuracy[attribute]` is their top-1 accuracy on those held-out products, next to the
    majority class's. (Refitting on everything would double a fit that is already the slowest
    part, for a few more examples.)"""

    def __init__(
        self,
        attributes=ATTRIBUTES,
        held_out: float = 0.2,
        C: float = 0.1,
        min_count: int = 5,
        max_iter: int = 200,
        seed: int = 0,
    ):
        self.attributes = tuple(attributes)
        self.held_out = held_out
        self.C = C
        self.min_count = min_count
        self.max_iter = max_iter
        self.seed = seed
        self.classifiers: dict[str, LogisticRegression] = {}
        self.accuracy: dict[str, dict] = {}

    def fit(self, embeddings: np.ndarray, articles: pd.DataFrame) -> "AttributePredictor":
        embeddings = np.asarray(embeddings, dtype=np.float32)
        self.scaler = StandardScaler().fit(embeddings)
        x = self.scaler.transform(embeddings)
        # Colour variants of one product stay on one side: held-out accuracy on near-copies of
        # training photos would flatter the classifier.
        test = _held_out_mask(product_codes(articles["article_id"]), self.held_out, self.seed)
        for attribute in self.attributes:
            labels = articles[attribute].to_numpy(dtype=object)
            known = self._trainable(labels)
            train = known & ~test
            classifier = LogisticRegression(C=self.C, max_iter=self.max_iter)
            self.classifiers[attribute] = classifier.fit(x[train], labels[train].astype(str))
            self.accuracy[attribute] = _accuracy(classifier, x, labels, train, known & test)
        return self

    def _trainable(self, labels: np.ndarray) -> np.ndarray:
        """Known labels of classes seen at least `min_count` times: rarer ones cannot be learned."""
        known = ~pd.isna(labels)
        counts = pd.Series(labels[known]).value_counts()
        return known & np.isin(labels, counts.index[counts >= self.min_count])

    def predict(self, embeddings: np.ndarray, rows: np.ndarray | None = None) -> pd.DataFrame:
        """Predicted value and confidence (its probability) per attribute, one row per article
        in `rows` (all rows of `embeddings` when None), indexed by article row."""
        rows = np.arange(len(embeddings)) if rows is None else np.asarray(rows)
        x = self.scaler.transform(np.asarray(embeddings, dtype=np.float32)[rows])
        out = pd.DataFrame(index=pd.Index(rows, name="article_idx"))
        for attribute, classifier in self.classifiers.items():
            probabilities = classifier.predict_proba(x)
            best = probabilities.argmax(axis=1)
            out[attribute] = classifier.classes_[best]
            out[f"{attribute}_confidence"] = probabilities[np.arange(len(rows)), best]
        return out

    def save(self, path: Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        with open(path / "attributes.pkl", "wb") as f:
            pickle.dump(self, f)

    @classmethod
    def load(cls, path: Path) -> "AttributePredictor":
        with open(Path(path) / "attributes.pkl", "rb") as f:
            return pickle.load(f)
