"""The sanic app over a `RecommendationEngine`, and `serve` for `recommender serve`.

Every error leaves as JSON `{"error": "..."}` with a 4xx that says what is wrong. When a token is
set (`RECOMMENDER_TOKEN`), every route but the photos, /health and /openapi.json wants
`Authorization: Bearer <token>`. An unknown `customer_id` in /recommend is not an error: the
shopper is served as a new one and the answer's `notice` says so, since a chat may well carry an
id the catalog has not seen yet.
"""
from __future__ import annotations

import itertools
import logging
import os
from pathlib import Path

from sanic import Sanic, response
from sanic.exceptions import SanicException

from recommender.service import images, schemas
from recommender.service.auth import check_bearer
from recommender.service.engine import RecommendationEngine
from recommender.service.errors import ApiError
from recommender.service.openapi import openapi_spec

PUBLIC_PREFIXES = ("/images/", "/health", "/openapi.json")
_names = itertools.count()
log = logging.getLogger(__name__)


def create_app(engine: RecommendationEngine, token: str | None = None) -> Sanic:
    # Sanic keeps a registry of apps by name; tests make several in one process.
    app = Sanic(f"recommender{next(_names)}")
    app.config.REQUEST_MAX_SIZE = schemas.MAX_BODY_BYTES
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.config.ACCESS_LOG = False
    app.config.MOTD = False
    spec = openapi_spec()

    @app.on_request
    async def authenticate(request):
        if token and not request.path.startswith(PUBLIC_PREFIXES):
            check_bearer(request.headers.get("authorization"), token)

    @app.exception(ApiError)
    async def api_error(request, error: ApiError):
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
        return response.json(error.body(), status=error.status, headers=headers)

    @app.exception(SanicException)
    async def sanic_error(request, error: SanicException):
        return response.json({"error": str(error) or type(error).__name__}, status=error.status_code)

    @app.exception(Exception)
    async def unexpected(request, error: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        return response.json({"error": f"internal error: {type(error).__name__}"}, status=500)

    @app.post("/recommend")
    async def recommend(request):
        body = schemas.json_body(request.headers.get("content-type"), request.body)
        return response.json(engine.recommend(schemas.parse_recommend(body)))

    @app.get("/similar/<article_id:str>")
    async def similar(request, article_id: str):
        return response.json(engine.similar(article_id, _k(request)))

    @app.get("/complete-the-look/<article_id:str>")
    async def complete_the_look(request, article_id: str):
        complementary = schemas.parse_flag("complementary", request.args.get("complementary"))
        return response.json(engine.complete_the_look(article_id, _k(request), complementary))

    @app.get("/trending")
    async def trending(request):
        section = request.args.get("section") or None
        if section is not None and len(section) > 100:
            raise schemas.bad_request("section must be at most 100 characters")
        age = schemas.parse_age(request.args.get("age"))
        return response.json(engine.trending(section, age, _k(request)))

    @app.get("/products/<article_id:str>")
    async def product(request, article_id: str):
        return response.json(engine.product(article_id))

    @app.get("/images/<name:str>")
    async def image(request, name: str):
        article_id = name.removesuffix(".jpg")
        if article_id == name:
            raise ApiError(404, f"photos are served as /images/<article_id>.jpg, not {name!r}")
        row = engine.article_row(article_id)
        if not engine.facts.has_image[row]:
            raise ApiError(404, f"article {article_id} has no photo")
        path, data, etag = images.photo(engine.catalog, row, article_id)
        headers = {"ETag": etag, "Cache-Control": images.CACHE_CONTROL}
        if images.matches(request.headers.get("if-none-match"), etag):
            return response.empty(status=304, headers=headers)
        if path is not None:
            return await response.file(path, headers=headers, mime_type="image/jpeg")
        return response.raw(data, headers=headers, content_type="image/jpeg")

    @app.get("/health")
    async def health(request):
        return response.json(engine.health())

    @app.get("/openapi.json")
    async def openapi(request):
        return response.json(spec)

    return app


def _k(request) -> int:
    return schemas.parse_k(request.args.get("k", schemas.DEFAULT_K))


def load_engine(models_dir: Path | None = None, catalog_dir: Path | None = None) -> RecommendationEngine:
    from recommender.catalog.store import Catalog
    from recommender.paths import models_dir as default_models

    catalog = Catalog.load(catalog_dir)
    return RecommendationEngine.from_dir(Path(models_dir or default_models()), catalog,
                                         image_base=os.environ.get("RECOMMENDER_PUBLIC_URL", ""))


def single_threaded_blas() -> None:
    """A request's products are small: BLAS threads only fight each other (and other requests)
    for the cores, which made a 25k x 64 product ten times slower on a busy 2-core machine."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")


def serve(host: str = "127.0.0.1", port: int | None = None, models_dir: Path | None = None,
          catalog_dir: Path | None = None) -> None:
    """Load the catalog and trained models once, then answer on host:port until stopped."""
    port = port or int(os.environ.get("RECOMMENDER_PORT", 8000))
    single_threaded_blas()
    engine = load_engine(models_dir, catalog_dir).warm_up()
    app = create_app(engine, token=os.environ.get("RECOMMENDER_TOKEN") or None)
    print(f"recommender serving {engine.facts.n} articles on http://{host}:{port} ({engine.index.kind})", flush=True)
    # One process: the models are loaded once, and requests are pure array math.
    app.run(host=host, port=port, single_process=True, access_log=False, motd=False)
