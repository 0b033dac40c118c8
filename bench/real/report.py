"""Markdown and console rendering of the real-data results (aggregates only, never rows)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

Column = tuple[str, str, Callable[[Any], str]]


def pct(value: Any) -> str:
    """A share as a percentage with one decimal; a dash when unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{100 * value:.1f}%"


def num(value: Any) -> str:
    """A count with thousands separators, or a float with one decimal."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.1f}"


def auc(value: Any) -> str:
    """An ROC-AUC with three decimals; 'n/a' when it could not be computed."""
    return "n/a" if value is None else f"{value:.3f}"


def text(value: Any) -> str:
    return "" if value is None else str(value)


def markdown_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> str:
    """A GitHub markdown table; numeric-looking columns are right-aligned."""
    head = "| " + " | ".join(title for _, title, _ in columns) + " |"
    align = "|" + "|".join("---" if fmt is text else "---:" for _, _, fmt in columns) + "|"
    body = [
        "| " + " | ".join(fmt(row.get(key)).replace("|", "\\|") for key, _, fmt in columns) + " |"
        for row in rows
    ]
    return "\n".join([head, align, *body])


def console_table(title: str, rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> Table:
    """The same table for the terminal."""
    table = Table(title=title, title_justify="left")
    for _, name, fmt in columns:
        table.add_column(name, justify="left" if fmt is text else "right")
    for row in rows:
        table.add_row(*(fmt(row.get(key)) for key, _, fmt in columns))
    return table


class Report:
    """Sections collected once, written as markdown and shown on the console."""

    def __init__(self, title: str) -> None:
        self.parts: list[str] = [f"# {title}", ""]
        self.console = Console(width=140)

    def line(self, value: str = "") -> None:
        self.parts.append(value)
        self.console.print(value, markup=False, highlight=False)

    def section(self, title: str) -> None:
        self.parts += ["", f"## {title}", ""]
        self.console.rule(title)

    def table(
        self, rows: Sequence[dict[str, Any]], columns: Sequence[Column], title: str = ""
    ) -> None:
        self.parts += [markdown_table(rows, columns), ""]
        self.console.print(console_table(title, rows, columns))

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(self.parts).rstrip() + "\n", encoding="utf-8")


def write_json(data: dict[str, Any], path: Path) -> None:
    """The machine-readable aggregates (NaN written as null)."""

    def clean(value: Any) -> Any:
        if isinstance(value, float) and math.isnan(value):
            return None
        if isinstance(value, dict):
            return {key: clean(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [clean(item) for item in value]
        return value

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(clean(data), indent=2, sort_keys=False) + "\n", encoding="utf-8")
