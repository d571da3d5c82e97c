"""Text: what a shopper types, matched to articles; and "text like what they bought before".

Only articles described in articles.csv have text. Half of the catalog has only a photo, so a
linear map learned on the articles that have both carries text into the visual space: a typed
query reaches photo-only articles through their photos. `mapping_quality` measures how well.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from recommender.models import text_encoder
from recommender.models.base import Model, TrainData
from recommender.models.trends import decayed_purchases
from recommender.paths import var_dir

ENCODER_NAME = "all-MiniLM-L6-v2"


def normalize_rows(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32)


def text_embeddings(
    articles: pd.DataFrame, cache_dir: Path | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Unit text embeddings of every article (zero rows where there is no text) and the mask of
    articles with text. Encoding the catalog takes minutes on a CPU, so the result is cached
    under a key made of the texts themselves: any change of the catalog's text re-encodes."""
    texts = text_encoder.article_texts(articles)
    if "has_metadata" in articles:
        texts = [t if known else "" for t, known in zip(texts, articles["has_metadata"])]
    has_text = np.array([bool(t) for t in texts])
    key = hashlib.sha1("\n".join([ENCODER_NAME, *texts]).encode()).hexdigest()[:16]
    cache = Path(cache_dir or var_dir() / "cache") / f"text-embeddings-{key}.npy"
    if cache.exists():
        return np.load(cache), has_text
    rows = np.flatnonzero(has_text)
    encoded = text_encoder.encode([texts[i] for i in rows], progress=len(rows) > 1000) if len(rows) else None
    vectors = np.zeros((len(texts), 384 if encoded is None else encoded.shape[1]), dtype=np.float32)
    if encoded is not None:
        vectors[rows] = encoded
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, vectors)
    return vectors, has_text


class RidgeMap:
    """A linear map from one embedding space to another, fitted by ridge regression in closed
    form (a few thousand pairs of a few hundred dimensions: a single solve)."""

    def __init__(self, alpha: float = 1.0):
        self.alpha = alpha

    def fit(self, x: np.ndarray, y: np.ndarray) -> "RidgeMap":
        self.x_mean, self.y_mean = x.mean(axis=0), y.mean(axis=0)
        xc, yc = x - self.x_mean, y - self.y_mean
        gram = xc.T @ xc + self.alpha * np.eye(x.shape[1], dtype=x.dtype)
        self.weights = np.linalg.solve(gram, xc.T @ yc).astype(np.float32)
        return self

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return (x - self.x_mean) @ self.weights + self.y_mean

    def state(self) -> dict:
        return {"x_mean": self.x_mean, "y_mean": self.y_mean, "weights": self.weights}

    @classmethod
    def from_state(cls, state: dict) -> "RidgeMap":
        mapping = cls()
        mapping.x_mean, mapping.y_mean, mapping.weights = (
            state["x_mean"],
            state["y_mean"],
            state["weights"],
        )
        return mapping


def _zscore(values: np.ndarray, over: np.ndarray) -> np.ndarray:
    """Standardised on the articles `over`, so that similarities measured in two spaces blend."""
    reference = values[over]
    return (values - reference.mean()) / max(float(reference.std()), 1e-6)


class TextModel(Model):
    """Query search over all articles, and the customer score "text similar to past purchases"
    (recency-weighted mean of the bought articles' text embeddings)."""

    name = "text"

    def __init__(
        self,
        visual_embeddings: np.ndarray | None = None,
        half_life: float = 60.0,
        text_weight: float = 0.7,
        alpha: float = 0.1,
        cache_dir: Path | None = None,
    ):
        self.visual_embeddings = visual_embeddings
        self.half_life = half_life
        self.text_weight = text_weight
        self.alpha = alpha
        self.cache_dir = cache_dir
        self.to_visual = None

    def fit(self, data: TrainData) -> "TextModel":
        catalog = data.catalog
        self.text, self.has_text = text_embeddings(catalog.articles, self.cache_dir)
        self.history = decayed_purchases(
            data.transactions, catalog.n_customers, catalog.n_articles, data.until, self.half_life
        )
        if self.visual_embeddings is not None:
            self.fit_mapping(self.visual_embeddings)
        return self

    def fit_mapping(self, item_visual_embeddings: np.ndarray) -> "TextModel":
        """Learn the text->visual map on the articles that have both (a zero visual row means no
        photo), so that queries reach photo-only articles."""
        visual = normalize_rows(np.asarray(item_visual_embeddings, dtype=np.float32))
        self.visual = visual
        self.has_visual = np.abs(visual).sum(axis=1) > 0
        both = self.has_text & self.has_visual
        if both.sum() < 2:
            raise ValueError("need articles with both text and a photo to align the two spaces")
        self.to_visual = RidgeMap(self.alpha).fit(self.text[both], visual[both])
        return self

    def query_scores(self, query: str) -> np.ndarray:
        """Similarity of every article to a typed query; articles nothing can be said about
        score lowest. Direct text similarity and the query seen through the photos are blended
        where an article has both; photo-only articles are reached through their photo alone."""
        q = text_encoder.encode([query])[0]
        direct = self.text @ q
        if self.to_visual is None:
            return np.where(self.has_text, direct, -1.0).astype(np.float32)
        through_photo = self.visual @ normalize_rows(self.to_visual(q[None, :]))[0]
        direct_z = _zscore(direct, self.has_text)
        photo_z = _zscore(through_photo, self.has_visual)
        blended = np.where(
            self.has_text, self.text_weight * direct_z + (1 - self.text_weight) * photo_z, photo_z
        )
        floor = float(blended.min()) - 1.0
        return np.where(self.has_text | self.has_visual, blended, floor).astype(np.float32)

    def score(self, customers: np.ndarray, articles: np.ndarray | None = None) -> np.ndarray:
        """Cosine of each article's text to the customer's recency-weighted bought texts. Only
        real text counts: on the H&M sample, filling photo-only purchases with their photo
        mapped into text space lowered MAP@12 from 0.010 to 0.007 (the mapped vectors are
        vaguer than real text, and they are most of a customer's history)."""
        profiles = normalize_rows(self.history[np.asarray(customers)] @ self.text)
        candidates = self.text if articles is None else self.text[np.asarray(articles)]
        return profiles @ candidates.T

    def similar_items(self, article: int, k: int) -> np.ndarray:
        scores = self.text @ self.text[article]
        scores[article] = -np.inf
        return np.argsort(-scores)[:k]

    def save(self, path: Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        arrays = {"text": self.text, "has_text": self.has_text}
        if self.to_visual is not None:
            arrays |= {"visual": self.visual}
            arrays |= {f"to_visual_{k}": v for k, v in self.to_visual.state().items()}
        np.savez(path / "text.npz", **arrays)
        sp.save_npz(path / "history.npz", self.history)
        config = {"half_life": self.half_life, "text_weight": self.text_weight, "alpha": self.alpha}
        (path / "text.json").write_text(json.dumps(config))

    @classmethod
    def load(cls, path: Path, catalog=None) -> "TextModel":
        path = Path(path)
        model = cls(**json.loads((path / "text.json").read_text()))
        arrays = dict(np.load(path / "text.npz"))
        model.text, model.has_text = arrays["text"], arrays["has_text"]
        model.history = sp.load_npz(path / "history.npz").tocsr()
        if "visual" in arrays:
            model.visual = arrays["visual"]
            model.has_visual = np.abs(model.visual).sum(axis=1) > 0
            model.to_visual = RidgeMap.from_state(
                {k: arrays[f"to_visual_{k}"] for k in ("x_mean", "y_mean", "weights")}
            )
        return model


def mapping_quality(
    text: np.ndarray,
    visual: np.ndarray,
    groups: np.ndarray,
    k: int = 10,
    alpha: float = 0.1,
    held_out: float = 0.2,
    seed: int = 0,
) -> dict:
    """How well text finds its own photo: fit the maps on part of the articles that have both
    (split by `groups`, e.g. product_code, so colour variants never straddle the split), then
    for each held-out article query with its text and rank all held-out articles; recall@k of
    the true one, both through the visual space (text->visual) and through the text space
    (visual->text), against chance k / n_held_out."""
    visual = normalize_rows(visual)
    unique = np.unique(groups)
    rng = np.random.default_rng(seed)
    test_groups = rng.choice(unique, size=max(1, int(len(unique) * held_out)), replace=False)
    test = np.isin(groups, test_groups)
    to_visual = RidgeMap(alpha).fit(text[~test], visual[~test])
    to_text = RidgeMap(alpha).fit(visual[~test], text[~test])
    queries, photos = text[test], visual[test]
    via_visual = normalize_rows(to_visual(queries)) @ photos.T
    via_text = queries @ normalize_rows(to_text(photos)).T
    n = int(test.sum())
    return {
        "held_out": n,
        f"recall@{k}_text_to_visual": _self_recall(via_visual, k),
        f"recall@{k}_visual_to_text": _self_recall(via_text, k),
        f"chance@{k}": k / n,
    }


def _self_recall(similarity: np.ndarray, k: int) -> float:
    """Share of rows whose own column (the diagonal) is among their k highest."""
    own = np.diag(similarity)[:, None]
    rank = (similarity > own).sum(axis=1)
    return float((rank < k).mean())
