"""Drawn product photos for the demo catalog: one garment silhouette per product type, filled with
the article's colour and pattern on a light studio background, 128×192 like H&M's photos.

What a customer likes in the demo data is colour, pattern, product type and section, so each of
them must be visible here: that is what lets a model that only sees photos learn the taste.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 128, 192

# Silhouettes in a unit box (x right, y down). A primitive is (kind, geometry):
#   "poly" / "ellipse" add to the garment, "hole_poly" / "hole_ellipse" cut out of it (necklines),
#   "arc" (bbox, start, end, width) and "strip" (points, width) are thick fabric lines (handles,
#   chains), "seam" (points) is a dark detail line drawn over the fill (buttons, plackets, laces).
TOP_SHORT_SLEEVES = [
    ("poly", [(0.3, 0), (0.7, 0), (1.0, 0.18), (0.87, 0.38), (0.78, 0.3), (0.78, 1), (0.22, 1),
              (0.22, 0.3), (0.13, 0.38), (0.0, 0.18)]),
    ("hole_ellipse", (0.36, -0.08, 0.64, 0.1)),
]
TOP_LONG_SLEEVES = [
    ("poly", [(0.3, 0), (0.7, 0), (0.94, 0.08), (1.0, 0.9), (0.86, 0.92), (0.8, 0.3), (0.8, 1),
              (0.2, 1), (0.2, 0.3), (0.14, 0.92), (0.0, 0.9), (0.06, 0.08)]),
]
SHAPES: dict[str, list] = {
    "tshirt": TOP_SHORT_SLEEVES,
    "sweater": TOP_LONG_SLEEVES + [
        ("hole_ellipse", (0.37, -0.07, 0.63, 0.09)),
        ("seam", [(0.2, 0.93), (0.8, 0.93)]),
    ],
    "cardigan": TOP_LONG_SLEEVES + [
        ("hole_poly", [(0.36, 0), (0.64, 0), (0.5, 0.35)]),
        ("seam", [(0.5, 0.35), (0.5, 1)]),
        ("buttons", [(0.5, 0.45), (0.5, 0.6), (0.5, 0.75), (0.5, 0.9)]),
    ],
    "shirt": TOP_LONG_SLEEVES + [
        ("seam", [(0.4, 0), (0.5, 0.12), (0.6, 0)]),
        ("seam", [(0.5, 0.12), (0.5, 1)]),
        ("buttons", [(0.5, 0.3), (0.5, 0.5), (0.5, 0.7), (0.5, 0.9)]),
    ],
    "jacket": [
        ("poly", [(0.28, 0), (0.72, 0), (0.97, 0.1), (1.0, 0.92), (0.85, 0.93), (0.81, 0.35),
                  (0.82, 1), (0.18, 1), (0.19, 0.35), (0.15, 0.93), (0.0, 0.92), (0.03, 0.1)]),
        ("hole_poly", [(0.38, 0), (0.62, 0), (0.5, 0.25)]),
        ("seam", [(0.38, 0), (0.5, 0.42), (0.62, 0)]),
        ("seam", [(0.5, 0.42), (0.5, 1)]),
        ("seam", [(0.25, 0.7), (0.4, 0.7)]),
        ("seam", [(0.6, 0.7), (0.75, 0.7)]),
    ],
    "dress": [
        ("poly", [(0.33, 0), (0.4, 0), (0.5, 0.08), (0.6, 0), (0.67, 0), (0.66, 0.32), (1.0, 1),
                  (0.0, 1), (0.34, 0.32)]),
        ("seam", [(0.34, 0.32), (0.66, 0.32)]),
    ],
    "skirt": [
        ("poly", [(0.22, 0), (0.78, 0), (1.0, 1), (0.0, 1)]),
        ("seam", [(0.21, 0.08), (0.79, 0.08)]),
    ],
    "trousers": [
        ("poly", [(0.1, 0), (0.9, 0), (1.0, 1), (0.6, 1), (0.5, 0.28), (0.4, 1), (0.0, 1)]),
        ("seam", [(0.09, 0.05), (0.91, 0.05)]),
    ],
    "shorts": [
        ("poly", [(0.05, 0), (0.95, 0), (1.0, 1), (0.56, 1), (0.5, 0.4), (0.44, 1), (0.0, 1)]),
        ("seam", [(0.05, 0.1), (0.95, 0.1)]),
    ],
    "sneaker": [
        ("poly", [(0.0, 0.45), (0.12, 0.15), (0.42, 0.1), (0.55, 0.4), (0.95, 0.55), (1.0, 0.8),
                  (0.0, 0.8)]),
        ("sole", (0.0, 0.8, 1.0, 1.0)),
        ("seam", [(0.3, 0.25), (0.45, 0.35)]),
        ("seam", [(0.35, 0.18), (0.5, 0.28)]),
    ],
    "boot": [
        ("poly", [(0.15, 0), (0.6, 0), (0.6, 0.55), (0.95, 0.7), (1.0, 0.88), (0.15, 0.88)]),
        ("sole", (0.15, 0.88, 1.0, 1.0)),
        ("seam", [(0.15, 0.1), (0.6, 0.1)]),
    ],
    "bag": [
        ("arc", (0.2, 0.0, 0.8, 0.7), 180, 360, 0.07),
        ("poly", [(0.05, 0.35), (0.95, 0.35), (1.0, 1), (0.0, 1)]),
        ("seam", [(0.05, 0.5), (0.95, 0.5)]),
    ],
    "belt": [
        ("poly", [(0.0, 0.38), (1.0, 0.38), (1.0, 0.62), (0.0, 0.62)]),
        ("buckle", (0.08, 0.25, 0.3, 0.75)),
        ("buttons", [(0.6, 0.5), (0.7, 0.5), (0.8, 0.5)]),
    ],
    "scarf": [
        ("poly", [(0.05, 0), (0.95, 0), (0.95, 0.16), (0.05, 0.16)]),
        ("poly", [(0.12, 0.14), (0.46, 0.14), (0.46, 0.95), (0.12, 0.95)]),
        ("poly", [(0.54, 0.14), (0.88, 0.14), (0.92, 0.85), (0.58, 0.85)]),
        ("seam", [(0.12, 0.95), (0.46, 0.95)]),
    ],
    "hat": [
        ("ellipse", (0.05, 0.12, 0.95, 1.5)),
        ("hole_poly", [(0.0, 0.8), (1.0, 0.8), (1.0, 1.6), (0.0, 1.6)]),
        ("poly", [(0.0, 0.72), (1.0, 0.72), (1.0, 1.0), (0.0, 1.0)]),
        ("ellipse", (0.38, 0.0, 0.62, 0.24)),
        ("seam", [(0.0, 0.72), (1.0, 0.72)]),
    ],
    "necklace": [
        ("arc", (0.05, -0.6, 0.95, 0.75), 20, 160, 0.05),
        ("ellipse", (0.3, 0.62, 0.7, 1.0)),
    ],
    "earrings": [
        ("arc", (0.12, 0.0, 0.32, 0.2), 180, 450, 0.04),
        ("arc", (0.68, 0.0, 0.88, 0.2), 180, 450, 0.04),
        ("ellipse", (0.02, 0.22, 0.42, 1.0)),
        ("ellipse", (0.58, 0.22, 0.98, 1.0)),
    ],
}

# How much of the frame each silhouette fills (width, height), as a share of the photo.
SHAPE_SIZES: dict[str, tuple[float, float]] = {
    "tshirt": (0.85, 0.6), "sweater": (0.88, 0.62), "cardigan": (0.88, 0.64),
    "shirt": (0.88, 0.64), "jacket": (0.9, 0.66), "dress": (0.8, 0.82), "skirt": (0.72, 0.55),
    "trousers": (0.62, 0.86), "shorts": (0.72, 0.42), "sneaker": (0.88, 0.36),
    "boot": (0.8, 0.58), "bag": (0.8, 0.56), "belt": (0.92, 0.22), "scarf": (0.7, 0.8),
    "hat": (0.78, 0.46), "necklace": (0.8, 0.6), "earrings": (0.7, 0.5),
}

KIDS_SCALE = 0.72  # children's clothes are photographed smaller, which makes the section visible


@dataclass(frozen=True)
class PhotoSpec:
    """What one photo shows; everything else (size, position, shade) varies per photo."""

    shape: str
    rgb: tuple[int, int, int]
    pattern: str  # one of: solid, stripe, dot, check, floral
    section: str  # women, men, kids, sport


def draw_photo(spec: PhotoSpec, rng: np.random.Generator) -> Image.Image:
    """One 128×192 product photo."""
    background = studio_background(rng)
    box = garment_box(spec, rng)
    base = shade(spec.rgb, rng.uniform(0.9, 1.1))
    mask = Image.new("L", (WIDTH, HEIGHT), 0)
    paint_silhouette(ImageDraw.Draw(mask), SHAPES[spec.shape], box)
    photo = Image.new("RGB", (WIDTH, HEIGHT), background)
    photo.paste(pattern_fill(base, spec.pattern, rng), (0, 0), mask)
    # An outline keeps white and light garments visible on the light background.
    photo.paste(detail_colour(base), (0, 0), mask.filter(ImageFilter.FIND_EDGES))
    draw_details(ImageDraw.Draw(photo), SHAPES[spec.shape], box, base)
    if spec.section == "sport":
        draw_sport_stripe(ImageDraw.Draw(photo), box, base)
    return photo


def studio_background(rng: np.random.Generator) -> tuple[int, int, int]:
    grey = int(rng.integers(228, 246))
    return (grey, grey, min(255, grey + int(rng.integers(0, 6))))


def garment_box(spec: PhotoSpec, rng: np.random.Generator) -> tuple[float, float, float, float]:
    """Where the silhouette sits: its size and position jitter so no two photos are alike."""
    width_share, height_share = SHAPE_SIZES[spec.shape]
    scale = rng.uniform(0.86, 1.04) * (KIDS_SCALE if spec.section == "kids" else 1.0)
    width, height = width_share * WIDTH * scale, height_share * HEIGHT * scale
    left = (WIDTH - width) / 2 + rng.uniform(-0.4, 0.4) * (WIDTH - width) / 2
    top = (HEIGHT - height) / 2 + rng.uniform(-0.5, 0.5) * (HEIGHT - height) / 2
    return left, top, width, height


def to_pixels(points, box) -> list[tuple[float, float]]:
    left, top, width, height = box
    return [(left + x * width, top + y * height) for x, y in points]


def to_pixel_box(unit_box, box) -> list[float]:
    (x0, y0), (x1, y1) = to_pixels([unit_box[:2], unit_box[2:]], box)
    return [x0, y0, x1, y1]


def paint_silhouette(mask: ImageDraw.ImageDraw, primitives: list, box) -> None:
    """The garment's area in the mask: fabric at 255, cut-outs back to 0, in drawing order."""
    for kind, *geometry in primitives:
        if kind in ("poly", "hole_poly"):
            mask.polygon(to_pixels(geometry[0], box), fill=0 if kind == "hole_poly" else 255)
        elif kind in ("ellipse", "hole_ellipse"):
            mask.ellipse(to_pixel_box(geometry[0], box), fill=0 if kind == "hole_ellipse" else 255)
        elif kind == "arc":
            unit_box, start, end, thickness = geometry
            width = max(2, round(thickness * box[2]))
            mask.arc(to_pixel_box(unit_box, box), start, end, fill=255, width=width)


def draw_details(draw: ImageDraw.ImageDraw, primitives: list, box, base) -> None:
    """Seams, buttons, soles and buckles, in a darker shade of the fabric (or light on black)."""
    line = detail_colour(base)
    for kind, *geometry in primitives:
        if kind == "seam":
            draw.line(to_pixels(geometry[0], box), fill=line, width=1)
        elif kind == "buttons":
            for x, y in to_pixels(geometry[0], box):
                draw.ellipse([x - 1.5, y - 1.5, x + 1.5, y + 1.5], fill=line)
        elif kind == "sole":
            draw.rectangle(to_pixel_box(geometry[0], box), fill=(248, 248, 244), outline=line)
        elif kind == "buckle":
            draw.rectangle(to_pixel_box(geometry[0], box), outline=(150, 150, 155), width=3)


def draw_sport_stripe(draw: ImageDraw.ImageDraw, box, base) -> None:
    """Sportswear carries a contrast chevron, so the section shows in the photo."""
    left, top, width, height = box
    contrast = (250, 250, 250) if sum(base) < 450 else (30, 30, 30)
    x, y = left + width * 0.62, top + height * 0.3
    size = max(4.0, width * 0.12)
    draw.line([(x - size, y - size / 2), (x, y + size / 2), (x + size, y - size)], fill=contrast,
              width=3)


def detail_colour(base) -> tuple[int, int, int]:
    return shade(base, 0.55) if sum(base) > 150 else (110, 110, 110)


def shade(rgb, factor: float) -> tuple[int, int, int]:
    return tuple(int(min(255, max(0, round(c * factor)))) for c in rgb)


def mix(rgb, other, weight: float) -> tuple[int, int, int]:
    return tuple(int(round(a * (1 - weight) + b * weight)) for a, b in zip(rgb, other))


def motif_colour(base) -> tuple[int, int, int]:
    """The second colour of a print: light on dark fabric, dark on light fabric."""
    return mix(base, (255, 255, 255), 0.75) if sum(base) < 420 else mix(base, (20, 20, 40), 0.7)


def pattern_fill(base, pattern: str, rng: np.random.Generator) -> Image.Image:
    """A full-frame fabric swatch; the silhouette mask later cuts the garment out of it."""
    fabric = Image.new("RGB", (WIDTH, HEIGHT), base)
    draw = ImageDraw.Draw(fabric)
    motif = motif_colour(base)
    spacing = int(rng.integers(9, 15))
    phase = int(rng.integers(0, spacing))
    if pattern == "stripe":
        draw_stripes(draw, motif, spacing, phase)
    elif pattern == "dot":
        draw_dots(draw, motif, spacing, phase)
    elif pattern == "check":
        draw_checks(draw, base, motif, spacing, phase)
    elif pattern == "floral":
        draw_flowers(draw, motif, rng)
    return fabric


def draw_stripes(draw, motif, spacing: int, phase: int) -> None:
    for y in range(phase - spacing, HEIGHT, spacing):
        draw.rectangle([0, y, WIDTH, y + spacing // 3], fill=motif)


def draw_dots(draw, motif, spacing: int, phase: int) -> None:
    radius = max(1.5, spacing / 5)
    for row, y in enumerate(range(phase - spacing, HEIGHT + spacing, spacing)):
        offset = spacing / 2 if row % 2 else 0
        for x in np.arange(offset - spacing, WIDTH + spacing, spacing):
            draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=motif)


def draw_checks(draw, base, motif, spacing: int, phase: int) -> None:
    """Gingham: half-tone bands both ways, full motif colour where they cross."""
    band = spacing // 2
    half_tone = mix(base, motif, 0.5)
    starts = range(phase - spacing, max(WIDTH, HEIGHT), spacing)
    for s in starts:
        draw.rectangle([s, 0, s + band - 1, HEIGHT], fill=half_tone)
        draw.rectangle([0, s, WIDTH, s + band - 1], fill=half_tone)
    for x in starts:
        for y in starts:
            draw.rectangle([x, y, x + band - 1, y + band - 1], fill=motif)


def draw_flowers(draw, motif, rng: np.random.Generator) -> None:
    """Small five-petal flowers scattered over the fabric (H&M's "All over pattern")."""
    n_flowers = 45
    centres = rng.uniform((0, 0), (WIDTH, HEIGHT), size=(n_flowers, 2))
    petal = 2.6
    angles = np.linspace(0, 2 * np.pi, 5, endpoint=False)
    offsets = np.stack([np.cos(angles), np.sin(angles)], axis=1) * petal * 1.3
    for cx, cy in centres:
        for dx, dy in offsets:
            x, y = cx + dx, cy + dy
            draw.ellipse([x - petal, y - petal, x + petal, y + petal], fill=motif)
        draw.ellipse([cx - 1.5, cy - 1.5, cx + 1.5, cy + 1.5], fill=(235, 200, 60))
