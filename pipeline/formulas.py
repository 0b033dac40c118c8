"""The spreadsheet formula guard: one rule for every CSV linktox writes and reads back.

Backlink exports carry text written by strangers (anchors, titles, URLs). A cell such as
``=HYPERLINK("http://evil", "click")`` becomes a live formula when an SEO opens the CSV in Excel
or LibreOffice, so every CSV text cell starting with a character a spreadsheet would evaluate is
prefixed with ``'`` (OWASP "CSV injection": ``=``, ``+``, ``-``, ``@``, tab, carriage return).
Reading a linktox CSV back (importers, label store, review queue) removes exactly that prefix.
"""

from __future__ import annotations

import polars as pl

# The characters a spreadsheet runs as the start of a formula (OWASP).
FORMULA_CHARS = "=+-@\t\r"
FORMULA_GUARD = "'"
_CLASS = "[=+\\-@\\t\\r]"
FORMULA_START = f"^{_CLASS}"
_GUARDED = f"^{FORMULA_GUARD}({_CLASS})"


def guard(text: pl.Expr) -> pl.Expr:
    """``text`` with ``'`` before every cell a spreadsheet would run as a formula."""
    return (
        pl.when(text.str.contains(FORMULA_START)).then(pl.lit(FORMULA_GUARD) + text).otherwise(text)
    )


def unguard(text: pl.Expr) -> pl.Expr:
    """Undo :func:`guard`: ``'=x`` -> ``=x``; any other text is unchanged."""
    return text.str.replace(_GUARDED, "$1")


def _text_columns(schema: pl.Schema) -> list[str]:
    """Columns a spreadsheet would read as text: strings, categoricals and enums."""
    return [
        name
        for name, dtype in schema.items()
        if dtype == pl.String or isinstance(dtype, pl.Categorical | pl.Enum)
    ]


def guard_frame(df: pl.DataFrame) -> pl.DataFrame:
    """Guard every text cell (categoricals become strings); other columns are data, untouched.

    Note that a text cell such as ``"-5"`` is guarded too: OWASP's rule is by first character,
    and the spreadsheet still shows ``-5``.
    """
    names = _text_columns(df.schema)
    return (
        df.with_columns(guard(pl.col(n).cast(pl.String)).alias(n) for n in names) if names else df
    )


def unguard_frame(df: pl.DataFrame) -> pl.DataFrame:
    """Undo :func:`guard_frame` on every string column."""
    return df.with_columns(
        unguard(pl.col(name)) for name, dtype in df.schema.items() if dtype == pl.String
    )
