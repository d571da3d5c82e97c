"""The shop's pages. Products come from the recommender over HTTP (the same client the action
server uses); when it is down the pages still render and say so."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from sanic import Blueprint, response

from actions import client
from actions.cards import public_image_url
from actions.prices import display_price
from bot.config import WebConfig
from bot.shop import customer
from bot.templating import environment, render

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
GRID_SIZE = 12
SIMILAR_SIZE = 4


def tile(item: Dict[str, Any]) -> Dict[str, Any]:
    """What a product tile and page show of a recommender item."""
    return {
        "article_id": str(item["article_id"]),
        "title": item.get("title") or item.get("product_type") or "This piece",
        "price": display_price(item.get("price")),
        "image_url": public_image_url(item.get("image_url")),
        "colour": item.get("colour") or "",
        "product_type": item.get("product_type") or "",
        "reason": item.get("reason") or "",
        "description": item.get("description") or "",
    }


async def landing_items(customer_id: Optional[str]) -> Tuple[str, List[Dict[str, Any]]]:
    """A newcomer sees what is selling now; a signed-in customer their own picks."""
    if customer_id:
        return "Picked for you", await client.recommend(customer_id=customer_id, k=GRID_SIZE)
    return "Selling now", await client.trending(k=GRID_SIZE)


def security_headers(config: WebConfig) -> Dict[str, str]:
    """Scripts and styles only from this server, connections only to Rasa. Photos may come from
    any web address (the recommender, or a shop's image CDN)."""
    bot = config.bot_public_url.rstrip("/")
    bot_ws = bot.replace("http://", "ws://", 1).replace("https://", "wss://", 1)
    return {
        "Content-Security-Policy": (
            f"default-src 'self'; img-src 'self' https: http: data:; connect-src 'self' {bot} {bot_ws}; "
            "script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }


def shop_blueprint(config: WebConfig) -> Blueprint:
    blueprint = Blueprint("shop")
    templates = environment(HERE / "templates")
    headers = security_headers(config)
    blueprint.static("/shop-static", str(HERE.parent / "static" / "shop"), name="static")

    def page(name: str, request, status: int = 200, **context):
        context |= {"customer_id": customer.current_customer(request), "bot_url": config.bot_public_url}
        return render(templates, name, status=status, headers=headers, **context)

    @blueprint.get("/")
    async def landing(request):
        customer_id = customer.current_customer(request)
        try:
            heading, items = await landing_items(customer_id)
            problem = None
        except client.RecommenderUnavailable as error:
            log.warning("landing grid without products: %s", error)
            heading, items, problem = "Selling now", [], "Our catalogue is taking a short break. The assistant can still help."
        return page("landing.html", request, heading=heading, items=[tile(i) for i in items], problem=problem)

    @blueprint.get("/product/<article_id:str>")
    async def product(request, article_id: str):
        try:
            item = tile(await client.product(article_id))
        except client.NotFound:
            return page("missing.html", request, status=404, article_id=article_id)
        except client.RecommenderUnavailable as error:
            log.warning("product page %s without its product: %s", article_id, error)
            return page("missing.html", request, status=503, article_id=article_id)
        try:
            similar = [tile(i) for i in await client.similar(article_id, k=SIMILAR_SIZE)]
        except client.RecommenderUnavailable:
            similar = []
        return page("product.html", request, item=item, similar=similar)

    @blueprint.post("/sign-in")
    async def sign_in(request):
        customer_id = customer.valid_customer_id(request.form.get("customer_id"))
        if not customer_id:
            return page("landing.html", request, status=400, heading="Selling now", items=[],
                        problem="That is not a customer id: letters, digits, - and _ only.")
        redirect = response.redirect("/")
        customer.remember(redirect, customer_id)
        return redirect

    @blueprint.post("/sign-out")
    async def sign_out(request):
        redirect = response.redirect("/")
        customer.forget(redirect)
        return redirect

    return blueprint
