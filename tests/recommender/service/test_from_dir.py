"""The engine loads what training saved, one folder per model, and answers as the fitted one."""
import pytest

from recommender.catalog.store import Catalog
from recommender.service.engine import RecommendationEngine
from recommender.service.schemas import RecommendRequest


def test_from_dir_answers_like_the_fitted_engine(shop, engine, tmp_path):
    catalog, models, root = shop
    for name, model in models.items():
        model.save(tmp_path / name)
    loaded = RecommendationEngine.from_dir(tmp_path, Catalog.load(root / "catalog"))
    assert set(loaded.models_loaded()) == set(engine.models_loaded())
    liked = [engine.facts.ids[3], engine.facts.ids[4]]
    request = RecommendRequest(liked=liked, k=8)
    assert [i["article_id"] for i in loaded.recommend(request)["items"]] == \
        [i["article_id"] for i in engine.recommend(request)["items"]]


def test_from_dir_says_what_is_missing(shop, tmp_path):
    with pytest.raises(FileNotFoundError, match="recommender train"):
        RecommendationEngine.from_dir(tmp_path, shop[0])
