"""How /recommend's per-request work scales with the catalog: synthetic catalogs of random
clustered embeddings (the visual model's width), the real `RecommendationEngine` over them, exact
scoring up to `EXACT_LIMIT` articles and a faiss IVF index past it.

    PYTHONPATH=. python benchmarks/service_scale.py [--sizes 24717 100000 1000000] [--requests 300]

Writes var/reports/service_scale.json and service_scale.png (p50/p99 latency against size).
Reported per size: build time, latency of engine.recommend (no HTTP) for a mix of requests,
recall@12 of the approximate candidates against exact search, and process memory per article.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from recommender.catalog.store import Catalog
from recommender.models.trends import AGE_BAND_NAMES, Trends
from recommender.models.visual import VisualConfig, VisualModel
from recommender.paths import reports_dir
from recommender.service.app import single_threaded_blas
from recommender.service.engine import RecommendationEngine
from recommender.service.schemas import RecommendRequest

TYPES = ["Dress", "Trousers", "T-shirt", "Sweater", "Skirt", "Jacket", "Shorts", "Bag"]
COLOURS = ["Black", "White", "Red", "Blue", "Grey", "Beige", "Green", "Pink"]
SECTIONS = ["Ladieswear", "Menswear", "Divided", "Sport", "Baby/Children"]


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def synthetic_catalog(n: int, n_customers: int, rng) -> Catalog:
    codes = np.arange(n) // 3  # three colour variants per product
    articles = pd.DataFrame({
        "article_id": pd.Series(codes * 1000 + np.arange(n) % 3 + 1).astype(str).str.zfill(10),
        "prod_name": [f"Item {i}" for i in range(n)],
        "product_type_name": rng.choice(TYPES, n),
        "colour_group_name": rng.choice(COLOURS, n),
        "index_group_name": rng.choice(SECTIONS, n),
        "graphical_appearance_name": "Solid",
        "has_metadata": True,
        "has_image": True,
        "price": rng.uniform(0.005, 0.1, n).round(4),
    })
    customers = pd.DataFrame({"customer_id": [f"c{i}" for i in range(n_customers)], "age": rng.integers(18, 70, n_customers)})
    transactions = pd.DataFrame({"t_dat": pd.to_datetime([]), "customer_idx": [], "article_idx": []})
    return Catalog(Path("synthetic"), {"source": "/nonexistent"}, articles, customers, transactions,
                   np.zeros((n, 1, 1, 3), np.uint8))


def synthetic_models(catalog: Catalog, dim: int, rng) -> tuple[VisualModel, Trends]:
    n = catalog.n_articles
    centres = rng.normal(size=(256, dim)).astype(np.float32)
    items = centres[rng.integers(0, 256, n)] + 0.6 * rng.normal(size=(n, dim)).astype(np.float32)
    visual = VisualModel(VisualConfig(dim=dim))
    visual.item_embeddings = items
    visual.item_bias = (0.1 * rng.normal(size=n)).astype(np.float32)
    visual.customer_embeddings = rng.normal(size=(catalog.n_customers, dim)).astype(np.float32)
    trends = Trends()
    shares = rng.zipf(1.6, n).astype(np.float32) * (rng.random(n) < 0.5)
    trends.overall = shares / shares.sum()
    trends.by_band = np.stack([np.roll(trends.overall, b * 7) for b in range(len(AGE_BAND_NAMES))])
    trends.customer_bands = rng.integers(-1, len(AGE_BAND_NAMES), catalog.n_customers)
    trends._attach(catalog)
    return visual, trends


def request_mix(catalog: Catalog, n: int, rng) -> list[RecommendRequest]:
    ids = catalog.articles["article_id"].to_numpy()
    out = []
    for i in range(n):
        kind = i % 4
        pick = lambda m: list(ids[rng.integers(0, len(ids), m)])  # noqa: E731
        if kind == 0:
            out.append(RecommendRequest(k=12))
        elif kind == 1:
            out.append(RecommendRequest(liked=pick(2), disliked=pick(1), shown=pick(12), k=12))
        elif kind == 2:
            out.append(RecommendRequest(customer_id=f"c{rng.integers(0, catalog.n_customers)}", k=12,
                                        filters={"product_type": str(rng.choice(TYPES))}))
        else:
            out.append(RecommendRequest(liked=pick(3), filters={"colour": str(rng.choice(COLOURS)), "max_price": 0.05}, k=24))
    return out


def candidate_recall(engine: RecommendationEngine, rng, n_queries: int = 50, k: int = 12) -> float | None:
    """Share of the exact top-k (vector · item + bias) that the approximate index proposes."""
    if not engine.index.approximate:
        return None
    hits = 0
    for _ in range(n_queries):
        vector = engine.visual.customer_embeddings[rng.integers(0, len(engine.visual.customer_embeddings))]
        scores = engine.index.matrix @ np.append(vector, 1.0).astype(np.float32)
        exact = np.argpartition(-scores, k)[:k]
        hits += len(np.intersect1d(exact, engine.index.top(vector, 2000)))
    return hits / (n_queries * k)


def measure(n: int, dim: int, n_requests: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    before = rss_bytes()
    catalog = synthetic_catalog(n, 5000, rng)
    visual, trends = synthetic_models(catalog, dim, rng)
    start = time.perf_counter()
    engine = RecommendationEngine(catalog, visual=visual, trends=trends, device="cpu")
    build_s = time.perf_counter() - start
    memory = rss_bytes() - before
    requests = request_mix(catalog, n_requests, rng)
    for request in requests[:20]:
        engine.recommend(request)
    times = []
    for request in tqdm(requests, desc=f"{n:,} articles", unit="req"):
        start = time.perf_counter()
        engine.recommend(request)
        times.append(time.perf_counter() - start)
    ms = np.array(times) * 1000
    return {
        "articles": n, "dim": dim, "index": engine.index.kind, "build_s": round(build_s, 2),
        "p50_ms": round(float(np.percentile(ms, 50)), 2), "p99_ms": round(float(np.percentile(ms, 99)), 2),
        "mean_ms": round(float(ms.mean()), 2), "requests": n_requests,
        "candidate_recall@12": candidate_recall(engine, rng),
        "memory_bytes_per_article": int(memory / n),
        "search_bytes_per_article": int((engine.index.nbytes() + engine.unit.nbytes) / n),
    }


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["articles"] for r in results]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(sizes, [r["p50_ms"] for r in results], "o-", label="p50")
    ax.plot(sizes, [r["p99_ms"] for r in results], "s-", label="p99")
    ax.axhline(50, color="grey", linestyle="--", label="p99 target, 50 ms")
    ax.set_xscale("log")
    ax.set_xlabel("articles in the catalog")
    ax.set_ylabel("engine.recommend latency (ms)")
    ax.set_title("Per-request latency against catalog size (CPU)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[24717, 100_000, 1_000_000])
    parser.add_argument("--dim", type=int, default=VisualConfig().vector_width)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(2)
    single_threaded_blas()
    out = args.out or reports_dir()
    out.mkdir(parents=True, exist_ok=True)
    results = [measure(n, args.dim, args.requests, args.seed) for n in args.sizes]
    for r in results:
        print(json.dumps(r))
    (out / "service_scale.json").write_text(json.dumps(results, indent=2))
    plot(results, out / "service_scale.png")
    print(f"wrote {out / 'service_scale.json'} and {out / 'service_scale.png'}")


if __name__ == "__main__":
    main()
