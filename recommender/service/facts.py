"""What the service says about each article: its name, price, product code and the four
filterable attributes (product type, colour, section, pattern). Articles that articles.csv does
not describe get the attributes an `AttributePredictor` reads from their photo, when it is
confident enough, and are flagged as predicted so that cards can say so."""
from __future__ import annotations

import numpy as np
import pandas as pd

from recommender.catalog.store import Catalog
from recommender.catalog.wearers import wearer_groups
from recommender.models.variants import product_codes
from recommender.service.vocabulary import Vocabulary

# Filter name -> the catalog columns it may match (any of them).
FILTER_COLUMNS = {
    "product_type": ("product_type_name",),
    "colour": ("colour_group_name", "perceived_colour_master_name"),
    "section": ("index_group_name", "section_name", "wearer_group"),
    "pattern": ("graphical_appearance_name",),
}
# "wearer_group" is derived, not read: a section filter naming a wearer's own index group (as the
# bot asks "who is it for?") covers all that wearer wears, Divided and Ladies H&M Sport for women.
# Below this probability a predicted attribute is left unknown rather than guessed.
MIN_CONFIDENCE = 0.35


class ArticleFacts:
    def __init__(self, catalog: Catalog, predictor=None, embeddings: np.ndarray | None = None,
                 min_confidence: float = MIN_CONFIDENCE):
        articles = catalog.articles
        self.n = len(articles)
        self.ids = articles["article_id"].astype(str).to_numpy()
        self.described = _bool_column(articles, "has_metadata", True)
        self.has_image = _bool_column(articles, "has_image", True)
        self.price = pd.to_numeric(articles.get("price"), errors="coerce").to_numpy(np.float64) \
            if "price" in articles else np.full(self.n, np.nan)
        self.codes = product_codes(articles["article_id"])
        self.names = _text_column(articles, "prod_name")
        self.details = _text_column(articles, "detail_desc")
        self.values = {c: _text_column(articles, c) for cols in FILTER_COLUMNS.values() for c in cols}
        self.vocabularies = {
            name: Vocabulary(name.replace("_", " "), [v for c in cols for v in self.values[c] if v])
            for name, cols in FILTER_COLUMNS.items()
        }
        self.predicted = np.zeros(self.n, dtype=bool)
        if predictor is not None and embeddings is not None:
            self._fill_predictions(predictor, embeddings, min_confidence)
        # from the known or predicted group and section
        self.values["wearer_group"] = wearer_groups(
            pd.DataFrame({c: self.values[c] for c in ("index_group_name", "section_name")}))
        # Integer codes per column: a filter is then one integer comparison over the catalog.
        self._codes = {c: _factorize(v) for c, v in self.values.items()}

    def _fill_predictions(self, predictor, embeddings: np.ndarray, min_confidence: float) -> None:
        rows = np.flatnonzero(~self.described & self.has_image)
        expected = getattr(predictor.scaler, "n_features_in_", embeddings.shape[1])
        if embeddings.shape[1] != expected:
            raise ValueError(f"the attribute predictor reads {expected}-wide embeddings, the visual model "
                             f"gives {embeddings.shape[1]}: retrain both with `recommender train`")
        if not len(rows):
            return
        predicted = predictor.predict(embeddings, rows)
        for column, values in self.values.items():
            if column not in predicted:
                continue
            sure = predicted[f"{column}_confidence"].to_numpy() >= min_confidence
            values[rows[sure]] = predicted[column].to_numpy(dtype=object)[sure]
            self.predicted[rows[sure]] = True

    def mask(self, filter_name: str, value: str) -> np.ndarray:
        """Articles whose attribute (known or predicted) is `value`, the catalog's own spelling."""
        out = np.zeros(self.n, dtype=bool)
        for column in FILTER_COLUMNS[filter_name]:
            codes, code_of = self._codes[column]
            if value in code_of:
                out |= codes == code_of[value]
        return out

    def attribute(self, filter_name: str, row: int) -> str | None:
        return self.values[FILTER_COLUMNS[filter_name][0]][row] or None

    def title(self, row: int) -> str:
        """The product name; for photo-only articles, what the photo shows ("Black Dress", or
        "Grey piece" when only the colour could be read: a card titled "Grey" reads as nothing)."""
        if self.names[row]:
            return self.names[row]
        colour, product_type = self.attribute("colour", row), self.attribute("product_type", row)
        if not (colour or product_type):
            return f"Article {self.ids[row]}"
        return f"{colour} {product_type or 'piece'}" if colour else product_type

    def describe(self, row: int) -> str:
        """A phrase for reasons: "black Santa Monica", the colour added unless the name says it
        and the name spelled as the catalog spells it (a name stays a name); a photo-only
        article's, made of its attributes, in lower case ("black dress")."""
        name, colour = self.names[row], self.attribute("colour", row)
        if not name:
            return self.title(row).lower()
        return f"{colour.lower()} {name}" if colour and colour.lower() not in name.lower() else name

    def section_label(self, row: int) -> str | None:
        return self.values["index_group_name"][row] or self.values["section_name"][row] or None

    def price_of(self, row: int) -> float | None:
        price = self.price[row]
        return None if np.isnan(price) else round(float(price), 4)


def _bool_column(articles: pd.DataFrame, column: str, default: bool) -> np.ndarray:
    if column not in articles:
        return np.full(len(articles), default)
    return articles[column].fillna(default).to_numpy(dtype=bool)


def _text_column(articles: pd.DataFrame, column: str) -> np.ndarray:
    """Object array of strings, "" where unknown (so equality tests never meet NaN)."""
    if column not in articles:
        return np.full(len(articles), "", dtype=object)
    return np.array(articles[column].astype(object).where(articles[column].notna(), ""), dtype=object)


def _factorize(values: np.ndarray) -> tuple[np.ndarray, dict[str, int]]:
    codes, uniques = pd.factorize(values)
    return codes, {v: i for i, v in enumerate(uniques)}
