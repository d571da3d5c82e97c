"""Predicted attributes: learned from embeddings where the attribute is visible, they beat the
majority class and say how sure they are."""

import numpy as np
import pandas as pd
import pytest

from recommender.models.attributes import AttributePredictor, pixel_embeddings

COLOURS = np.array(["Black", "Red", "Blue", "White"])
RGB = {"Black": (10, 10, 10), "Red": (200, 30, 30), "Blue": (30, 30, 200), "White": (240, 240, 240)}


def _articles(colours: np.ndarray, kinds: np.ndarray) -> pd.DataFrame:
    n = len(colours)
    return pd.DataFrame(
        {
            "article_id": [
                f"0{100000 + i // 2:06d}{i % 2 + 1:03d}" for i in range(n)
            ],  # pairs of colour variants
            "colour_group_name": colours,
            "product_type_name": kinds,
        }
    )


@pytest.fixture
def visible():
    """Embeddings that show the colour (and the kind, more faintly), most articles Black."""
    rng = np.random.default_rng(0)
    n = 800
    colours = rng.choice(COLOURS, size=n, p=[0.55, 0.15, 0.15, 0.15])
    kinds = rng.choice(np.array(["Dress", "Trousers"]), size=n, p=[0.6, 0.4])
    centres = {c: rng.normal(size=12) * 2 for c in COLOURS}
    embeddings = np.stack([centres[c] for c in colours]) + rng.normal(size=(n, 12))
    embeddings[:, 0] += np.where(kinds == "Dress", 1.5, -1.5)
    return embeddings, _articles(colours, kinds)


def test_beats_the_majority_class_when_attributes_are_visible(visible):
    embeddings, articles = visible
    predictor = AttributePredictor(attributes=("colour_group_name", "product_type_name")).fit(
        embeddings, articles
    )
    for attribute in ("colour_group_name", "product_type_name"):
        measured = predictor.accuracy[attribute]
        assert measured["accuracy"] > measured["majority"] + 0.2
        assert measured["n_test"] > 100


def test_predictions_carry_confidences_and_are_unsure_on_noise(visible):
    embeddings, articles = visible
    predictor = AttributePredictor(attributes=("colour_group_name",)).fit(embeddings, articles)
    rows = np.array([3, 7, 11])
    out = predictor.predict(embeddings, rows)
    assert out.index.tolist() == rows.tolist()
    assert set(out["colour_group_name"]) <= set(COLOURS)
    assert out["colour_group_name"].tolist() == articles["colour_group_name"].iloc[rows].tolist()
    noise = np.random.default_rng(1).normal(size=(50, 12)) * 0.01  # near the centre of every class
    assert (
        predictor.predict(noise)["colour_group_name_confidence"].mean()
        < out["colour_group_name_confidence"].mean()
    )


def test_unknown_labels_are_left_out_of_training(visible):
    embeddings, articles = visible
    articles = articles.assign(
        colour_group_name=articles["colour_group_name"].where(np.arange(len(articles)) % 3 > 0)
    )
    predictor = AttributePredictor(attributes=("colour_group_name",)).fit(embeddings, articles)
    assert set(predictor.classifiers["colour_group_name"].classes_) == set(COLOURS)
    assert predictor.accuracy["colour_group_name"]["accuracy"] > 0.8


def test_pixel_embeddings_see_the_colour_of_a_photo(tmp_path):
    rng = np.random.default_rng(0)
    colours = rng.choice(COLOURS, size=240)
    images = np.stack([np.full((16, 8, 3), RGB[c], np.uint8) for c in colours])
    images = np.clip(images + rng.integers(-20, 20, images.shape), 0, 255).astype(np.uint8)
    embeddings = pixel_embeddings(images, dim=8)
    assert embeddings.shape == (240, 8)
    articles = _articles(colours, np.full(240, "Dress"))
    predictor = AttributePredictor(attributes=("colour_group_name",)).fit(embeddings, articles)
    assert predictor.accuracy["colour_group_name"]["accuracy"] > 0.95
    predictor.save(tmp_path / "attributes")
    loaded = AttributePredictor.load(tmp_path / "attributes")
    assert loaded.predict(embeddings[:5]).equals(predictor.predict(embeddings[:5]))
