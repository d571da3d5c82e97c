"""/recommend latency and throughput over real HTTP on loopback, against `recommender serve`
started in its own process on a catalog (by default the H&M sample's store).

    PYTHONPATH=. python benchmarks/service_latency.py --catalog /tmp/hm-store/catalog [--models var/models]

Without trained models under --models, serving stand-ins are fitted first into a temporary folder:
trends, baskets, attributes, and a visual model whose embeddings are the photos' downsampled
pixels (same arrays and width as DVBPR's, so request cost is the same); the text model only if
the catalog's text embeddings are already cached (encoding the catalog takes long on a CPU).
Writes var/reports/service_latency.json and service_latency.png.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from recommender.paths import reports_dir

QUERIES = ["red dress", "black jeans", "something warm for winter", "summer shorts", "white sneakers",
           "striped shirt", "party dress", "cosy sweater", "denim jacket", "floral skirt"]


def prepare_models(catalog_dir: Path, out: Path, text: bool) -> Path:
    from recommender.catalog.store import Catalog
    from recommender.models.attributes import AttributePredictor, pixel_embeddings
    from recommender.models.base import TrainData
    from recommender.models.baskets import Baskets
    from recommender.models.text import TextModel
    from recommender.models.trends import Trends
    from recommender.models.visual import VisualConfig, VisualModel

    catalog = Catalog.load(catalog_dir)
    data = TrainData.before(catalog)
    visual = VisualModel(VisualConfig())
    visual.item_embeddings = pixel_embeddings(catalog.images, dim=VisualConfig().vector_width)
    visual.item_bias = np.zeros(catalog.n_articles, np.float32)
    sums = np.zeros((catalog.n_customers, visual.item_embeddings.shape[1]), np.float32)
    t = data.transactions
    np.add.at(sums, t["customer_idx"].to_numpy(), visual.item_embeddings[t["article_idx"].to_numpy()])
    visual.customer_embeddings = sums / np.maximum(np.bincount(t["customer_idx"], minlength=catalog.n_customers), 1)[:, None]
    visual.save(out / "visual")
    Trends().fit(data).save(out / "trends")
    Baskets().fit(data).save(out / "baskets")
    AttributePredictor(attributes=("product_type_name", "colour_group_name", "perceived_colour_master_name",
                                   "graphical_appearance_name", "index_group_name", "section_name")
                       ).fit(visual.item_embeddings, catalog.articles).save(out / "attributes")
    if text:
        TextModel().fit(data).fit_mapping(visual.item_embeddings).save(out / "text")
    return out


def text_cached(catalog_dir: Path) -> bool:
    import hashlib

    from recommender.catalog.store import Catalog
    from recommender.models import text_encoder
    from recommender.models.text import ENCODER_NAME
    from recommender.paths import var_dir

    articles = Catalog.load(catalog_dir).articles
    texts = [t if known else "" for t, known in zip(text_encoder.article_texts(articles), articles["has_metadata"])]
    key = hashlib.sha1("\n".join([ENCODER_NAME, *texts]).encode()).hexdigest()[:16]
    return (var_dir() / "cache" / f"text-embeddings-{key}.npy").exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(models: Path, catalog_dir: Path, port: int) -> subprocess.Popen:
    code = f"from recommender.service.app import serve; serve('127.0.0.1', {port}, {str(models)!r}, {str(catalog_dir)!r})"
    env = {k: v for k, v in os.environ.items() if k != "RECOMMENDER_TOKEN"}
    return subprocess.Popen([sys.executable, "-c", code], env=env)


async def wait_healthy(base: str, timeout: float = 300) -> dict:
    import aiohttp

    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(base + "/health") as r:
                    return await r.json()
            except aiohttp.ClientError:
                await asyncio.sleep(0.5)
    raise RuntimeError("the service did not come up")


async def wait_rankings(base: str, timeout: float = 600) -> float:
    """Seconds until the service has ranked every known customer in the background."""
    import aiohttp

    started = time.monotonic()
    async with aiohttp.ClientSession() as session:
        while time.monotonic() - started < timeout:
            async with session.get(base + "/health") as r:
                progress = (await r.json()).get("customers_ranked") or {}
            if progress.get("ready", 0) >= progress.get("of", 0):
                return time.monotonic() - started
            await asyncio.sleep(0.5)
    raise RuntimeError("the service did not finish ranking known customers")


def request_bodies(ids: list[str], customers: list[str], n: int, with_text: bool, seed: int) -> list[dict]:
    """A chat-like mix: new shoppers, sessions with likes and shown items, known customers with
    filters, and (when a text model is loaded) typed queries."""
    rng = np.random.default_rng(seed)
    kinds = 4 if with_text else 3
    bodies = []
    for i in range(n):
        pick = lambda m: [ids[j] for j in rng.integers(0, len(ids), m)]  # noqa: E731
        kind = i % kinds
        if kind == 0:
            bodies.append({"k": 12})
        elif kind == 1:
            bodies.append({"session": {"liked": pick(2), "disliked": pick(1), "shown": pick(12)}, "k": 12})
        elif kind == 2:
            bodies.append({"customer_id": customers[rng.integers(0, len(customers))], "k": 12,
                           "filters": {"colour": "black"}})
        else:
            bodies.append({"query": QUERIES[rng.integers(0, len(QUERIES))], "session": {"liked": pick(1)}, "k": 12})
    return bodies


async def run_clients(base: str, bodies: list[dict], clients: int) -> tuple[np.ndarray, float]:
    import aiohttp

    queue = list(reversed(bodies))
    latencies = []

    async def client(session):
        while queue:
            body = queue.pop()
            start = time.perf_counter()
            async with session.post(base + "/recommend", json=body) as r:
                await r.read()
                if r.status != 200:
                    raise RuntimeError(f"{r.status} for {body}")
            latencies.append(time.perf_counter() - start)

    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:
        start = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(clients)))
        wall = time.perf_counter() - start
    return np.array(latencies) * 1000, wall


def summary(ms: np.ndarray, wall: float) -> dict:
    return {"requests": len(ms), "p50_ms": round(float(np.percentile(ms, 50)), 2),
            "p99_ms": round(float(np.percentile(ms, 99)), 2), "mean_ms": round(float(ms.mean()), 2),
            "throughput_rps": round(len(ms) / wall, 1)}


def plot(one: np.ndarray, many: np.ndarray, clients: int, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    bins = np.linspace(0, max(np.percentile(many, 99.5), np.percentile(one, 99.5)), 60)
    ax.hist(one, bins=bins, alpha=0.6, label="1 client")
    ax.hist(many, bins=bins, alpha=0.6, label=f"{clients} clients")
    ax.axvline(30, color="grey", linestyle="--", label="p99 target (1 client), 30 ms")
    ax.set_xlabel("/recommend latency over HTTP (ms)")
    ax.set_ylabel("requests")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)


async def measure(base: str, bodies: list[dict], clients: int) -> dict:
    await run_clients(base, bodies[:40], 4)  # warm: caches, first queries encoded
    one, wall_one = await run_clients(base, bodies, 1)
    many, wall_many = await run_clients(base, bodies * 3, clients)
    return {"one_client": (one, wall_one), "many_clients": (many, wall_many)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalog", type=Path, default=Path("/tmp/hm-store/catalog"))
    parser.add_argument("--models", type=Path, default=None, help="trained models (var/models); stand-ins if absent")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    from recommender.catalog.store import Catalog

    models = args.models
    if models is None or not (models / "visual").is_dir():
        models = prepare_models(args.catalog, Path(tempfile.mkdtemp(prefix="latency-models-")), text_cached(args.catalog))
    catalog = Catalog.load(args.catalog)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(models, args.catalog, port)
    try:
        health = asyncio.run(wait_healthy(base))
        rankings_s = asyncio.run(wait_rankings(base))
        bodies = request_bodies(list(catalog.articles["article_id"]), list(catalog.customers["customer_id"]),
                                args.requests, "text" in health["models"], args.seed)
        runs = asyncio.run(measure(base, bodies, args.clients))
    finally:
        server.terminate()
        server.wait(30)
    report = {"catalog": str(args.catalog), "articles": health["articles"], "models": health["models"],
              "index": health["index"], "device": health["device"], "clients": args.clients,
              "known_customers_ranked_after_s": round(rankings_s, 1),
              "one_client": summary(*runs["one_client"]), "many_clients": summary(*runs["many_clients"])}
    out = args.out or reports_dir()
    out.mkdir(parents=True, exist_ok=True)
    (out / "service_latency.json").write_text(json.dumps(report, indent=2))
    plot(runs["one_client"][0], runs["many_clients"][0], args.clients, out / "service_latency.png")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
