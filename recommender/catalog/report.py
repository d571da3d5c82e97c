"""What an ingest found: the counts of what it built, the rows and photos it skipped, what it
repaired, and warnings. Saved next to the catalog as report.json and printed as a summary."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class IngestReport:
    source: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    skips: dict[str, int] = field(default_factory=dict)
    repairs: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    date_range: tuple[str, str] | None = None
    seconds: float = 0.0

    def skip(self, reason: str, n: int) -> None:
        # Zero counts are kept too: the summary shows every check that ran, not only the failures.
        self.skips[reason] = self.skips.get(reason, 0) + int(n)

    def repair(self, what: str, n: int) -> None:
        self.repairs[what] = self.repairs.get(what, 0) + int(n)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def summary(self) -> str:
        dates = " to ".join(self.date_range) if self.date_range else "no purchases"
        lines = [f"Ingested {self.source} in {self.seconds:.1f} s", f"  date range: {dates}"]
        for title, section in (("", self.counts), ("skipped", self.skips), ("repaired", self.repairs)):
            if title:
                lines.append(f"{title}:")
            lines += [f"  {key}: {value:,}" for key, value in section.items()]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return asdict(self)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n")
