"""The `recommender` command: one sub-command per job, each a thin shell over a library call."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from recommender.paths import catalog_dir


def _image_size(text: str) -> tuple[int, int]:
    try:
        height, width = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected HEIGHTxWIDTH such as 96x64, got {text!r}")
    return height, width


def cmd_demo_data(args: argparse.Namespace) -> int:
    from recommender.catalog.demo_data import write_demo_catalog

    summary = write_demo_catalog(
        args.dir, seed=args.seed, n_articles=args.articles, n_customers=args.customers
    )
    print(f"Demo catalog written to {args.dir}: {summary}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from recommender.catalog.ingest import ingest

    report = ingest(args.dir, args.out, image_size=args.image_size, workers=args.workers)
    print(report.summary())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="recommender", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo-data", help="write the built-in demo catalog in H&M's layout")
    demo.add_argument("dir", type=Path)
    demo.add_argument("--seed", type=int, default=0)
    demo.add_argument("--articles", type=int, default=2400)
    demo.add_argument("--customers", type=int, default=600)
    demo.set_defaults(func=cmd_demo_data)

    ing = sub.add_parser("ingest", help="read a catalog in H&M's layout into the store under var/")
    ing.add_argument("dir", type=Path)
    ing.add_argument("--out", type=Path, default=None, help=f"default {catalog_dir()}")
    ing.add_argument("--image-size", type=_image_size, default=(96, 64), metavar="HxW")
    ing.add_argument("--workers", type=int, default=None)
    ing.set_defaults(func=cmd_ingest)

    return parser


def main(argv: list[str] | None = None) -> int:
    from recommender.catalog.schema import CatalogInputError
    from recommender.catalog.store import CatalogNotFound

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (CatalogInputError, CatalogNotFound) as error:
        print(f"recommender {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
