"""Baskets: planted pairs are found, colour variants share a product, looks are completed with
other kinds of articles."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from recommender.catalog.store import Catalog
from recommender.models.base import TrainData
from recommender.models.baskets import Baskets

UNTIL = pd.Timestamp("2020-06-01")
# (article_id, product group, index group): two colours of one top, a skirt, a bag, a belt,
# a jacket, and a Menswear cap.
ARTICLES = [
    ("0100001001", "Garment Upper body", "Ladieswear"),  # 0 top, black
    ("0100001002", "Garment Upper body", "Ladieswear"),  # 1 the same top, white
    ("0100002001", "Garment Lower body", "Ladieswear"),  # 2 skirt, bought with the top
    ("0100003001", "Accessories", "Ladieswear"),  # 3 bag, bought with the top
    ("0100004001", "Accessories", "Ladieswear"),  # 4 belt, popular on its own
    ("0100005001", "Garment Upper body", "Ladieswear"),  # 5 jacket, bought weeks after the top
    ("0100006001", "Accessories", "Menswear"),  # 6 cap
]
TOP, TOP_WHITE, SKIRT, BAG, BELT, JACKET, CAP = range(7)


def _day(days_ago):
    return UNTIL - pd.Timedelta(days=days_ago)


@pytest.fixture
def data() -> TrainData:
    return _train_data()


def _train_data(more_articles=(), more_rows=()) -> TrainData:
    rows = []
    for customer in range(6):  # the planted basket: top + skirt the same day, bag a day later
        rows += [(_day(30 + customer), customer, TOP), (_day(30 + customer), customer, SKIRT)]
        rows += [(_day(29 + customer), customer, BAG), (_day(10 + customer), customer, JACKET)]
    rows += [(_day(5), 6, TOP), (_day(5), 6, JACKET)]  # one co-purchase of top and jacket
    rows += [(_day(d), 7, BELT) for d in range(1, 9)] + [(_day(3), 8, CAP), (_day(3), 9, TOP_WHITE)]
    transactions = pd.DataFrame(rows + list(more_rows), columns=["t_dat", "customer_idx", "article_idx"])
    articles = pd.DataFrame(
        ARTICLES + list(more_articles), columns=["article_id", "product_group_name", "index_group_name"]
    )
    customers = pd.DataFrame({"customer_id": [f"c{i}" for i in range(10)]})
    images = np.zeros((len(articles), 4, 4, 3), np.uint8)
    return TrainData(
        Catalog(Path("."), {}, articles, customers, transactions, images), transactions, UNTIL
    )


def test_finds_the_planted_pair_and_ignores_purchases_weeks_apart(data):
    baskets = Baskets(window_days=3).fit(data)
    together, scores = baskets.bought_together(TOP, 3)
    assert together[0] == SKIRT and set(together[:2]) == {SKIRT, BAG}
    assert np.all(np.diff(scores) <= 0)
    assert (
        scores[together.tolist().index(JACKET)] < scores[0]
    )  # only one customer bought both within days


def test_colour_variants_share_the_product_code(data):
    baskets = Baskets().fit(data)
    assert baskets.colour_variants(TOP).tolist() == [TOP_WHITE]
    assert baskets.colour_variants(SKIRT).tolist() == []


def test_complete_the_look_never_offers_the_same_kind(data):
    baskets = Baskets().fit(data)
    look = baskets.complete_the_look(TOP, 3).tolist()
    assert look[:2] == [SKIRT, BAG]
    assert JACKET not in look and TOP_WHITE not in look
    assert look[2] == BELT  # filled with the section's best-selling accessory


def test_complete_the_look_offers_one_colour_of_a_piece():
    bag_red = len(ARTICLES)  # another colour of the bag, bought with the top as often as the bag
    data = _train_data([("0100003002", "Accessories", "Ladieswear")],
                       [(_day(29 + customer), customer, bag_red) for customer in range(6)])
    baskets = Baskets().fit(data)
    assert {BAG, bag_red} <= set(baskets.bought_together(TOP, 4)[0].tolist())
    look = baskets.complete_the_look(TOP, 3).tolist()
    assert len({BAG, bag_red} & set(look)) == 1 and BELT in look


def test_complete_the_look_at_checkout_keeps_to_accessories_for_a_garment_and_garments_for_one(data):
    baskets = Baskets().fit(data)
    assert baskets.complete_the_look(TOP, 3, complementary_only=True).tolist() == [BAG, BELT]  # no skirt
    assert set(baskets.complete_the_look(BAG, 2, complementary_only=True).tolist()) <= {TOP, SKIRT, JACKET, TOP_WHITE}


def test_complete_the_look_falls_back_to_popular_accessories_of_the_section(data):
    baskets = Baskets().fit(data)
    assert baskets.complete_the_look(TOP_WHITE, 2).tolist() == [BELT, BAG]  # no Menswear cap


def test_complete_the_look_keeps_to_one_wearer_even_when_families_buy_together():
    # every buyer of the top also took the Menswear cap and a child's dress the same day
    kids_dress = len(ARTICLES)
    family = [(_day(30 + customer), customer, piece) for customer in range(6) for piece in (CAP, kids_dress)]
    baskets = Baskets().fit(_train_data([("0100007001", "Garment Full body", "Baby/Children")], family))
    assert {CAP, kids_dress} <= set(baskets.bought_together(TOP, 6)[0].tolist())
    look = baskets.complete_the_look(TOP, 4).tolist()
    assert look == [SKIRT, BAG, BELT]  # only the women's pieces, then nothing else for women
    assert baskets.complete_the_look(CAP, 2).tolist() == []  # no garment for men was ever sold


def test_score_ranks_partners_and_variants_of_what_a_customer_bought(data):
    baskets = Baskets().fit(data)
    scores = baskets.score(np.array([6]))[0]  # bought the top and the jacket
    assert scores[SKIRT] > scores[CAP] and scores[TOP_WHITE] > scores[CAP]
    assert np.allclose(
        baskets.score(np.array([6]), np.array([CAP, SKIRT]))[0], scores[[CAP, SKIRT]]
    )


def test_save_and_load_give_the_same_scores(data, tmp_path):
    baskets = Baskets(window_days=2, variant_weight=0.3).fit(data)
    baskets.save(tmp_path / "baskets")
    loaded = Baskets.load(tmp_path / "baskets", data.catalog)
    assert loaded.window_days == 2
    assert np.allclose(loaded.score(np.arange(9)), baskets.score(np.arange(9)))
    assert loaded.complete_the_look(TOP, 3).tolist() == baskets.complete_the_look(TOP, 3).tolist()
