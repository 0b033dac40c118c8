"""How a vendor module describes its export: the columns that identify it and its mapping.

Each vendor module builds one :class:`FormatSpec`. Its ``to_links`` receives :class:`Fields`
(the export's column names, looked up by alias) and returns, per canonical column, either a
:class:`Column` (one vendor column, parsed by the canonical dtype with unparsed cells reported)
or a ready polars expression (columns built from several vendor columns, such as link_type).
Such an expression must work row by row: it is evaluated once per distinct combination of the
vendor columns it reads, and joined back onto the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import polars as pl

from pipeline.importers import values
from pipeline.importers.read import normalize_name


@dataclass(frozen=True)
class Column:
    """A canonical column read from one vendor column.

    Attributes:
        name: The vendor's column name as it appears in the file (for reading and messages).
        empty: What an empty cell means for a boolean column (Majestic flags: False).
        transform: Applied to the trimmed text before parsing (e.g. a host into a URL), row by
            row (typed columns apply it to their distinct cells only).
    """

    name: str
    empty: bool | None = None
    transform: Callable[[pl.Expr], pl.Expr] | None = None

    def raw(self, guarded: bool = True) -> pl.Expr:
        """The trimmed text of the vendor column, transformed (``guarded``: see values.text)."""
        expr = values.text(pl.col(self.name), guarded)
        return expr if self.transform is None else self.transform(expr)


Mapped = Column | pl.Expr
LinkMapping = Mapping[str, Mapped | None]


class MissingColumn(LookupError):
    """A column the format needs is absent; ``read_export`` turns it into an InputError."""

    def __init__(self, canonical: str, aliases: tuple[str, ...]) -> None:
        super().__init__(canonical)
        self.canonical = canonical
        self.aliases = aliases


@dataclass(frozen=True)
class Fields:
    """The export's columns, looked up by any of a vendor's names for them.

    Lookups ignore case, surrounding and repeated spaces (``Referring Page URL`` finds
    ``Referring page URL``). ``decimal_comma`` is the locale hint for numbers.
    """

    names: tuple[str, ...]
    decimal_comma: bool = False
    _index: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, str] = {}
        for name in self.names:
            index.setdefault(normalize_name(name), name)  # the first of repeated names wins
        object.__setattr__(self, "_index", index)

    def find(self, *aliases: str) -> str | None:
        """The file's name for the first alias present, or None."""
        for alias in aliases:
            name = self._index.get(normalize_name(alias))
            if name is not None:
                return name
        return None

    def column(
        self,
        *aliases: str,
        empty: bool | None = None,
        transform: Callable[[pl.Expr], pl.Expr] | None = None,
    ) -> Column | None:
        """A :class:`Column` for the first alias present, or None when the export lacks it."""
        name = self.find(*aliases)
        return None if name is None else Column(name, empty=empty, transform=transform)

    def require(
        self,
        canonical: str,
        *aliases: str,
        transform: Callable[[pl.Expr], pl.Expr] | None = None,
    ) -> Column:
        """Like :meth:`column`, but a missing column is a :class:`MissingColumn` error."""
        found = self.column(*aliases, transform=transform)
        if found is None:
            raise MissingColumn(canonical, aliases)
        return found

    def text(self, *aliases: str) -> pl.Expr | None:
        """Trimmed text of the first alias present, or None."""
        name = self.find(*aliases)
        return None if name is None else values.text(pl.col(name))

    def flag(self, *aliases: str, empty: bool | None = None) -> pl.Expr | None:
        """A boolean column parsed from the first alias present, or None."""
        name = self.find(*aliases)
        return None if name is None else values.to_bool(values.text(pl.col(name)), empty)

    def flags(self, spec: Mapping[str, tuple[str, ...]], empty: bool | None = None) -> dict:
        """Boolean columns by key for each key whose aliases are present (for link types)."""
        found = {key: self.flag(*aliases, empty=empty) for key, aliases in spec.items()}
        return {key: expr for key, expr in found.items() if expr is not None}


@dataclass(frozen=True)
class FormatSpec:
    """One export format.

    Attributes:
        name: The format's name (``--format``).
        title: What users call it, for messages ("Ahrefs Backlinks").
        signature: Column names (as the vendor writes them) that identify the format; the
            detector scores a file by how many it has.
        to_links: Builds the canonical mapping from the export's columns and the target URL
            given with ``--site`` (None when not given).
        needs_site: The export carries no target URL, so ``--site`` is required.
        fits_shape: For exports whose headers are localized beyond our alias lists: whether a
            table of unknown column names has this format's shape.
        level: ``"link"`` (one row per backlink) or ``"domain"`` (one row per referring
            domain: Semrush/Ahrefs/Majestic referring domains, Search Console "Top linking
            sites"), which is scored as a link from the domain's home page, without link-level
            signals.
    """

    name: str
    title: str
    signature: tuple[str, ...]
    to_links: Callable[[Fields, str | None], LinkMapping]
    needs_site: bool = False
    fits_shape: Callable[[pl.DataFrame], bool] | None = None
    level: str = "link"

    @property
    def normalized_signature(self) -> frozenset[str]:
        """The signature as compared with a file's header."""
        return frozenset(normalize_name(name) for name in self.signature)
