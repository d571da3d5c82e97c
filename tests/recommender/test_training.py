"""`recommender train` and `predict` end to end on a small demo catalog, through the CLI."""
import pickle
from pathlib import Path

import pandas as pd
import pytest

from recommender import training
from recommender.cli import main
from recommender.models.baselines import baseline_factories
from recommender.models.visual import VisualConfig


@pytest.fixture(scope="module")
def trained(small_demo_catalog, tmp_path_factory, monkeypatch_module):
    models = tmp_path_factory.mktemp("models")
    monkeypatch_module.setenv("RECOMMENDER_VAR", str(tmp_path_factory.mktemp("var")))
    report = training.train(small_demo_catalog, models, visual=VisualConfig.fast())
    return small_demo_catalog, models, report


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_training_saves_what_the_service_loads(trained):
    _, models, report = trained
    for part in ("visual", "trends", "text", "baskets", "repurchase", "taste", "als", "attributes"):
        assert (models / part).exists(), part
    assert (models / "fusion.pkl").exists()
    assert report["seconds"] > 0
    assert set(report["attribute accuracy"]) >= {"product_type_name", "colour_group_name"}


def test_predict_gives_k_distinct_known_articles_to_everyone(trained, tmp_path):
    catalog, models, _ = trained
    known = list(catalog.customers["customer_id"][:5])
    customers = tmp_path / "customers.csv"
    pd.DataFrame({"customer_id": known + ["never-seen-before"]}).to_csv(customers, index=False)
    out = tmp_path / "predictions.csv"
    argv = ["predict", "--customers", str(customers), "--k", "12", "--out", str(out),
            "--catalog", str(catalog.path), "--models", str(models)]
    assert main(argv) == 0
    rows = pd.read_csv(out, dtype=str)
    assert list(rows.columns) == ["customer_id", "prediction"]
    assert list(rows["customer_id"]) == known + ["never-seen-before"]
    valid = set(catalog.articles["article_id"])
    for prediction in rows["prediction"]:
        ids = prediction.split(" ")
        assert len(ids) == 12 and len(set(ids)) == 12
        assert set(ids) <= valid
    # A stranger gets the trending list: the same as any other stranger would.
    trending = training.predict(catalog, pd.Series(["someone-else"]), 12, models)["prediction"][0]
    assert rows["prediction"].iloc[-1] == trending


def test_predict_refuses_a_file_without_customer_ids(trained, tmp_path, capsys):
    catalog, models, _ = trained
    bad = tmp_path / "bad.csv"
    bad.write_text("id\n1\n")
    argv = ["predict", "--customers", str(bad), "--k", "5", "--out", str(tmp_path / "o.csv"),
            "--catalog", str(catalog.path), "--models", str(models)]
    assert main(argv) == 2
    assert "customer_id" in capsys.readouterr().err


def test_predict_refuses_k_out_of_range(trained):
    catalog, models, _ = trained
    with pytest.raises(ValueError, match="k must be"):
        training.predict(catalog, pd.Series(["x"]), 0, models)


def saved_with(models: Path, tmp_path: Path, name: str, change) -> Path:
    """A copy of the trained models whose ranker's recorded training setup `change` altered."""
    older = tmp_path / name
    older.mkdir()
    state = pickle.loads((models / "fusion.pkl").read_bytes())
    change(state["trained_on"])
    (older / "fusion.pkl").write_bytes(pickle.dumps(state))
    (older / training.TRAINING_REPORT).write_text((models / training.TRAINING_REPORT).read_text())
    return older


def test_models_are_current_until_the_catalog_is_ingested_again_or_the_ranker_setup_changes(trained, tmp_path):
    catalog, models, _ = trained
    assert training.trained_models_current(catalog, models)
    fewer_features = saved_with(models, tmp_path, "fewer features", lambda setup: setup["features"].remove("purchases_28d"))
    assert not training.trained_models_current(catalog, fewer_features)
    no_unsold = saved_with(models, tmp_path, "no unsold candidates", lambda setup: setup["unsold_candidates"].clear())
    assert not training.trained_models_current(catalog, no_unsold)
    # as saved before the ranker's depth was recorded (before 150, it learnt only its top 30 places)
    depth_unknown = saved_with(models, tmp_path, "depth unknown", lambda setup: setup.pop("ranker_depth"))
    assert not training.trained_models_current(catalog, depth_unknown)
    (catalog.path / "manifest.json").touch()
    assert not training.trained_models_current(catalog, models)
    assert not training.trained_models_current(catalog, tmp_path / "never trained")


def test_the_evaluation_table_tells_the_baselines_from_the_project_models():
    names = list(training.evaluation_factories())
    baselines = [name for name in names if not training.is_project_model(name)]
    # what the targets are measured against: the baselines, and text similarity on new articles
    assert set(baselines) == set(baseline_factories()) | {training.TEXT_SIMILARITY}
    assert set(names) - set(baselines) == set(training.project_model_factories()) | {training.FUSED}
    assert {training.VISUAL, training.FUSED} <= set(names)
