"""Markdown and console rendering of the real-data results (aggregates only, never rows)."""

from __future__ import annotations

import json
import math
import re
import unicodedata
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


# A column's quoted name (kept), or a quoted value (as linktox quotes cells, with repr's quotes).
_QUOTED = re.compile(r"(column (['\"]).*?\2)|(?:(?<=[\s(,])|^)(['\"])(.*?)\3(?=[\s),;]|$)")


def _quirk(value: str) -> str:
    """What is odd about a refused URL, in words, without the URL itself."""
    host = re.sub(r"^[A-Za-z][A-Za-z0-9+.\-]*://", "", value).split("/")[0]
    labels = host.split(".")
    if any(label.startswith("-") or label.endswith("-") for label in labels):
        return "a host label starts or ends with '-'"
    if any(unicodedata.category(char).startswith("M") for char in host):
        return "an IDN host with combining marks (e.g. Thai vowel signs)"
    if any(ord(char) > 127 for char in host):
        return "a non-ASCII host"
    return "value withheld"


def withhold_values(message: str, path: str | None = None) -> str:
    """An importer message fit for a committed file: no cell value of the data, no local path.

    linktox quotes the offending cell (``source_url 'http://...' (column 'Source url')``); that is
    a row of the real data, so the value is replaced by a description of what is odd about it.
    """
    if path:
        message = message.replace(path, Path(path).name)
    return _QUOTED.sub(lambda match: match.group(1) or f"<{_quirk(match.group(4))}>", message)


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
