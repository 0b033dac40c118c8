"""The distributions the world's population specs are written in, one small frozen type each.

A spec reads ``da=Beta(68, 95, a=3, b=1.4)`` instead of ``da=(68, 95, 3, 1.4)``: the type says
which shape is meant and the field names say what each number is. These types only describe a
distribution; :mod:`pipeline.world.sampling` draws from them. Each checks its parameters when it
is made, so a typo in a spec fails at import, not as a strange world.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeAlias, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Beta:
    """Whole numbers from ``lo`` to ``hi`` shaped by a Beta(a, b): authority-like scores.

    ``a`` pulls draws towards ``hi`` and ``b`` towards ``lo``; ``a == b == 2`` is a hump in the
    middle of the range, ``a = 3, b = 1.4`` crowds the top (the big news sites).
    """

    lo: float  # lowest value
    hi: float  # highest value
    a: float = field(kw_only=True)  # Beta shape alpha: larger leans towards hi
    b: float = field(kw_only=True)  # Beta shape beta: larger leans towards lo

    def __post_init__(self) -> None:
        """Reject an empty range or a shape Beta is not defined for."""
        if not self.lo <= self.hi:
            raise ValueError(f"Beta needs lo <= hi, got {self.lo} > {self.hi}")
        if self.a <= 0 or self.b <= 0:
            raise ValueError(f"Beta needs a > 0 and b > 0, got a={self.a}, b={self.b}")


@dataclass(frozen=True)
class LogNormal:
    """Heavy-tailed whole numbers (traffic, link counts, lifetimes), clipped to ``[lo, hi]``.

    A draw is ``median * exp(sigma * z)`` for a standard normal ``z``, rounded: half the draws lie
    below ``median``, and about two thirds within a factor ``exp(sigma)`` of it.
    """

    median: float  # the middle draw, in the quantity's own unit (visits, links, days)
    sigma: float = field(kw_only=True)  # spread in log space: 1.0 spans about x/2.7..x*2.7
    lo: float = field(default=0.0, kw_only=True)  # draws below are raised to this
    hi: float = field(default=math.inf, kw_only=True)  # draws above are lowered to this

    def __post_init__(self) -> None:
        """Reject a negative spread or an empty range."""
        if self.sigma < 0:
            raise ValueError(f"LogNormal needs sigma >= 0, got {self.sigma}")
        if not self.lo <= self.hi:
            raise ValueError(f"LogNormal needs lo <= hi, got {self.lo} > {self.hi}")


@dataclass(frozen=True)
class Uniform:
    """Real numbers anywhere from ``lo`` to ``hi``, all equally likely (e.g. a ratio)."""

    lo: float
    hi: float

    def __post_init__(self) -> None:
        """Reject an empty range."""
        if not self.lo <= self.hi:
            raise ValueError(f"Uniform needs lo <= hi, got {self.lo} > {self.hi}")


@dataclass(frozen=True)
class UniformInt:
    """Whole numbers from ``lo`` to ``hi``, both included, all equally likely (group sizes)."""

    lo: int
    hi: int

    def __post_init__(self) -> None:
        """Reject an empty range."""
        if not self.lo <= self.hi:
            raise ValueError(f"UniformInt needs lo <= hi, got {self.lo} > {self.hi}")


@dataclass(frozen=True)
class Geometric:
    """Counts 1, 2, 3... averaging ``mean``: most are 1 or 2, a few long runs, at most ``cap``.

    Links per referring domain for populations where a domain links once or a few times.
    """

    mean: float  # average count before capping; 1.0 means always 1
    cap: int = field(default=10_000, kw_only=True)  # largest count

    def __post_init__(self) -> None:
        """Reject a mean below one (a geometric count is at least one)."""
        if self.mean < 1:
            raise ValueError(f"Geometric needs mean >= 1, got {self.mean}")
        if self.cap < 1:
            raise ValueError(f"Geometric needs cap >= 1, got {self.cap}")


@dataclass(frozen=True, kw_only=True)
class Mixture:
    """Each draw comes from ``then`` with probability ``share``, otherwise from ``otherwise``.

    E.g. blogs: most link once or twice, a few from every page of a blogroll.
    """

    share: float  # probability of drawing from ``then``
    then: DomainSizes
    otherwise: DomainSizes

    def __post_init__(self) -> None:
        """Reject a share that is not a probability."""
        if not 0 <= self.share <= 1:
            raise ValueError(f"Mixture needs 0 <= share <= 1, got {self.share}")


DomainSizes: TypeAlias = Geometric | LogNormal | Mixture
"""A distribution of links per referring domain (see :func:`sampling.domain_sizes`)."""


@dataclass(frozen=True, init=False)
class Categorical(Generic[T]):
    """One of several options, drawn with relative weights (they need not sum to 1).

    Made from a mapping, ``Categorical({"com": 0.6, "net": 0.14, ...})``, so every option sits
    next to its weight; the mapping's order is the options' order, which indices refer to.
    """

    options: tuple[T, ...]
    weights: tuple[float, ...]

    def __init__(self, weights: Mapping[T, float]) -> None:
        """Keep the options and their weights in the mapping's order."""
        options = tuple(weights)
        values = tuple(weights.values())
        if not options:
            raise ValueError("Categorical needs at least one option")
        if any(w < 0 for w in values) or sum(values) <= 0:
            raise ValueError(f"Categorical needs weights >= 0 with a positive sum, got {values}")
        object.__setattr__(self, "options", options)
        object.__setattr__(self, "weights", values)

    @classmethod
    def uniform(cls, options: Iterable[T]) -> Categorical[T]:
        """Every option with the same weight (distinct options only: a repeat would vanish)."""
        listed = list(options)
        if len(set(listed)) != len(listed):
            raise ValueError("Categorical.uniform needs distinct options")
        return cls(dict.fromkeys(listed, 1.0))

    def __len__(self) -> int:
        """Number of options."""
        return len(self.options)
