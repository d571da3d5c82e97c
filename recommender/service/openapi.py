"""The service's OpenAPI 3 description, served at /openapi.json (and what the API is fuzzed from)."""
from __future__ import annotations

from recommender.service.schemas import DEFAULT_K, FILTER_NAMES, MAX_AGE, MAX_K, MAX_QUERY_CHARS, MAX_SESSION_IDS

ARTICLE_ID = {"type": "string", "description": "10-digit H&M article id, e.g. 0108775015", "example": "0108775015"}
NULLABLE_STRING = {"type": "string", "nullable": True}

ITEM = {
    "type": "object",
    "required": ["article_id", "title", "product_type", "colour", "section", "price", "image_url", "score",
                 "reason", "predicted_attributes"],
    "properties": {
        "article_id": {"type": "string"},
        "title": {"type": "string"},
        "product_type": NULLABLE_STRING,
        "colour": NULLABLE_STRING,
        "section": NULLABLE_STRING,
        "price": {"type": "number", "nullable": True},
        "image_url": NULLABLE_STRING,
        "score": {"type": "number"},
        "reason": {"type": "string"},
        "predicted_attributes": {"type": "boolean",
                                 "description": "type, colour, section and pattern were read from the photo"},
    },
}
ITEMS = {"type": "object", "required": ["items"], "properties": {
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
    "customer": {"type": "string", "enum": ["known", "unknown", "anonymous"]},
    "notice": {"type": "string", "description": "e.g. that an unknown customer_id was served as a new shopper"},
}}
ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}},
         "additionalProperties": True}
FILTER_PROPERTIES = {name: {"type": "string", "maxLength": 100, "description": "catalog value, case-insensitive"}
                     for name in FILTER_NAMES if name != "max_price"}
FILTER_PROPERTIES["section"]["description"] += (
    "; an index group or a section name. Ladieswear, Menswear and Baby/Children cover all their wearer wears"
    " (Divided and Ladies H&M Sport for women, Men H&M Sport for men, Kids Sports for children)")
FILTER_PROPERTIES["max_price"] = {"type": "number", "minimum": 0}
RECOMMEND_REQUEST = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "customer_id": {"type": "string", "maxLength": 200,
                        "description": "a known customer; an unknown id is served as a new shopper (see notice)"},
        "query": {"type": "string", "maxLength": MAX_QUERY_CHARS},
        "filters": {"type": "object", "additionalProperties": False, "properties": FILTER_PROPERTIES},
        "session": {"type": "object", "additionalProperties": False, "properties": {
            name: {"type": "array", "maxItems": MAX_SESSION_IDS, "items": ARTICLE_ID}
            for name in ("liked", "disliked", "shown")}},
        "k": {"type": "integer", "minimum": 1, "maximum": MAX_K, "default": DEFAULT_K},
    },
}


def _errors(*codes: int) -> dict:
    text = {400: "bad input: the message says what is wrong", 401: "missing or wrong bearer token",
            404: "unknown article", 413: "body too large", 415: "not JSON", 422: "nothing to compare by",
            503: "model not loaded"}
    return {str(c): {"description": text[c], "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            for c in codes}


def _json(ref: str, description: str) -> dict:
    return {"200": {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}}


def _article_path(summary: str, *errors: int, k: bool = True) -> dict:
    parameters = [{"name": "article_id", "in": "path", "required": True, "schema": ARTICLE_ID}]
    if k:
        parameters.append(_k_parameter())
    return {"get": {"summary": summary, "parameters": parameters,
                    "responses": _json("#/components/schemas/Items" if k else "#/components/schemas/Product", "ok")
                    | _errors(400, 401, 404, *errors)}}


def _k_parameter() -> dict:
    return {"name": "k", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_K, "default": DEFAULT_K}}


def openapi_spec() -> dict:
    product = {"type": "object", "required": ["article_id", "title"], "properties": {
        **{k: v for k, v in ITEM["properties"].items() if k not in ("score", "reason")},
        "pattern": NULLABLE_STRING, "description": NULLABLE_STRING,
        "has_image": {"type": "boolean"}, "described": {"type": "boolean"}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Fashion recommender", "version": "1.0.0",
                 "description": "Recommendations fused from visual taste, the chat session, text and trends."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Item": ITEM, "Items": ITEMS, "Error": ERROR, "RecommendRequest": RECOMMEND_REQUEST,
                        "Product": product},
        },
        "security": [{"bearer": []}],
        "paths": {
            "/recommend": {"post": {
                "summary": "Ranked items for a shopper, a chat session, a query and filters",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/RecommendRequest"}}}},
                "responses": _json("#/components/schemas/Items", "ranked items") | _errors(400, 401, 413, 415),
            }},
            "/similar/{article_id}": _article_path("Articles whose photos look alike", 422),
            "/complete-the-look/{article_id}": _article_path("What goes with an article (never the same kind)", 503),
            "/products/{article_id}": _article_path("One article's card and details", k=False),
            "/trending": {"get": {
                "summary": "What sells now, for an age and a section",
                "parameters": [
                    {"name": "section", "in": "query", "schema": {"type": "string", "maxLength": 100}},
                    {"name": "age", "in": "query", "schema": {"type": "number", "minimum": 0, "maximum": MAX_AGE}},
                    _k_parameter()],
                "responses": _json("#/components/schemas/Items", "trending items") | _errors(400, 401),
            }},
            "/images/{article_id}.jpg": {"get": {
                "summary": "The article's photo (public; Cache-Control and ETag)", "security": [],
                "parameters": [{"name": "article_id", "in": "path", "required": True, "schema": ARTICLE_ID}],
                "responses": {"200": {"description": "JPEG", "content": {"image/jpeg": {}}},
                              "304": {"description": "not modified"}} | _errors(404),
            }},
            "/health": {"get": {"summary": "Status, catalog size, models, device", "security": [],
                                "responses": {"200": {"description": "ok", "content": {"application/json": {
                                    "schema": {"type": "object", "required": ["status"]}}}}}}},
        },
    }
