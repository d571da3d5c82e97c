"""The one error type handlers raise: an HTTP status and a message a caller can act on."""
from __future__ import annotations


class ApiError(Exception):
    def __init__(self, status: int, message: str, **details):
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details

    def body(self) -> dict:
        return {"error": self.message, **self.details}


def bad_request(message: str, **details) -> ApiError:
    return ApiError(400, message, **details)


def not_found(message: str) -> ApiError:
    return ApiError(404, message)
