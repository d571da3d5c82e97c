"""What the benchmarks that train on an ingested catalog share: their command line (the catalog,
the seeds, where the reports go) and the three files each writes (JSON, Markdown, PNG), whose
plot is a row of panels with one legend below them."""
from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

REPORTS = Path("var/reports")


def parser(doc: str) -> argparse.ArgumentParser:
    """--catalog, --seeds and --out; the benchmark adds its own."""
    parsed = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parsed.add_argument("--catalog", type=Path, required=True, help="an ingested catalog folder")
    parsed.add_argument("--seeds", type=int, nargs="+", default=[0])
    parsed.add_argument("--out", type=Path, default=REPORTS)
    return parsed


def write_reports(out: Path, name: str, rows: list[dict], markdown: Callable[[list[dict]], str],
                  plot: Callable[[list[dict], Path], None]) -> None:
    """`name`.json (the rows), .md and .png under `out`; the table is printed too."""
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(rows, indent=2))
    table = markdown(rows)
    (out / f"{name}.md").write_text(table)
    plot(rows, out / f"{name}.png")
    print(table)


def save_panels(fig, axes, path: Path, legend_columns: int) -> None:
    """One legend below the panels, where it hides no point, then the figure written and closed."""
    import matplotlib.pyplot as plt

    fig.legend(*axes[0].get_legend_handles_labels(), loc="lower center", ncol=legend_columns, fontsize="small")
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    fig.savefig(path, dpi=120)
    plt.close(fig)
