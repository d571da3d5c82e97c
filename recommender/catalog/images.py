"""Decoding product photos once, into one uint8 array file that training memory-maps.

Every photo is fitted into the same height x width without distorting it: scaled to fit, then
centred on white (the background of a product shot). The array is written row by row through a
memory map, by several processes at once, so memory stays small however big the catalog is.
"""
from __future__ import annotations

import os
from multiprocessing import Pool
from pathlib import Path

import numpy as np
from PIL import Image
from tqdm import tqdm

CHUNK = 256  # photos per task: big enough to amortise the task overhead, small for a smooth bar


def fit_on_white(image: Image.Image, size: tuple[int, int]) -> np.ndarray:
    """The photo scaled to fit (height, width) keeping its aspect, centred on white."""
    height, width = size
    # For a JPEG, draft makes the decoder itself scale down by 1/2, 1/4 or 1/8: most of the speed.
    image.draft("RGB", (width, height))
    image = image.convert("RGB")
    scale = min(width / image.width, height / image.height)
    fitted = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    if fitted != image.size:
        image = image.resize(fitted, Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", (width, height), "white")
    canvas.paste(image, ((width - fitted[0]) // 2, (height - fitted[1]) // 2))
    return np.asarray(canvas)


def _decode_chunk(task) -> list[int]:
    """Write each photo of the chunk into its row of the array file; return the rows that failed."""
    array_path, size, rows = task
    array = np.load(array_path, mmap_mode="r+")
    failed = []
    for row, photo in rows:
        try:
            with Image.open(photo) as image:
                array[row] = fit_on_white(image, size)
        # A truncated or garbage file can raise almost anything from inside PIL's decoders; one
        # bad photo must cost its own row, never the whole ingest.
        except Exception:
            failed.append(row)
    array.flush()
    return failed


def default_workers() -> int:
    return len(os.sched_getaffinity(0))


def decode_photos(
    photos: list[Path | None],
    array_path: Path,
    size: tuple[int, int],
    workers: int | None = None,
) -> np.ndarray:
    """Decode photos[i] into row i of a new (n, height, width, 3) uint8 .npy file.

    Rows without a photo, or whose photo does not decode, stay black. Returns a boolean array
    saying which rows hold a decoded photo.
    """
    height, width = size
    # Created up front so that the workers can all map it and fill their own rows.
    np.lib.format.open_memmap(
        array_path, mode="w+", dtype=np.uint8, shape=(len(photos), height, width, 3)
    ).flush()
    rows = [(row, str(photo)) for row, photo in enumerate(photos) if photo is not None]
    tasks = [(array_path, size, rows[i : i + CHUNK]) for i in range(0, len(rows), CHUNK)]
    decoded = np.array([photo is not None for photo in photos], dtype=bool)
    workers = min(workers or default_workers(), len(tasks))
    with tqdm(total=len(rows), desc="decoding photos", unit="photo") as bar:
        for task, failed in zip(tasks, _run(tasks, workers)):
            decoded[failed] = False
            bar.update(len(task[2]))
    return decoded


def _run(tasks, workers):
    """Results of _decode_chunk in task order, from a process pool when more than one worker helps."""
    if workers <= 1:
        yield from map(_decode_chunk, tasks)
        return
    with Pool(workers) as pool:
        yield from pool.imap(_decode_chunk, tasks)
