"""Where the web server listens and what it talks to, from the environment (DESIGN.md: every
port is an environment variable)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = Path(os.environ.get("RECOMMENDER_VAR", ROOT / "var"))


def default_tracker_db_url() -> str:
    """The tracker store Rasa writes: PostgreSQL when `TRACKER_DB_URL` says so, else the SQLite
    file endpoints.yml names."""
    return os.environ.get("TRACKER_DB_URL") or f"sqlite:///{ROOT / 'var' / 'rasa' / 'tracker.db'}"


@dataclass(frozen=True)
class WebConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    # Rasa as the shopper's browser reaches it (the widget connects to it directly).
    bot_public_url: str = "http://localhost:5005"
    # Address the web server itself uses for the recommender (shop grid, product pages).
    recommender_url: str = "http://localhost:8000"
    recommender_token: str = ""
    tracker_db_url: str = ""
    var_dir: Path = VAR
    # The review app: staff accounts (`python -m bot.review.accounts add <name>`), and the key
    # that signs its session cookies (generated once under var/review/ when empty).
    review_accounts: Path = VAR / "review" / "accounts.json"
    web_secret: str = ""

    @classmethod
    def from_env(cls) -> "WebConfig":
        recommender_url = os.environ.get("RECOMMENDER_URL", cls.recommender_url)
        return cls(
            host=os.environ.get("WEB_HOST", cls.host),
            port=int(os.environ.get("WEB_PORT", cls.port)),
            bot_public_url=os.environ.get(
                "BOT_PUBLIC_URL", f"http://localhost:{os.environ.get('RASA_PORT', '5005')}"
            ),
            recommender_url=recommender_url,
            recommender_token=os.environ.get("RECOMMENDER_TOKEN", ""),
            tracker_db_url=default_tracker_db_url(),
            var_dir=VAR,
            review_accounts=Path(os.environ.get("REVIEW_ACCOUNTS") or cls.review_accounts),
            web_secret=os.environ.get("WEB_SECRET", ""),
        )
