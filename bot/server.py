"""The web server on :8080 (`WEB_PORT`): the demo shop with the chat widget, and the review app.

    python -m bot.server
"""
from __future__ import annotations

import logging

from sanic import Sanic

from bot.config import WebConfig
from bot.review.routes import review_blueprint
from bot.shop.routes import shop_blueprint
from bot.widget import widget_blueprint


def create_app(config: WebConfig) -> Sanic:
    app = Sanic("fashion_web")
    app.config.FALLBACK_ERROR_FORMAT = "html"
    app.blueprint(widget_blueprint())
    app.blueprint(shop_blueprint(config))
    app.blueprint(review_blueprint(config))
    return app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = WebConfig.from_env()
    app = create_app(config)
    logging.getLogger(__name__).info(
        "shop page with the chat widget: http://localhost:%s/  review app: http://localhost:%s/review",
        config.port, config.port,
    )
    app.run(host=config.host, port=config.port, access_log=False, workers=1, motd=False)


if __name__ == "__main__":
    main()
