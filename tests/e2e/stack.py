"""The whole product as real processes on free ports: recommender, action server, Rasa and the web
server. Used by the end-to-end tests (conftest.py) and by benchmarks/conversation_latency.py."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RECOMMENDER = ROOT / ".venv" / "bin" / "recommender"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode} before {url} answered")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


def build_demo_catalog(var: Path, articles: int = 600, customers: int = 150) -> None:
    """A small demo catalog, ingested and trained, under `var` (RECOMMENDER_VAR)."""
    env = {**os.environ, "RECOMMENDER_VAR": str(var)}
    for step in (["demo-data", str(var / "src"), "--articles", str(articles), "--customers", str(customers)],
                 ["ingest", str(var / "src")], ["train"]):
        subprocess.run([str(RECOMMENDER), *step], env=env, check=True, capture_output=True)


class Stack:
    """Start with `Stack(var, model).start()`; `urls` then names each service; `ready_s` says how
    long each took from launch to answering; `stop()` ends them all."""

    def __init__(self, var: Path, model: Path, extra_env: dict | None = None):
        self.var, self.model = Path(var), Path(model)
        self.ports = {name: free_port() for name in ("recommender", "actions", "rasa", "web")}
        self.urls = {name: f"http://127.0.0.1:{port}" for name, port in self.ports.items()}
        self.tracker_db_url = f"sqlite:///{self.var / 'tracker.db'}"
        self.env = {
            **os.environ,
            "RECOMMENDER_VAR": str(self.var),
            "RECOMMENDER_URL": self.urls["recommender"],
            "BOT_PUBLIC_URL": self.urls["rasa"],
            "WEB_PORT": str(self.ports["web"]),
            "TRACKER_DB_URL": self.tracker_db_url,
            **(extra_env or {}),
        }
        self.processes: dict[str, subprocess.Popen] = {}
        self.ready_s: dict[str, float] = {}

    def _commands(self) -> dict[str, list[str]]:
        endpoints = self.var / "endpoints.yml"
        endpoints.write_text(
            f"action_endpoint:\n  url: {self.urls['actions']}/webhook\n"
            f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {self.var / 'tracker.db'}\n"
        )
        return {
            "recommender": [str(RECOMMENDER), "serve", "--port", str(self.ports["recommender"])],
            "actions": [str(RASA), "run", "actions", "--actions", "actions", "--port", str(self.ports["actions"])],
            "rasa": [str(RASA), "run", "--enable-api", "--cors", "*", "--port", str(self.ports["rasa"]),
                     "--model", str(self.model), "--endpoints", str(endpoints),
                     "--credentials", str(ROOT / "credentials.yml")],
            "web": [sys.executable, "-m", "bot.server"],
        }

    def start(self) -> "Stack":
        health = {"recommender": "/health", "actions": "/health", "rasa": "/status", "web": "/widget/widget.js"}
        started = time.monotonic()
        for name, command in self._commands().items():
            log = open(self.var / f"{name}.log", "w")
            self.processes[name] = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        try:
            for name, path in health.items():
                wait_until_up(self.urls[name] + path, self.processes[name])
                self.ready_s[name] = time.monotonic() - started
        except Exception:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
