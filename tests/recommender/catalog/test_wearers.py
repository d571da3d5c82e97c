"""Who wears a piece, from the index group, and for Sport from the section's name."""
import pandas as pd

from recommender.catalog.wearers import wearers


def test_wearer_from_the_index_group_and_for_sport_from_the_section():
    articles = pd.DataFrame({
        "index_group_name": ["Ladieswear", "Divided", "Menswear", "Baby/Children", "Sport", "Sport", "Sport", None],
        "section_name": ["Womens Tailoring", "Divided Basics", "Men Underwear", "Baby Girl",
                         "Ladies H&M Sport", "Men H&M Sport", "Kids Sports", None],
    })
    assert wearers(articles).tolist() == ["women", "women", "men", "children", "women", "men", "children", None]


def test_an_unknown_or_missing_section_says_nothing():
    assert wearers(pd.DataFrame({"index_group_name": ["Sport", "Menswear"]})).tolist() == [None, "men"]
    assert wearers(pd.DataFrame({"section_name": ["Special Collections"]})).tolist() == [None]
    assert wearers(pd.DataFrame({"article_id": ["0100001001"]})).tolist() == [None]
