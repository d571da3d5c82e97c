"""The visual taste model: DVBPR (Kang et al., ICDM 2017) on top of a fashion-pre-trained CNN.

score(u, i) = θ_u · e_i + b_i, where e_i = W φ(photo_i) and b_i = mlp(φ(photo_i), a_i): a
customer's taste is a direction in a space that photos are mapped into, and the bias is a learned
"looks like what sells". a_i is what the catalog says of every article, bought or not
(described or not, release order; `assortment.py`): on H&M old stock has a photo but no
description, and the photo alone does not tell it from the current range. Both are known before
anyone buys, so a new arrival is scored like any other article. Optionally, articles bought in
training also get collaborative factors γ_u · γ_i (Kang et al.'s VBPR-style extension); new
arrivals have none.

Training: (1) pre-train the CNN on the catalog's own labels and texts (`pretrain.py`); (2) BPR on
purchases, against negatives drawn partly uniformly (teaches what sells at all) and partly by
popularity (teaches taste among what sells), with recent purchases sampled more often. In the
default "head" mode the CNN is frozen after pre-training and its features are computed once, so
BPR only trains W, the bias and the customer vectors: seconds per epoch on a CPU. "full" mode
back-propagates through the CNN as in the paper; "none" skips BPR and takes a customer's vector
as the mean of what they bought.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from tqdm.auto import tqdm

from recommender.catalog.store import Catalog
from recommender.models.assortment import assortment_facts
from recommender.models.base import Model, TrainData
from recommender.models.visual.cnn import VisualCNN, augment, to_input
from recommender.models.visual.device import autocast, pick_device, seed_everything
from recommender.models.visual.pretrain import embed_photos, pretrain, pretrain_cache_key
from recommender.paths import var_dir

CONFIG = "config.json"
WEIGHTS = "weights.pt"
ITEM_EMBEDDINGS = "item_embeddings.npy"
ITEM_BIAS = "item_bias.npy"
CUSTOMER_EMBEDDINGS = "customer_embeddings.npy"
BPR_MODES = ("head", "full", "none")  # a frozen CNN, the CNN trained by BPR too, no BPR at all
HEAD_SEED_STRIDE = 1000  # head h of a model seeded s draws from seed s + 1000 h


@dataclass(frozen=True)
class VisualConfig:
    """Defaults fit the H&M sample (24,717 photos) in about 8 minutes on two busy CPU cores
    (pre-training ~6.5 min at 50-130 photos/s, BPR on cached features about 10 s a head)."""

    image_size: tuple[int, int] = (48, 32)  # (height, width) the CNN sees; the store holds 96x64
    width: int = 16  # channels of the first convolution
    feature_dim: int = 128  # CNN output, before the BPR head
    dim: int = 64  # K, the taste space
    batch_size: int = 128
    pretrain_epochs: int = 3
    pretrain_lr: float = 3e-3
    min_class_count: int = 20
    bpr_mode: str = "head"  # one of BPR_MODES
    bpr_epochs: int = 20
    bpr_batch_size: int = 512  # large: a head step on cached features is cheap, its overhead is not
    bpr_lr: float = 1e-2
    l2: float = 3e-2  # picked on the window before the test one: on 30k purchases weaker L2 overfits taste
    # share of negatives drawn by popularity instead of uniformly. Drawing half of them instead from
    # the positive's own launch (the 200 articles around it in the order of product numbers), so
    # that the photo must tell apart what sold from what came out with it, lowered the visual AUC
    # on the H&M sample's last three 4-week windows (0.750 / 0.722 / 0.738 against 0.761 / 0.738 /
    # 0.754) and found fewer of the never-sold articles bought in them (98 in each buyer's best
    # 200 of them, 41 / 27 / 30, against 104, 36 / 34 / 34).
    popular_negatives: float = 0.5
    recency_half_life_days: float | None = 60.0  # purchases this old are sampled half as often
    collaborative_dim: int = 0  # γ factors for articles bought in training; 0 = off
    bias_hidden: int = 128  # width of the bias's hidden layer; 0: a linear bias, as in VBPR
    # the bias also sees whether the catalog describes an article, and its release order: on the H&M
    # sample's last two 4-week windows, visual AUC 0.763 and 0.757 with it, 0.666 and 0.669 without
    assortment_prior: bool = True
    disliked_weight: float = 0.5  # in a chat, how far a disliked photo pushes away (the service's session)
    # BPR heads on the frozen CNN's features, each from its own seed, their scores averaged: on the
    # H&M sample's last two 4-week windows, visual AUC 0.763 and 0.757 with 3 heads, 0.760 and
    # 0.757 with one; a small lift, and one seed's luck weighs less.
    heads: int = 3
    seed: int = 0
    device: str | None = None
    cache_dir: str | None = None  # text embeddings and pre-trained weights; var/cache if None

    def __post_init__(self):
        if self.bpr_mode not in BPR_MODES:
            raise ValueError(f"bpr_mode must be one of {', '.join(BPR_MODES)}, not {self.bpr_mode!r}")
        if self.heads < 1 or (self.bpr_mode == "full" and self.heads != 1):
            raise ValueError(f"heads={self.heads}: bpr_mode 'full' fine-tunes the CNN with one head, the others need at least one")

    @property
    def vector_width(self) -> int:
        """Width of the article and customer vectors a fitted model keeps: each head's taste
        space (and γ factors) side by side."""
        return (self.dim + self.collaborative_dim) * self.heads

    @classmethod
    def fast(cls, **changes) -> "VisualConfig":
        """For tests: a tiny network trained for a few seconds."""
        return replace(
            cls(image_size=(48, 32), width=8, feature_dim=32, dim=16, batch_size=64, bpr_batch_size=64, pretrain_epochs=4, bpr_epochs=40),
            **changes,
        )

    def cache_path(self) -> Path:
        return Path(self.cache_dir) if self.cache_dir else var_dir() / "cache"


class BPRHead(nn.Module):
    """Customer vectors θ_u, the taste projection W, the bias MLP, and optional γ factors."""

    def __init__(self, n_customers: int, n_articles: int, in_dim: int, config: VisualConfig, bought: np.ndarray):
        super().__init__()
        self.theta = nn.Embedding(n_customers, config.dim)
        nn.init.normal_(self.theta.weight, std=0.01)
        # Taste sees the photo only, the catalog facts after it feed the bias alone: so similar
        # items stay visually similar, and on the validation window the fused model found more.
        self.photo_dim = config.feature_dim
        self.project = nn.Linear(self.photo_dim, config.dim)
        # What sells is not linear in the photo's features: on the H&M sample's last two 4-week
        # windows a linear bias ranked the purchases at AUC 0.753 and 0.697, one hidden layer at
        # 0.763 and 0.757.
        self.bias = (
            nn.Sequential(nn.Linear(in_dim, config.bias_hidden), nn.ReLU(), nn.Linear(config.bias_hidden, 1))
            if config.bias_hidden > 0 else nn.Linear(in_dim, 1)
        )
        self.collaborative = config.collaborative_dim > 0
        if self.collaborative:
            self.gamma_u = nn.Embedding(n_customers, config.collaborative_dim)
            self.gamma_i = nn.Embedding(n_articles, config.collaborative_dim)
            self.beta_i = nn.Embedding(n_articles, 1)
            for table in (self.gamma_u, self.gamma_i):
                nn.init.normal_(table.weight, std=0.01)
            nn.init.zeros_(self.beta_i.weight)
            # Articles never bought in training get no γ: uniform negatives would only push them down.
            self.register_buffer("bought", torch.from_numpy(bought.astype(np.float32))[:, None])

    def scores(self, customers: torch.Tensor, items: torch.Tensor, features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x_ui for aligned rows, and the squared norms that the L2 term penalises."""
        theta = self.theta(customers)
        e = self.embed(features)
        x = (theta * e).sum(1) + self.bias(features).squeeze(1)
        norms = e.pow(2).sum(1)
        if self.collaborative:
            mask = self.bought[items]
            gamma_i = self.gamma_i(items) * mask
            x = x + (self.gamma_u(customers) * gamma_i).sum(1) + (self.beta_i(items) * mask).squeeze(1)
            norms = norms + gamma_i.pow(2).sum(1)
        return x, norms

    def embed(self, features: torch.Tensor) -> torch.Tensor:
        """e_i = W φ(photo_i): the photo's place in taste space."""
        return self.project(features[:, : self.photo_dim])

    def customer_norms(self, customers: torch.Tensor) -> torch.Tensor:
        norms = self.theta(customers).pow(2).sum(1)
        if self.collaborative:
            norms = norms + self.gamma_u(customers).pow(2).sum(1)
        return norms


@dataclass
class Purchases:
    """What BPR samples from: purchase rows with a sampling weight, and article popularity."""

    customers: np.ndarray
    articles: np.ndarray
    weights: np.ndarray  # sums to 1
    popularity: np.ndarray  # per article, sums to 1
    candidates: np.ndarray  # articles with a photo: where uniform negatives come from

    @classmethod
    def from_train(cls, data: TrainData, half_life_days: float | None) -> "Purchases":
        t = data.transactions
        age = (data.until - t["t_dat"]).dt.days.to_numpy(float)
        weights = np.ones(len(t)) if half_life_days is None else 0.5 ** (age / half_life_days)
        counts = np.bincount(t["article_idx"].to_numpy(), minlength=data.catalog.n_articles).astype(float)
        return cls(
            customers=t["customer_idx"].to_numpy(np.int64),
            articles=t["article_idx"].to_numpy(np.int64),
            weights=weights / weights.sum(),
            popularity=counts / max(counts.sum(), 1.0),
            # every photo, also of articles not listed before `until` (TrainData.unlisted): where a
            # catalog keeps photo-only stock that nobody buys (the demo's), that is what teaches
            # the assortment prior that such stock sells less. Listed articles only measured no
            # better on H&M (visual AUC on its last two windows, 3 seeds: 0.759 and 0.746, against
            # 0.764 and 0.748 from every photo)
            candidates=np.flatnonzero(data.catalog.articles["has_image"].to_numpy(bool)),
        )

    def sample(self, rng: np.random.Generator, n: int, popular_share: float) -> tuple[np.ndarray, ...]:
        rows = rng.choice(len(self.customers), size=n, p=self.weights)
        negatives = self.candidates[rng.integers(0, len(self.candidates), n)]
        popular = rng.random(n) < popular_share
        negatives[popular] = rng.choice(len(self.popularity), size=int(popular.sum()), p=self.popularity)
        return self.customers[rows], self.articles[rows], negatives


class VisualModel(Model):
    name = "visual"

    def __init__(self, config: VisualConfig | None = None):
        self.config = config or VisualConfig()
        self.item_embeddings: np.ndarray | None = None  # (n_articles, dim)
        self.item_bias: np.ndarray | None = None  # (n_articles,)
        self.customer_embeddings: np.ndarray | None = None  # (n_customers, dim)
        self.cnn: VisualCNN | None = None
        self.history: dict[str, list[float]] = {}

    # --- training -------------------------------------------------------------------------
    def fit(self, data: TrainData) -> "VisualModel":
        config = self.config
        device = pick_device(config.device)
        catalog = data.catalog
        images = torch.from_numpy(np.array(catalog.images))  # writable copy in RAM: batches index it often
        self.cnn = self._pretrained_cnn(catalog, images, device)
        purchases = Purchases.from_train(data, config.recency_half_life_days)
        if config.bpr_mode == "none" or len(purchases.customers) == 0:
            self._fit_mean_of_bought(embed_photos(self.cnn, images, config, device), purchases, catalog.n_customers)
            return self
        facts = torch.from_numpy(self._catalog_facts(catalog)).to(device)

        def seeded_head(h: int) -> tuple[BPRHead, np.random.Generator, torch.Generator]:
            """Head h and the random streams it trains from, seeded after the CNN: pre-training
            draws from them only when the cache misses, and no head may depend on that. The first
            head draws from the model's seed as a single head would; the others from seeds no
            other model's first head uses."""
            rng, generator = seed_everything(config.seed + HEAD_SEED_STRIDE * h)
            in_dim = config.feature_dim + facts.shape[1]
            head = BPRHead(catalog.n_customers, catalog.n_articles, in_dim, config, purchases.popularity > 0)
            return head.to(device), rng, generator

        def every_article() -> torch.Tensor:
            """The head's input for every article: the photo's features, then the catalog facts."""
            return torch.cat([torch.from_numpy(embed_photos(self.cnn, images, config, device)).to(device), facts], 1)

        if config.bpr_mode == "head":
            features = every_article()
            heads = []
            for h in range(config.heads):
                head, rng, _ = seeded_head(h)
                self.history["bpr" if h == 0 else f"bpr {h + 1}"] = self._train_bpr(head, purchases, rng, device, lambda rows: features[rows])
                heads.append(head)
        else:  # "full": one head, the CNN trained with it
            head, rng, generator = seeded_head(0)

            def photo_features(rows):
                x = augment(to_input(images[rows.cpu()], device, config.image_size), generator)
                with autocast(device):
                    return torch.cat([self.cnn(x).float(), facts[rows]], 1)
            self.cnn.train()
            self.history["bpr"] = self._train_bpr(head, purchases, rng, device, photo_features, self.cnn.parameters())
            heads = [head]
            features = every_article()
        self._keep_bpr(heads, features, purchases, catalog.n_customers)
        return self

    def _catalog_facts(self, catalog: Catalog) -> np.ndarray:
        """What the bias learns from besides the photo; no columns when the prior is off."""
        if self.config.assortment_prior:
            return assortment_facts(catalog)
        return np.zeros((catalog.n_articles, 0), np.float32)

    def _pretrained_cnn(self, catalog: Catalog, images, device) -> VisualCNN:
        """Pre-train once per catalog and settings; later fits (the ranker's validation fit, the
        evaluation) load the cached weights instead of spending minutes on the same work."""
        config = self.config
        _, generator = seed_everything(config.seed)
        cnn = VisualCNN(config.feature_dim, config.width).to(device)
        cached = config.cache_path() / f"pretrained-cnn-{pretrain_cache_key(catalog, config)}.pt"
        if cached.exists():
            cnn.load_state_dict(torch.load(cached, map_location=device))
            return cnn
        self.history["pretrain"] = pretrain(cnn, catalog, images, config, device, generator)
        cached.parent.mkdir(parents=True, exist_ok=True)
        torch.save(cnn.state_dict(), cached)
        return cnn

    def _train_bpr(self, head: BPRHead, purchases: Purchases, rng, device, features_of, extra_params=()) -> list[float]:
        config = self.config
        optimiser = torch.optim.Adam([*head.parameters(), *extra_params], lr=config.bpr_lr)
        n = len(purchases.customers)
        history = []
        for epoch in range(config.bpr_epochs):
            customers, positives, negatives = (
                torch.from_numpy(a).to(device) for a in purchases.sample(rng, n, config.popular_negatives)
            )
            losses = []
            bar = tqdm(total=n, desc=f"visual BPR {epoch + 1}/{config.bpr_epochs}", unit="triple", leave=False)
            size = config.bpr_batch_size if config.bpr_mode == "head" else config.batch_size
            for start in range(0, n, size):
                u, i, j = (t[start : start + size] for t in (customers, positives, negatives))
                phi = features_of(torch.cat([i, j]))
                x_ui, norm_i = head.scores(u, i, phi[: len(i)])
                x_uj, norm_j = head.scores(u, j, phi[len(i) :])
                l2 = config.l2 * (head.customer_norms(u) + norm_i + norm_j).mean()
                loss = -F.logsigmoid(x_ui - x_uj).mean() + l2
                optimiser.zero_grad(set_to_none=True)
                loss.backward()
                optimiser.step()
                losses.append(loss.item())
                bar.update(len(u))
            bar.close()
            history.append(float(np.mean(losses)))
        return history

    @torch.no_grad()
    def _keep_bpr(self, heads: list[BPRHead], features: torch.Tensor, purchases: Purchases, n_customers: int) -> None:
        """Fold the trained heads into plain arrays, so scoring is one matrix product. The mean of
        the heads' scores is one too: their taste vectors side by side, against their article
        embeddings side by side over the number of heads, plus the mean bias."""
        trained = torch.from_numpy(np.isin(np.arange(n_customers), purchases.customers)).to(features.device)
        embeddings, biases, thetas = [], [], []
        for head in heads:
            e = head.embed(features)
            b = head.bias(features).squeeze(1)
            theta = head.theta.weight
            if head.collaborative:
                e = torch.cat([e, head.gamma_i.weight * head.bought], 1)
                b = b + (head.beta_i.weight * head.bought).squeeze(1)
                theta = torch.cat([theta, head.gamma_u.weight], 1)
            # Customers who bought nothing were never trained: score them by the bias alone.
            embeddings.append(e)
            biases.append(b)
            thetas.append(theta * trained[:, None])
        self.item_embeddings = (torch.cat(embeddings, 1) / len(heads)).float().cpu().numpy()
        self.item_bias = torch.stack(biases).mean(0).float().cpu().numpy()
        self.customer_embeddings = torch.cat(thetas, 1).float().cpu().numpy()

    def _fit_mean_of_bought(self, features: np.ndarray, purchases: Purchases, n_customers: int) -> None:
        """No BPR: a customer is the (recency-weighted) mean of the unit features they bought."""
        self.item_embeddings = features / np.maximum(np.linalg.norm(features, axis=1, keepdims=True), 1e-8)
        self.item_bias = np.zeros(len(features), np.float32)
        sums = np.zeros((n_customers, features.shape[1]), np.float64)
        np.add.at(sums, purchases.customers, self.item_embeddings[purchases.articles] * purchases.weights[:, None])
        totals = np.bincount(purchases.customers, weights=purchases.weights, minlength=n_customers)
        self.customer_embeddings = (sums / np.maximum(totals, 1e-12)[:, None]).astype(np.float32)

    # --- scoring --------------------------------------------------------------------------
    def score(self, customers: np.ndarray, articles: np.ndarray | None = None) -> np.ndarray:
        theta = self.customer_embeddings[np.asarray(customers)]
        return self.score_vectors(theta, articles)

    def score_vectors(self, vectors: np.ndarray, articles: np.ndarray | None = None) -> np.ndarray:
        """Scores of taste vectors (customer rows) against articles."""
        e = self.item_embeddings if articles is None else self.item_embeddings[np.asarray(articles)]
        b = self.item_bias if articles is None else self.item_bias[np.asarray(articles)]
        return np.atleast_2d(vectors) @ e.T + b

    def similar_items(self, article: int, k: int) -> np.ndarray:
        """The k articles whose photos are closest (cosine) in taste space, the article itself excluded."""
        unit = self.item_embeddings / np.maximum(np.linalg.norm(self.item_embeddings, axis=1, keepdims=True), 1e-8)
        similarity = unit @ unit[article]
        similarity[article] = -np.inf
        k = min(k, len(similarity) - 1)
        best = np.argpartition(-similarity, k - 1)[:k]
        return best[np.argsort(-similarity[best])]

    # --- persistence ----------------------------------------------------------------------
    def save(self, path: Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        config = asdict(self.config)
        (path / CONFIG).write_text(json.dumps(config, indent=2))
        np.save(path / ITEM_EMBEDDINGS, self.item_embeddings)
        np.save(path / ITEM_BIAS, self.item_bias)
        np.save(path / CUSTOMER_EMBEDDINGS, self.customer_embeddings)
        if self.cnn is not None:
            torch.save(self.cnn.state_dict(), path / WEIGHTS)

    @classmethod
    def load(cls, path: Path, catalog: Catalog) -> "VisualModel":
        """Serving needs only the arrays; the CNN weights are kept for embedding new photos."""
        path = Path(path)
        config = json.loads((path / CONFIG).read_text())
        config["image_size"] = tuple(config["image_size"])
        model = cls(VisualConfig(**config))
        model.item_embeddings = np.load(path / ITEM_EMBEDDINGS)
        model.item_bias = np.load(path / ITEM_BIAS)
        model.customer_embeddings = np.load(path / CUSTOMER_EMBEDDINGS)
        if len(model.item_embeddings) != catalog.n_articles:
            raise ValueError(
                f"{path} was trained on a catalog of {len(model.item_embeddings)} articles, "
                f"this one has {catalog.n_articles}: retrain with `recommender train`."
            )
        if (path / WEIGHTS).exists():
            model.cnn = VisualCNN(model.config.feature_dim, model.config.width)
            model.cnn.load_state_dict(torch.load(path / WEIGHTS, map_location="cpu"))
            model.cnn.eval()
        return model
