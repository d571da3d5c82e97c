"""What the catalog says of every article: described or not, and how new by its product number."""
from pathlib import Path

import numpy as np
import pandas as pd

from recommender.catalog.store import Catalog
from recommender.models.assortment import assortment_facts, catalog_newness


def test_newness_follows_the_product_number_not_the_colour_variant():
    ids = pd.Series(["0108775015", "0900000001", "0500000999", "0500000001"])
    newness = catalog_newness(ids)
    assert newness[1] == 1.0
    assert newness[0] < newness[2] == newness[3] < newness[1]


def test_facts_say_described_and_put_unreadable_ids_in_the_middle():
    articles = pd.DataFrame({"article_id": ["0108775015", "0900000001", "not-an-id"], "has_metadata": [False, True, True]})
    catalog = Catalog(Path("x"), {}, articles, pd.DataFrame(), pd.DataFrame(), np.zeros((3, 4, 4, 3), np.uint8))
    facts = assortment_facts(catalog)
    assert facts.dtype == np.float32 and facts.shape == (3, 2)
    np.testing.assert_array_equal(facts[:, 0], [0, 1, 1])
    assert facts[0, 1] < facts[1, 1] and facts[2, 1] == 0.5
