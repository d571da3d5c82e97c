"""Per-request fusion: the loaded models and catalog, and every answer the service gives.

A request's signals, each scored over the candidate articles and standardised (z-scores) so they
add up on one scale:
- `customer`: a known customer's learned taste (the fused ranker when one is loaded, otherwise
  their DVBPR vector against every photo);
- `session`: what the shopper liked and disliked in this chat, as how much each photo looks like
  the liked pieces and unlike the disliked ones (cosine to their mean direction in the visual
  model's space: "more like this" asks for look-alikes, where a taste vector's dot product
  with its item bias would favour what sells: T-shirts and belts after a jumper);
- `query`: the typed text (`TextModel.query_scores`, which reaches photo-only articles through the
  text->visual map);
- `trends`: what sells now for the shopper's age band: the prior everyone gets, and the whole
  answer for a shopper nothing is known about.
Filters, `shown`, `liked` and `disliked` cut the candidates before scoring; the list is then
diversified (at most `PER_PRODUCT` colour variants of one product). Every step is vector math
on arrays computed at load time: no photo or network runs per request, only the sentence encoder
for a new query (cached).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from recommender.catalog.store import Catalog
from recommender.models.trends import AGE_BAND_NAMES, age_bands
from recommender.service import reasons
from recommender.service.cache import LRU
from recommender.service.errors import ApiError, bad_request, not_found
from recommender.service.facts import ArticleFacts
from recommender.service.index import EXACT_LIMIT, ItemIndex
from recommender.service.rankings import FusedRankings, places
from recommender.service.schemas import RecommendRequest

WEIGHTS = {"session": 1.5, "query": 1.5, "customer": 1.0, "trends": 0.35}
PER_PRODUCT = 2
CANDIDATES_PER_SIGNAL = 2000  # per signal, when the catalog is past the exact limit
LOOK_ALIKE_POOLS = 3  # past the exact limit, the latest liked pieces whose look-alikes are candidates
# A personal signal must lift an item this much (in z units) to be named as its reason.
REASON_MARGIN = 0.2
CACHE_SIZE = 256


@dataclass
class Scored:
    rows: np.ndarray
    total: np.ndarray
    parts: dict[str, np.ndarray]  # signal -> weighted z-score per row


class RecommendationEngine:
    def __init__(self, catalog: Catalog, visual, trends, text=None, baskets=None, attributes=None,
                 fused=None, device: str | None = None, exact_limit: int = EXACT_LIMIT,
                 image_base: str = ""):
        self.catalog, self.visual, self.trends = catalog, visual, trends
        self.text, self.baskets, self.attributes, self.fused = text, baskets, attributes, fused
        self.image_base = image_base.rstrip("/")
        embeddings = np.asarray(visual.item_embeddings, np.float32)
        self.facts = ArticleFacts(catalog, attributes, embeddings)
        self.index = ItemIndex(embeddings, getattr(visual, "item_bias", None), exact_limit, device)
        self.unit = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-8)
        self.servable = self.facts.has_image | self.facts.described
        self.trend_table = self._trend_table(trends)
        self.trend_places = places(self.trend_table)
        if self.index.approximate:  # each band's best sellers, a candidate pool every request joins
            self._trend_pools = np.argpartition(-self.trend_table, CANDIDATES_PER_SIGNAL, axis=1)[:, :CANDIDATES_PER_SIGNAL]
        customers = np.asarray(visual.customer_embeddings, np.float32)
        self.has_taste = np.linalg.norm(customers, axis=1) > 0
        self._queries = LRU(CACHE_SIZE)
        self.rankings = FusedRankings(fused, self.facts.n) if fused is not None else None

    @classmethod
    def from_dir(cls, models_dir: Path, catalog: Catalog, **options) -> "RecommendationEngine":
        """Load what `recommender train` saved: one folder per model under `models_dir`
        (visual/ and trends/ required; text/, baskets/, attributes/, fused/ when present)."""
        from recommender.models.attributes import AttributePredictor
        from recommender.models.baskets import Baskets
        from recommender.models.text import TextModel
        from recommender.models.trends import Trends
        from recommender.models.visual import VisualModel
        from recommender.ranking.fusion import FusedModel

        models_dir = Path(models_dir)
        # Training saves the fused ranker beside its components; reuse its loaded components
        # rather than loading each model twice.
        fused = FusedModel.load(models_dir, catalog) if FusedModel.saved_in(models_dir) else None
        for required in ("visual", "trends"):
            if not (models_dir / required).is_dir():
                raise FileNotFoundError(f"no trained {required} model under {models_dir}: run `recommender train`")

        def component(name, load):
            if fused is not None and name in fused.components:
                return fused.components[name]
            return load(models_dir / name) if (models_dir / name).is_dir() else None

        return cls(
            catalog,
            visual=component("visual", lambda p: VisualModel.load(p, catalog)),
            trends=component("trends", lambda p: Trends.load(p, catalog)),
            text=component("text", lambda p: TextModel.load(p, catalog)),
            baskets=component("baskets", lambda p: Baskets.load(p, catalog)),
            attributes=component("attributes", AttributePredictor.load),
            fused=fused,
            **options,
        )

    def warm_up(self) -> "RecommendationEngine":
        """Load the sentence encoder now, so that the first shopper to type does not wait for it,
        and rank known customers in the background, the most recent buyers first."""
        if self.text is not None:
            self._query_scores("dress")
        if self.rankings is not None:
            self.rankings.start_precompute(self._recent_customers())
        return self

    def _recent_customers(self) -> np.ndarray:
        purchases = self.catalog.transactions.sort_values("t_dat", ascending=False, kind="stable")
        return purchases["customer_idx"].drop_duplicates().to_numpy()

    # -- lookups ----------------------------------------------------------------------------
    def article_row(self, article_id: str) -> int:
        row = self.catalog.article_index.get(str(article_id))
        if row is None:
            raise not_found(f"unknown article {article_id!r}")
        return row

    def article_rows(self, ids: list[str], field: str) -> list[int]:
        index = self.catalog.article_index
        unknown = [a for a in ids if a not in index]
        if unknown:
            raise bad_request(f"{field} holds unknown article id(s): {unknown[:10]}", unknown=unknown[:10])
        return [index[a] for a in ids]

    def models_loaded(self) -> list[str]:
        named = {"visual": self.visual, "trends": self.trends, "text": self.text, "baskets": self.baskets,
                 "attributes": self.attributes, "fused": self.fused}
        return [name for name, model in named.items() if model is not None]

    def health(self) -> dict:
        return {"status": "ok", "articles": self.facts.n, "customers": self.catalog.n_customers,
                "models": self.models_loaded(), "device": self.index.device, "index": self.index.kind,
                "customers_ranked": self._rankings_progress()}

    def _rankings_progress(self) -> dict:
        """How many known customers the background thread has ranked so far, of how many."""
        if self.rankings is None:
            return {"ready": 0, "of": 0}
        return {"ready": self.rankings.precomputed, "of": self.rankings.planned}

    # -- /recommend -------------------------------------------------------------------------
    def recommend(self, request: RecommendRequest) -> dict:
        customer, notice = self._customer(request.customer_id)
        liked = self.article_rows(request.liked, "session.liked")
        disliked = self.article_rows(request.disliked, "session.disliked")
        shown = self.article_rows(request.shown, "session.shown")
        allowed = self._filter_mask(request.filters)
        allowed[liked + disliked + shown] = False
        vectors = self._vector_signals(customer)
        session = self._session_direction(liked, disliked)
        query_scores = self._query_scores(request.query) if request.query else None
        rows = self._candidates(allowed, vectors, query_scores, customer, request.k, liked)
        scored = self._score(rows, vectors, query_scores, customer, session)
        chosen = self._diversify(scored.rows, _best_first(scored.total, request.k * (PER_PRODUCT + 2) + 50), request.k)
        items = [self._card(scored.rows[at], scored.total[at], self._reason(scored.rows[at], at, scored, liked, request.query))
                 for at in chosen]
        out = {"items": items, "customer": "known" if customer is not None else ("unknown" if notice else "anonymous")}
        if notice:
            out["notice"] = notice
        return out

    def _customer(self, customer_id: str | None) -> tuple[int | None, str | None]:
        """Row of a known customer; an unknown id is served as a new shopper, and told so."""
        if customer_id is None:
            return None, None
        row = self.catalog.customer_index.get(customer_id)
        if row is None:
            return None, f"unknown customer_id {customer_id!r}: recommending as for a new shopper"
        return row, None

    def _filter_mask(self, filters: dict) -> np.ndarray:
        allowed = self.servable.copy()
        for name, value in filters.items():
            if name == "max_price":
                allowed &= self.facts.price <= value  # NaN (never sold, no price) never passes
            else:
                allowed &= self.facts.mask(name, self.facts.vocabularies[name].resolve(value))
        return allowed

    def _vector_signals(self, customer) -> dict[str, np.ndarray]:
        vectors = {}
        if customer is not None and self.fused is None and self.has_taste[customer]:
            vectors["customer"] = np.asarray(self.visual.customer_embeddings[customer], np.float32)
        return vectors

    def _session_direction(self, liked: list[int], disliked: list[int]) -> np.ndarray | None:
        """The mean direction of the liked photos less a share (the visual model's
        `disliked_weight`) of the disliked ones'."""
        direction = np.zeros(self.unit.shape[1], np.float32)
        if liked:
            direction += self.unit[liked].mean(0)
        if disliked:
            direction -= self.visual.config.disliked_weight * self.unit[disliked].mean(0)
        return direction if np.any(direction) else None

    def _query_scores(self, query: str) -> np.ndarray | None:
        if self.text is None:
            return None
        return self._queries.get_or(query.lower(), lambda: np.asarray(self.text.query_scores(query), np.float32))

    def _band(self, customer: int | None) -> int:
        return -1 if customer is None else int(self.trends.customer_bands[customer])

    def _candidates(self, allowed, vectors, query_scores, customer, k, liked) -> np.ndarray:
        """Every allowed article for an exact index; past it, the best few thousand of each signal
        (for the session, the look-alikes of the latest liked pieces)."""
        if not self.index.approximate:
            return np.flatnonzero(allowed)
        pools = [self.index.top(v, CANDIDATES_PER_SIGNAL) for v in vectors.values()]
        pools += [self.look_alike(row, CANDIDATES_PER_SIGNAL // 4) for row in liked[-LOOK_ALIKE_POOLS:]]
        pools.append(self._trend_pools[self._band(customer) + 1])
        if query_scores is not None:
            pools.append(np.argpartition(-query_scores, CANDIDATES_PER_SIGNAL)[:CANDIDATES_PER_SIGNAL])
        rows = np.unique(np.concatenate(pools))
        rows = rows[allowed[rows]]
        if len(rows) < k:  # narrow filters: every allowed article is few enough to score exactly
            rows = np.flatnonzero(allowed)
        return rows

    def _score(self, rows, vectors, query_scores, customer, session) -> Scored:
        raw = {name: self.index.scores(v, rows) for name, v in vectors.items()}
        if session is not None:
            raw["session"] = self.unit[rows] @ session
        if customer is not None and self.fused is not None:
            # The fused ranker's order as places (its raw scores have no fixed scale).
            raw["customer"] = self.rankings.signal(customer, rows, self.trend_places[self._band(customer) + 1])
        if query_scores is not None:
            raw["query"] = query_scores[rows]
        raw["trends"] = self.trend_table[self._band(customer) + 1][rows]
        parts = {name: WEIGHTS[name] * _zscore(values) for name, values in raw.items()}
        total = np.sum(list(parts.values()), axis=0) if len(rows) else np.zeros(0)
        return Scored(rows, total, parts)

    def _diversify(self, rows: np.ndarray, order, k: int) -> list[int]:
        """Positions in `order` of the first k rows, at most PER_PRODUCT articles of one product
        code (colour variants)."""
        taken, per_code = [], {}
        for at in order:
            code = self.facts.codes[rows[at]]
            if per_code.get(code, 0) < PER_PRODUCT:
                per_code[code] = per_code.get(code, 0) + 1
                taken.append(int(at))
                if len(taken) == k:
                    break
        return taken

    def _reason(self, row: int, at: int, scored: Scored, liked: list[int], query: str | None) -> str:
        # Disliking alone moves the list but is no reason a shopper would recognise.
        personal = {n: p[at] for n, p in scored.parts.items() if n != "trends" and (liked or n != "session")}
        best = max(personal, key=personal.get, default=None)
        if best is None or personal[best] < REASON_MARGIN:
            return reasons.trending(self.facts, row, self.trends.overall[row])
        if best == "session":
            return reasons.because_liked(self.facts, reasons.nearest_liked(self.unit, liked, row))
        if best == "query":
            return reasons.matches(query)
        return reasons.for_customer()

    # -- other endpoints ---------------------------------------------------------------------
    def similar(self, article_id: str, k: int) -> dict:
        row = self.article_row(article_id)
        if self.facts.has_image[row]:
            ordered = self.look_alike(row, 4 * k + 8)
        elif self.text is not None:
            ordered = self.text.similar_items(row, 4 * k + 8)
        else:
            raise ApiError(422, f"article {article_id} has neither a photo nor a text model to compare by")
        ordered = np.asarray([r for r in ordered if r != row and self.servable[r]], dtype=np.int64)
        chosen = [int(ordered[at]) for at in self._diversify(ordered, range(len(ordered)), k)]
        scores = self.unit[chosen] @ self.unit[row]
        return {"items": [self._card(r, s, reasons.similar_to(self.facts, row)) for r, s in zip(chosen, scores)]}

    def look_alike(self, row: int, n: int) -> np.ndarray:
        """The n articles whose photos are closest to `row`'s (cosine in taste space), best first;
        past the exact limit, re-ranked from the index's candidates for the photo's own vector."""
        pool = self.index.top(self.visual.item_embeddings[row], 20 * n) if self.index.approximate else None
        similarity = self.unit @ self.unit[row] if pool is None else self.unit[pool] @ self.unit[row]
        best = _best_first(similarity, n)
        return best if pool is None else pool[best]

    def complete_the_look(self, article_id: str, k: int, complementary_only: bool = False) -> dict:
        row = self.article_row(article_id)
        if self.baskets is None:
            raise ApiError(503, "the baskets model is not loaded: run `recommender train`")
        chosen = self.baskets.complete_the_look(row, k, complementary_only)
        return {"items": [self._card(int(r), 1.0 - i / max(len(chosen), 1), reasons.goes_with(self.facts, row))
                          for i, r in enumerate(chosen)]}

    def trending(self, section: str | None, age: float | None, k: int) -> dict:
        canonical = self.facts.vocabularies["section"].resolve(section) if section else None
        ordered = self.trends.trending(4 * k + 8, section=canonical, age=age)
        chosen = [int(ordered[at]) for at in self._diversify(ordered, range(len(ordered)), k)]
        band = self.trends.band_trend(int(self._age_band(age)))
        return {"items": [self._card(r, band[r], reasons.trending(self.facts, r, band[r])) for r in chosen]}

    def _age_band(self, age: float | None) -> int:
        return -1 if age is None else int(age_bands([age])[0])

    def product(self, article_id: str) -> dict:
        row = self.article_row(article_id)
        card = self._card(row, None, None)
        card.pop("score"), card.pop("reason")
        card |= {"pattern": self.facts.attribute("pattern", row), "description": self.facts.details[row] or None,
                 "has_image": bool(self.facts.has_image[row]), "described": bool(self.facts.described[row])}
        return card

    def _card(self, row: int, score, reason: str | None) -> dict:
        facts = self.facts
        article_id = facts.ids[row]
        return {
            "article_id": article_id,
            "title": facts.title(row),
            "product_type": facts.attribute("product_type", row),
            "colour": facts.attribute("colour", row),
            "section": facts.section_label(row),
            "price": facts.price_of(row),
            "image_url": f"{self.image_base}/images/{article_id}.jpg" if facts.has_image[row] else None,
            "score": None if score is None else round(float(score), 4),
            "reason": reason,
            "predicted_attributes": bool(facts.predicted[row]),
        }

    @staticmethod
    def _trend_table(trends) -> np.ndarray:
        """Per age band (row 0: unknown), log of each article's sales relative to the average one:
        heavy-tailed shares become a scale that z-scores sensibly."""
        table = np.stack([trends.band_trend(b) for b in range(-1, len(AGE_BAND_NAMES))]).astype(np.float32)
        return np.log1p(table * table.shape[1])


def _best_first(values: np.ndarray, n: int) -> np.ndarray:
    """Positions of the n largest values, largest first (ties in position order)."""
    if n < len(values):
        part = np.argpartition(-values, n - 1)[:n]
        return part[np.lexsort((part, -values[part]))]
    return np.argsort(-values, kind="stable")


def _zscore(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, np.float32)
    if len(values) == 0:
        return values
    spread = float(values.std())
    return (values - float(values.mean())) / spread if spread > 1e-9 else np.zeros_like(values)
