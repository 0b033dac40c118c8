"""Cell parsers shared by every vendor: booleans, numbers, dates, URLs and link types.

Exports are read as text, so each canonical dtype gets one tolerant, vectorized parser here. A
parser returns null for a value it does not understand; the caller compares that with the raw
text to report what was dropped, rather than failing the whole import on one odd cell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl

from features.urls import url_hosts
from pipeline.formulas import FORMULA_CHARS, FORMULA_GUARD

# Cells that mean "no value" in a typed column (never applied to free text such as anchors).
NULL_TOKENS: tuple[str, ...] = ("", "-", "--", "—", "n/a", "na", "null", "none", "nan", "#n/a")

# Truth words as tools write them, and as Excel writes them after a re-save in another locale
# (WAHR/FALSCH, VRAI/FAUX, VERDADERO/FALSO, VERO/FALSO, WAAR/ONWAAR). Majestic marks flags with +.
TRUE_WORDS: tuple[str, ...] = (
    "true", "t", "1", "1.0", "yes", "y", "+", "x", "wahr", "vrai", "verdadero", "vero", "waar",
    "ja", "oui", "sí", "si",
)  # fmt: skip
FALSE_WORDS: tuple[str, ...] = (
    "false", "f", "0", "0.0", "no", "n", "falsch", "faux", "falso", "onwaar", "nein", "non",
)  # fmt: skip

# A plain number after thousands separators are removed: 12, -3.5, .5, 1e3.
_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"
# 1,240 or 12,345,678.5: US thousands separators.
_US_THOUSANDS = r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"
# 1.240,5: European thousands separators with a decimal comma.
_EU_THOUSANDS = r"^[+-]?\d{1,3}(?:\.\d{3})+,\d+$"
# 1.240: European thousands separators alone (read so only with the decimal-comma hint).
_EU_THOUSANDS_ONLY = r"^[+-]?\d{1,3}(?:\.\d{3})+$"
# 12,5: a decimal comma alone.
_DECIMAL_COMMA = r"^[+-]?\d+,\d+$"
# Spaces, no-break and thin spaces and apostrophes used as thousands separators.
_NUMBER_SPACES = r"[\s\u00a0\u202f']"

# The head of a URL for :func:`url_head`: text up to and including the third delimiter.
_URL_HEAD = r"^[^/?#\\]*(?:[/?#\\][^/?#\\]*){0,2}[/?#\\]?"
# Above this share of distinct values in a column, :func:`by_distinct` parses the rows directly:
# finding the distinct values and joining them back would cost more than it saves.
_DISTINCT_SHARE = 0.5

# A bare host name with at least one dot, as Search Console lists linking sites: labels of any
# characters a browser accepts in a host (hyphens and underscores anywhere); checked for real by
# :func:`features.urls.browser_hosts` when the host becomes a URL.
BARE_HOST = r"^[^\s/?#@:\\\[\]<>^|%.]+(?:\.[^\s/?#@:\\\[\]<>^|%.]+)+\.?$"


# Words in a vendor's link-type column, mapped onto schema.LINK_TYPES (checked in this order).
_LINK_TYPE_WORDS: tuple[tuple[str, str], ...] = (
    ("image", r"(?i)\b(?:image|img|picture)\b"),
    ("redirect", r"(?i)\b(?:redirect|30[1278]|meta[ -]?refresh)\b"),
    ("frame", r"(?i)\b(?:i?frame)\b"),
    ("form", r"(?i)\bform\b"),
    ("text", r"(?i)\b(?:text|href|link|anchor)\b"),
)


def text(expr: pl.Expr, guarded: bool = True) -> pl.Expr:
    """Trimmed text, null when empty: every cell goes through here before it is parsed.

    linktox's own CSV writer prefixes cells a spreadsheet would run as a formula with ``'``
    (``'=cmd``, ``'+``); reading such a file back removes that guard again. ``guarded=False``
    says no cell starts with the guard (:func:`has_guard`), which saves looking for it.
    """
    cells = expr.cast(pl.String)
    # Unguard before trimming: the guard may stand before a tab or CR that trimming would eat.
    return (_unguard(cells) if guarded else cells).str.strip_chars().replace("", None)


def has_guard(expr: pl.Expr) -> pl.Expr:
    """Whether any cell of a column starts with the formula guard (see :func:`text`)."""
    return expr.cast(pl.String).str.starts_with(FORMULA_GUARD).any()


def _unguard(text: pl.Expr) -> pl.Expr:
    """:func:`pipeline.formulas.unguard` without a regular expression: a literal prefix test
    and a one-character lookup cost a third of the regex pass over every cell."""
    guarded = text.str.starts_with(FORMULA_GUARD) & text.str.slice(len(FORMULA_GUARD), 1).is_in(
        list(FORMULA_CHARS)
    )
    return pl.when(guarded).then(text.str.slice(len(FORMULA_GUARD))).otherwise(text)


def by_distinct(
    frame: pl.DataFrame, keys: Sequence[str], evaluate: Callable[[pl.LazyFrame], pl.LazyFrame]
) -> pl.DataFrame:
    """The columns ``evaluate`` adds to ``frame[keys]``, computed once per distinct row of the
    keys and joined back onto every row, in order (the keys themselves left out).

    Exports repeat cells a lot (flags, dates, counts, target URLs), and the string parsers cost
    far more than a hash join. ``evaluate`` must work row by row, or on the set of values (as
    :func:`to_date` decides a column's convention), so the result does not depend on how often a
    value occurs; when most rows are distinct, it runs on the rows directly.
    """
    keyed = frame.select(keys)
    distinct = keyed.unique()
    if distinct.height > _DISTINCT_SHARE * keyed.height:
        return evaluate(keyed.lazy()).drop(keys).collect()
    results = evaluate(distinct.lazy()).collect()
    joined = keyed.join(results, on=list(keys), how="left", nulls_equal=True, maintain_order="left")
    return joined.drop(keys)


def is_blank(expr: pl.Expr) -> pl.Expr:
    """True where a cell carries no value for a typed column (empty, '-', 'n/a', ...)."""
    lowered = expr.cast(pl.String).str.strip_chars().str.to_lowercase()
    return lowered.is_null() | lowered.is_in(list(NULL_TOKENS))


def to_bool(expr: pl.Expr, empty: bool | None = None) -> pl.Expr:
    """Parse a yes/no cell; ``empty`` is what a blank cell means (Majestic: False).

    Anything else is null. One lookup per cell (no ``when/then`` chain), as flags are many.
    """
    words = {
        **dict.fromkeys(NULL_TOKENS, empty),
        **dict.fromkeys(TRUE_WORDS, True),
        **dict.fromkeys(FALSE_WORDS, False),
    }
    lowered = expr.cast(pl.String).str.strip_chars().str.to_lowercase().fill_null("")
    return lowered.replace_strict(words, default=None, return_dtype=pl.Boolean)


def to_float(expr: pl.Expr, decimal_comma: bool = False) -> pl.Expr:
    """Parse a number written with or without thousands separators.

    ``decimal_comma`` is the locale hint (a ``;``-delimited file comes from a European locale):
    it decides the ambiguous shapes ``1,240`` (1240 in the US, 1.24 in Europe) and ``1.240``
    (1.24 in the US, 1240 in Europe).
    """
    raw = expr.cast(pl.String).str.strip_chars().str.replace_all(_NUMBER_SPACES, "")
    comma_is_decimal = raw.str.contains(_DECIMAL_COMMA) & (
        pl.lit(decimal_comma) | ~raw.str.contains(_US_THOUSANDS)
    )
    eu_thousands = raw.str.contains(_EU_THOUSANDS) | (
        pl.lit(decimal_comma) & raw.str.contains(_EU_THOUSANDS_ONLY)
    )
    normalised = (
        pl.when(eu_thousands)
        .then(raw.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .when(comma_is_decimal)
        .then(raw.str.replace(",", ".", literal=True))
        .when(raw.str.contains(_US_THOUSANDS))
        .then(raw.str.replace_all(",", "", literal=True))
        .otherwise(raw)
    )
    return pl.when(normalised.str.contains(_NUMBER)).then(normalised.cast(pl.Float64, strict=False))


def to_int(expr: pl.Expr, decimal_comma: bool = False) -> pl.Expr:
    """Parse a whole number (``12``, ``1,240``, ``12.0`` from a spreadsheet); fractions are null."""
    number = to_float(expr, decimal_comma)
    return pl.when(number == number.floor()).then(number.cast(pl.Int64, strict=False))


def to_date(expr: pl.Expr, day_first: bool = False) -> pl.Expr:
    """Parse the dates exports use: ISO (with or without a time), ``Sep 15, 2026``, d.m.Y, m/d/Y.

    Slash dates are read day-first when any value in the column has a first part above 12,
    month-first when any has a second part above 12, and otherwise by the locale hint
    ``day_first``. A column is one tool's output, so it has one convention.
    """
    raw = expr.cast(pl.String).str.strip_chars()
    iso = raw.str.extract(r"^(\d{4}-\d{1,2}-\d{1,2})(?:$|[T ])", 1).str.to_date(
        "%Y-%m-%d", strict=False
    )
    slashed = raw.str.extract_groups(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:$|[T ,])")
    first = slashed.struct.field("1").cast(pl.Int32, strict=False)
    second = slashed.struct.field("2").cast(pl.Int32, strict=False)
    slash_text = raw.str.extract(r"^(\d{1,2}/\d{1,2}/\d{4})", 1)
    columns_day_first = (
        pl.when((first > 12).any())
        .then(pl.lit(True))
        .when((second > 12).any())
        .then(pl.lit(False))
        .otherwise(pl.lit(day_first))
    )
    slash = (
        pl.when(columns_day_first)
        .then(slash_text.str.to_date("%d/%m/%Y", strict=False))
        .otherwise(slash_text.str.to_date("%m/%d/%Y", strict=False))
    )
    dotted = raw.str.extract(r"^(\d{1,2}\.\d{1,2}\.\d{4})", 1).str.to_date("%d.%m.%Y", strict=False)
    # Month names: "Sep 15, 2026" (Search Console), "September 15, 2026", "15 Sep 2026".
    named = [raw.str.to_date(fmt, strict=False) for fmt in _NAMED_DATE_FORMATS]
    return pl.coalesce(iso, slash, dotted, *named)


_NAMED_DATE_FORMATS: tuple[str, ...] = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y")


def is_http_url(expr: pl.Expr) -> pl.Expr:
    """True for an http(s) URL whose host a browser opens (WHATWG host rules, as
    :func:`features.urls.url_hosts` reads it); false for empty, schemeless or other schemes."""
    return (
        expr.cast(pl.String)
        .map_batches(url_hosts, return_dtype=pl.String, is_elementwise=True)
        .is_not_null()
    )


def url_head(expr: pl.Expr) -> pl.Expr:
    """A URL's text up to and including its third ``/``, ``?``, ``#`` or ``\\`` (all of it when
    it has fewer): everything :func:`is_http_url` looks at, so that URLs can be checked once per
    head (a chunk has far fewer hosts than pages).

    :func:`features.urls.split_url` reads the scheme and the authority before the third such
    character once tabs and newlines are dropped, ``\\`` read as ``/`` and the ends trimmed;
    none of that moves a delimiter, and the head ends on one, so its scheme and host are the
    URL's (``tests/pipeline/importers/test_importers_values.py`` holds the two checks together).
    """
    return expr.cast(pl.String).str.extract(_URL_HEAD, 0)


def host_to_url(expr: pl.Expr) -> pl.Expr:
    """Turn a bare host (``blog.example.com``) into its home page URL; keep URLs as they are."""
    value = text(expr)
    return (
        pl.when(value.str.contains(r"(?i)^https?://"))
        .then(value)
        .when(value.is_not_null())
        .then(pl.format("https://{}/", value.str.strip_chars_end("/")))
    )


def link_type_from_words(expr: pl.Expr) -> pl.Expr:
    """Map a vendor's link-type words (``href``, ``redirect``, ``image``, ...) onto LINK_TYPES."""
    value = expr.cast(pl.String)
    result = pl.lit(None, dtype=pl.String)
    for name, pattern in reversed(_LINK_TYPE_WORDS):
        result = pl.when(value.str.contains(pattern)).then(pl.lit(name)).otherwise(result)
    return result


def link_type_from_flags(flags: dict[str, pl.Expr], default: str = "text") -> pl.Expr | None:
    """Pick the link type from per-type boolean columns (Semrush, Majestic).

    When several flags are set, image beats redirect beats frame beats form beats text. A link
    with every flag false is a plain text link (``default``); a row where every flag is unknown
    stays null. Returns None when the export has none of the flag columns.
    """
    if not flags:
        return None
    # Each flag as a rank (its priority when true, 0 when false) so that one horizontal max
    # decides, evaluating every flag once.
    ranks = [flag.cast(pl.Int8) * _FLAG_PRIORITY.index(name) for name, flag in flags.items()]
    names = {rank: name for rank, name in enumerate(_FLAG_PRIORITY) if rank}
    return pl.max_horizontal(ranks).replace_strict(
        {0: default, **names}, default=None, return_dtype=pl.String
    )


# Link types by priority when a row has several flags set; index 0 means "no flag set".
_FLAG_PRIORITY: tuple[str, ...] = ("", "text", "form", "frame", "redirect", "image")
