"""Product photos: the original file from the catalog's source folder when it is still there,
otherwise the ingested (downsized) copy encoded as JPEG. An ETag from the file's identity lets
browsers and the chat widget revalidate with a 304 instead of downloading again."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
from PIL import Image

CACHE_CONTROL = "public, max-age=86400"


def photo(catalog, row: int, article_id: str) -> tuple[Path | None, bytes | None, str]:
    """(path to serve, or the bytes to serve, and the ETag)."""
    path = catalog.source_image_path(article_id)
    if path.is_file():
        stat = path.stat()
        return path, None, _etag(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(catalog.images[row])).save(buffer, format="JPEG", quality=90)
    data = buffer.getvalue()
    return None, data, _etag(hashlib.sha1(data).hexdigest())


def _etag(identity: str) -> str:
    return '"' + hashlib.sha1(identity.encode()).hexdigest()[:20] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    return if_none_match.strip() == "*" or etag in [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
