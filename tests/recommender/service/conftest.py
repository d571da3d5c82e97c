"""A small demo shop with every model fitted, an engine over it, and the service running on a free
loopback port in a thread, spoken to over real HTTP.

The visual model is a stand-in with `VisualModel`'s serving API (item and customer embeddings,
score, similar_items, its config, save in its file layout), built from downsampled pixels: the
service is tested without training a CNN."""
from __future__ import annotations

import asyncio
import json
import socket
import threading
import urllib.error
import urllib.request
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from recommender.catalog.demo_data import write_demo_catalog
from recommender.catalog.ingest import ingest
from recommender.catalog.store import Catalog
from recommender.models.attributes import AttributePredictor, pixel_embeddings
from recommender.models.base import TrainData
from recommender.models.baskets import Baskets
from recommender.models.text import TextModel
from recommender.models.trends import Trends
from recommender.service.app import create_app
from recommender.service.engine import RecommendationEngine

TOKEN = "test-token-3f9"


class PixelVisual:
    """What `VisualModel` offers the service, from photos shrunk and PCA'd (no training)."""

    def __init__(self, catalog: Catalog, transactions, dim: int = 24):
        from recommender.models.visual import VisualConfig

        self.config = VisualConfig.fast()
        self.item_embeddings = pixel_embeddings(catalog.images, dim=dim)
        # what sells, as a trained bias learns it: a taste vector's dot product leans to it
        sales = np.bincount(transactions["article_idx"], minlength=len(self.item_embeddings))
        self.item_bias = np.log1p(sales).astype(np.float32)
        sums = np.zeros((catalog.n_customers, dim), np.float32)
        np.add.at(sums, transactions["customer_idx"].to_numpy(), self.item_embeddings[transactions["article_idx"].to_numpy()])
        counts = np.bincount(transactions["customer_idx"], minlength=catalog.n_customers)
        self.customer_embeddings = sums / np.maximum(counts, 1)[:, None]

    def score(self, customers, articles=None):
        items = self.item_embeddings if articles is None else self.item_embeddings[articles]
        return self.customer_embeddings[np.asarray(customers)] @ items.T

    def similar_items(self, article: int, k: int) -> np.ndarray:
        scores = self.item_embeddings @ self.item_embeddings[article]
        scores[article] = -np.inf
        return np.argsort(-scores)[:k]

    def save(self, path: Path) -> None:
        """In `VisualModel`'s layout, so that `VisualModel.load` reads it back."""
        path.mkdir(parents=True, exist_ok=True)
        (path / "config.json").write_text(json.dumps(asdict(self.config)))
        np.save(path / "item_embeddings.npy", self.item_embeddings)
        np.save(path / "item_bias.npy", self.item_bias)
        np.save(path / "customer_embeddings.npy", self.customer_embeddings)


@pytest.fixture(scope="session")
def shop(tmp_path_factory, pytestconfig):
    """The ingested demo catalog and the models fitted on it. Text embeddings are cached in
    pytest's cache folder: the demo catalog is the same every run, and encoding it is slow."""
    root = tmp_path_factory.mktemp("shop")
    write_demo_catalog(root / "src", seed=0, n_articles=300, n_customers=60)
    ingest(root / "src", root / "catalog")
    catalog = Catalog.load(root / "catalog")
    data = TrainData.before(catalog)
    visual = PixelVisual(catalog, data.transactions)
    text = TextModel(cache_dir=pytestconfig.cache.mkdir("text-embeddings")).fit(data).fit_mapping(visual.item_embeddings)
    models = {
        "visual": visual,
        "trends": Trends().fit(data),
        "baskets": Baskets().fit(data),
        "text": text,
        "attributes": AttributePredictor(min_count=2).fit(visual.item_embeddings, catalog.articles),
    }
    return catalog, models, root


@pytest.fixture(scope="session")
def engine(shop):
    catalog, models, _ = shop
    return RecommendationEngine(catalog, **models).warm_up()


class Server:
    """A running app on 127.0.0.1:<free port>, and a tiny HTTP client for it."""

    def __init__(self, app):
        self.app = app
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._start())
        self.ready.set()
        self.loop.run_forever()

    async def _start(self):
        self.server = await self.app.create_server(host="127.0.0.1", port=self.port, return_asyncio_server=True)
        await self.server.startup()
        await self.server.before_start()
        await self.server.after_start()

    def start(self) -> "Server":
        self.thread.start()
        if not self.ready.wait(30):
            raise RuntimeError("the service did not start within 30 s")
        return self

    def stop(self) -> None:
        async def close():
            await self.server.before_stop()
            self.server.close()
            await self.server.wait_closed()
            await self.server.after_stop()
        asyncio.run_coroutine_threadsafe(close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def request(self, method: str, path: str, body=None, token: str | None = TOKEN, headers=None,
                raw: bytes | None = None, content_type: str = "application/json"):
        """(status, parsed JSON or bytes, headers); never raises on 4xx/5xx."""
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", content_type)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                status, payload, got = answer.status, answer.read(), answer.headers
        except urllib.error.HTTPError as error:
            status, payload, got = error.code, error.read(), error.headers
        if "json" in (got.get("Content-Type") or ""):
            payload = json.loads(payload)
        return status, payload, got

    def recommend(self, **body):
        status, payload, _ = self.request("POST", "/recommend", body)
        assert status == 200, payload
        return payload["items"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(engine):
    running = Server(create_app(engine, token=TOKEN)).start()
    yield running
    running.stop()
