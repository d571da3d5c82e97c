"""Text: a typed query finds the right articles, through their text or, for photo-only ones,
through their photo; customers score like what they bought."""

from itertools import product
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from recommender.catalog.store import Catalog
from recommender.models import text_encoder
from recommender.models.base import TrainData
from recommender.models.text import TextModel, mapping_quality

COLOURS = ["Red", "Blue", "Black", "White", "Green", "Yellow"]
TYPES = ["Dress", "Jeans", "T-shirt", "Sweater", "Skirt", "Jacket", "Cap", "Sneakers"]
UNTIL = pd.Timestamp("2020-06-01")

pytestmark = pytest.mark.slow  # loads the sentence encoder


def _catalog() -> Catalog:
    """Every colour of every type twice; the second red dress and the second blue jeans are
    photo-only. A "photo" is a fixed random projection of the text an article would have had, so
    text and photos are linearly related, as a learned alignment assumes."""
    rows = [
        {
            "article_id": f"0{100 + t:03d}{c:03d}{copy:03d}",
            "prod_name": f"{colour} {kind}",
            "product_type_name": kind,
            "colour_group_name": colour,
        }
        for copy, (t, kind), (c, colour) in product((1, 2), enumerate(TYPES), enumerate(COLOURS))
    ]
    articles = pd.DataFrame(rows)
    hidden_text = text_encoder.encode(text_encoder.article_texts(articles))
    photos = hidden_text @ np.random.default_rng(0).normal(size=(384, 32)).astype(np.float32)
    photo_only = articles["prod_name"].isin(["Red Dress", "Blue Jeans"]) & articles[
        "article_id"
    ].str.endswith("002")
    articles["has_metadata"] = ~photo_only
    articles.loc[photo_only, ["prod_name", "product_type_name", "colour_group_name"]] = None
    customers = pd.DataFrame({"customer_id": ["red fan", "denim fan", "new"]})
    bought = [(0, "Red Skirt"), (0, "Red T-shirt"), (1, "Blue Jacket"), (1, "Black Jeans")]
    names = [row["prod_name"] for row in rows]
    transactions = pd.DataFrame(
        [(UNTIL - pd.Timedelta(days=5), c, names.index(name)) for c, name in bought],
        columns=["t_dat", "customer_idx", "article_idx"],
    )
    catalog = Catalog(
        Path("."), {}, articles, customers, transactions, np.zeros((len(rows), 4, 4, 3), np.uint8)
    )
    catalog.photos = photos
    catalog.photo_only = np.flatnonzero(photo_only)
    return catalog


@pytest.fixture(scope="module")
def catalog():
    return _catalog()


@pytest.fixture
def data(catalog) -> TrainData:
    return TrainData(catalog, catalog.transactions, UNTIL)


def _name(catalog, article):
    return catalog.articles["prod_name"].iloc[article]


def test_red_dress_query_finds_red_dresses_first(data, tmp_path):
    model = TextModel(cache_dir=tmp_path).fit(data)
    best = np.argsort(-model.query_scores("red dress"))[:1]
    assert _name(data.catalog, best[0]) == "Red Dress"
    assert (
        model.query_scores("red dress")[data.catalog.photo_only].max()
        < model.query_scores("red dress").max()
    )


def test_mapping_reaches_photo_only_articles(data, tmp_path):
    model = TextModel(visual_embeddings=data.catalog.photos, cache_dir=tmp_path).fit(data)
    red_dress, blue_jeans = data.catalog.photo_only
    for query, wanted, other in (
        ("red dress", red_dress, blue_jeans),
        ("blue jeans", blue_jeans, red_dress),
    ):
        scores = model.query_scores(query)
        assert scores[wanted] > scores[other]
        assert (scores > scores[wanted]).sum() < 6  # among the few best of 96 articles


def test_customers_score_like_what_they_bought(data, tmp_path):
    model = TextModel(visual_embeddings=data.catalog.photos, cache_dir=tmp_path).fit(data)
    names = data.catalog.articles["prod_name"].tolist()
    red_fan, denim_fan = model.score(np.array([0, 1]))
    assert red_fan[names.index("Red Sweater")] > red_fan[names.index("Blue Sweater")]
    assert denim_fan[names.index("Blue Jeans")] > denim_fan[names.index("Red Dress")]
    assert not model.score(np.array([2])).any()  # nothing bought, nothing to go on


def test_mapping_quality_beats_chance_on_linearly_related_spaces(data, tmp_path):
    model = TextModel(cache_dir=tmp_path).fit(data)
    both = model.has_text
    groups = data.catalog.articles["article_id"].str[:7].to_numpy()[both]
    quality = mapping_quality(model.text[both], data.catalog.photos[both], groups, k=5, alpha=0.1)
    assert quality["recall@5_text_to_visual"] > 3 * quality["chance@5"]


def test_save_and_load_keep_queries_and_scores(data, tmp_path):
    model = TextModel(visual_embeddings=data.catalog.photos, cache_dir=tmp_path).fit(data)
    model.save(tmp_path / "text")
    loaded = TextModel.load(tmp_path / "text", data.catalog)
    assert np.allclose(loaded.query_scores("green cap"), model.query_scores("green cap"))
    assert np.allclose(loaded.score(np.arange(3)), model.score(np.arange(3)))
