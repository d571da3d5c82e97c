"""What "More like this" brings, on trained models: after one like, how much the six cards look
like the liked piece (cosine in the visual model's space, against that of its six closest
look-alikes) and how many share its product type.

    PYTHONPATH=. .venv/bin/python benchmarks/more_like_this.py [--catalog var/catalog] [--models var/models]
                                                               [--pieces 200]

Pieces are drawn (seed 0) from the described, servable articles. Writes
var/reports/more_like_this.json.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from tqdm import tqdm

from recommender.catalog.store import Catalog
from recommender.paths import reports_dir
from recommender.service.engine import RecommendationEngine
from recommender.service.schemas import parse_recommend

CARDS = 6


def measure(engine: RecommendationEngine, pieces: np.ndarray) -> dict:
    facts, unit = engine.facts, engine.unit
    same_type, cosine, look_alike_cosine = [], [], []
    for row in tqdm(pieces, desc="more like this", unit="piece"):
        items = engine.recommend(parse_recommend({"session": {"liked": [facts.ids[row]]}, "k": CARDS}))["items"]
        cards = [engine.catalog.article_index[item["article_id"]] for item in items]
        nearest = [r for r in engine.look_alike(row, 20 * CARDS) if engine.servable[r] and r != row][:CARDS]
        kind = facts.attribute("product_type", row)
        same_type.append(np.mean([facts.attribute("product_type", card) == kind for card in cards]))
        cosine.append(float((unit[cards] @ unit[row]).mean()))
        look_alike_cosine.append(float((unit[nearest] @ unit[row]).mean()))
    return {
        "pieces": len(pieces), "cards": CARDS,
        "same_product_type": round(float(np.mean(same_type)), 3),
        "cosine_to_liked": round(float(np.mean(cosine)), 3),
        "cosine_of_closest_look_alikes": round(float(np.mean(look_alike_cosine)), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=Path("var/catalog"))
    parser.add_argument("--models", type=Path, default=Path("var/models"))
    parser.add_argument("--pieces", type=int, default=200)
    args = parser.parse_args()
    catalog = Catalog.load(args.catalog)
    engine = RecommendationEngine.from_dir(args.models, catalog)
    candidates = np.flatnonzero(engine.servable & engine.facts.described)
    pieces = np.random.default_rng(0).choice(candidates, min(args.pieces, len(candidates)), replace=False)
    figures = {"catalog": str(args.catalog), **measure(engine, pieces)}
    out = reports_dir() / "more_like_this.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
