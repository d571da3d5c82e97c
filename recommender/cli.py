"""The `recommender` command: one sub-command per job, each a thin shell over a library call."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from recommender.paths import catalog_dir, models_dir, reports_dir


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


def cmd_train(args: argparse.Namespace) -> int:
    from recommender.catalog.store import Catalog
    from recommender.training import train, trained_models_current

    catalog = Catalog.load(args.catalog)
    if args.if_outdated and trained_models_current(catalog, args.models):
        print(f"The models under {args.models or models_dir()} are current: not retrained")
        return 0
    report = train(catalog, args.models)
    print(f"Trained in {report['seconds']} s; models saved under {args.models or models_dir()}")
    return 0


def cmd_predict(args: argparse.Namespace) -> int:
    import pandas as pd

    from recommender.catalog.store import Catalog
    from recommender.training import predict

    customers = pd.read_csv(args.customers, dtype=str)
    if "customer_id" not in customers:
        print(f"recommender predict: {args.customers} has no customer_id column "
              f"(columns: {', '.join(customers.columns)})", file=sys.stderr)
        return 2
    rows = predict(Catalog.load(args.catalog), customers["customer_id"].fillna(""), args.k, args.models)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    rows.to_csv(args.out, index=False)
    print(f"Wrote {len(rows)} predictions of {args.k} articles to {args.out}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from recommender.catalog.store import Catalog
    from recommender.evaluation.report import markdown, write_report
    from recommender.evaluation.runner import evaluate
    from recommender.training import evaluation_factories

    evaluation = evaluate(Catalog.load(args.catalog), evaluation_factories(), weeks=args.weeks)
    paths = write_report(evaluation, args.out)
    print(markdown(evaluation))
    print("Written: " + ", ".join(str(p) for p in paths.values()))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from recommender.service.app import serve

    serve(args.host, args.port, args.models, args.catalog)
    return 0


def cmd_deals(args: argparse.Namespace) -> int:
    from recommender.deals import main as write_deals

    print(write_deals(args.customers, args.out, args.models, args.catalog, args.k, args.image_base_url))
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

    trn = sub.add_parser("train", help="train every model on what was ingested, save under var/models")
    _catalog_and_models(trn)
    trn.add_argument("--if-outdated", action="store_true",
                     help="only if the catalog was ingested since, or this version's ranker features differ")
    trn.set_defaults(func=cmd_train)

    pre = sub.add_parser("predict", help="top-k articles per customer, in the competition's format")
    pre.add_argument("--customers", type=Path, required=True, help="CSV with a customer_id column")
    pre.add_argument("--k", type=int, default=12)
    pre.add_argument("--out", type=Path, required=True)
    _catalog_and_models(pre)
    pre.set_defaults(func=cmd_predict)

    eva = sub.add_parser("evaluate", help="hold out the last weeks; every model and baseline side by side")
    eva.add_argument("--weeks", type=int, default=4)
    eva.add_argument("--out", type=Path, default=None, help=f"default {reports_dir()}")
    eva.add_argument("--catalog", type=Path, default=None, help=f"default {catalog_dir()}")
    eva.set_defaults(func=cmd_evaluate)

    srv = sub.add_parser("serve", help="serve recommendations over HTTP")
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--port", type=int, default=None, help="default $RECOMMENDER_PORT or 8000")
    _catalog_and_models(srv)
    srv.set_defaults(func=cmd_serve)

    deals = sub.add_parser("deals", help="a personalised deals e-mail per customer, and a CSV for a mailing tool")
    deals.add_argument("--customers", type=Path, required=True, help="CSV with a customer_id column")
    deals.add_argument("--out", type=Path, required=True)
    deals.add_argument("--k", type=int, default=6)
    deals.add_argument("--image-base-url", default="http://127.0.0.1:8000")
    _catalog_and_models(deals)
    deals.set_defaults(func=cmd_deals)

    return parser


def _catalog_and_models(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog", type=Path, default=None, help=f"default {catalog_dir()}")
    parser.add_argument("--models", type=Path, default=None, help=f"default {models_dir()}")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    # Bad input (a catalog's missing column, k out of range) and missing prerequisites (nothing
    # ingested or trained yet) are raised as these, with a message written for the user.
    except (FileNotFoundError, ValueError) as error:
        print(f"recommender {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
