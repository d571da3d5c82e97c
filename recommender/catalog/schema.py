"""What ingest expects of each input file in H&M's layout, and the errors it raises when a file
cannot be used.

Every column is read as text first: ids must keep their leading zeros (`0108775015`), and a
stray value must become a counted skip rather than a parser crash. Columns listed as `numeric`
(floats) or `integer` (codes, nullable Int64) are converted afterwards, a value that does not
parse becoming missing.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

ARTICLE_ID_WIDTH = 10
IMAGES_DIR = "images"


class CatalogInputError(ValueError):
    """The folder given to `recommender ingest` cannot be ingested as it is."""


class MissingFileError(CatalogInputError, FileNotFoundError):
    def __init__(self, path):
        self.path = path
        super().__init__(f"{path} is missing: a catalog in H&M's layout needs it.")


class MissingColumnError(CatalogInputError):
    """Names the file, each missing column, and the column that looks like a misnamed one."""

    def __init__(self, file: str, suggestions: dict[str, str | None]):
        self.file = file
        self.columns = list(suggestions)
        self.suggestions = suggestions
        problems = "; ".join(
            f"no column '{column}'" + (f" (is '{found}' meant to be it?)" if found else "")
            for column, found in suggestions.items()
        )
        super().__init__(f"{file}: {problems}.")


def _squash(name: str) -> str:
    """Compare column names regardless of case, spaces, dashes and underscores."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


@dataclass(frozen=True)
class FileSchema:
    name: str
    required: tuple[str, ...]
    numeric: tuple[str, ...] = ()
    integer: tuple[str, ...] = ()

    def check_columns(self, columns) -> None:
        """Raise MissingColumnError unless every required column is present."""
        columns = list(columns)
        missing = [c for c in self.required if c not in columns]
        if missing:
            # Only columns that mean nothing to us can be a misspelling of a missing one.
            unknown = [c for c in columns if c not in self.required + self.numeric + self.integer]
            raise MissingColumnError(self.name, {c: closest(c, unknown) for c in missing})


def closest(wanted: str, candidates: list[str]) -> str | None:
    """The candidate that is most plausibly `wanted` misspelled, if any is close enough."""
    squashed = {_squash(c): c for c in candidates}
    if _squash(wanted) in squashed:
        return squashed[_squash(wanted)]
    match = difflib.get_close_matches(_squash(wanted), list(squashed), n=1, cutoff=0.8)
    return squashed[match[0]] if match else None


ARTICLES = FileSchema(
    "articles.csv",
    required=(
        "article_id", "product_code", "prod_name", "product_type_name", "product_group_name",
        "graphical_appearance_name", "colour_group_name", "perceived_colour_master_name",
        "department_name", "index_name", "index_group_name", "section_name",
        "garment_group_name", "detail_desc",
    ),
    integer=(
        "product_code", "product_type_no", "graphical_appearance_no", "colour_group_code",
        "perceived_colour_value_id", "perceived_colour_master_id", "department_no",
        "index_group_no", "section_no", "garment_group_no",
    ),
)

CUSTOMERS = FileSchema(
    "customers.csv",
    required=("customer_id",),
    numeric=("FN", "Active", "age"),
)

# Dates, prices and channels are parsed by ingest itself: a row where one fails is skipped.
TRANSACTIONS = FileSchema(
    "transactions_train.csv",
    required=("t_dat", "customer_id", "article_id", "price", "sales_channel_id"),
)

# Not part of H&M's layout, optional: the shop's price list, in the purchases' units. H&M's prices
# come only from purchases, so an article nobody bought has none without it.
PRICES = FileSchema("prices.csv", required=("article_id", "price"), numeric=("price",))
