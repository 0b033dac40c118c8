"""join_lookups: the same frame as successive left joins, without joining the wide frame."""

from __future__ import annotations

import polars as pl

from features.lookups import Lookup, join_lookups

LINKS = pl.DataFrame(
    {
        "p": ["a", "b", None, "a", "c", "b"],
        "k": [1, 2, 3, None, 1, 2],
        "wide": ["u", "v", "w", "x", "y", "z"],
    }
)
BY_P = pl.DataFrame({"p": ["b", "a", None], "x": [20, 10, 99]})
BY_PK = pl.DataFrame({"p": ["a", "b", "a"], "k": [None, 2, 1], "y": [0.5, 0.25, 0.125]})


def joined(lookups: list[Lookup]) -> pl.DataFrame:
    return join_lookups(LINKS.lazy(), lookups).collect()


def sequential(lookups: list[Lookup]) -> pl.DataFrame:
    lf = LINKS.lazy()
    for lookup in lookups:
        lf = lf.join(
            lookup.table,
            on=list(lookup.on),
            how="left",
            nulls_equal=lookup.nulls_equal,
            maintain_order="left",
        )
    return lf.collect()


def test_equals_successive_left_joins() -> None:
    lookups = [Lookup(BY_P.lazy(), ("p",)), Lookup(BY_PK.lazy(), ("p", "k"))]
    out = joined(lookups)
    assert out.equals(sequential(lookups), null_equal=True)
    assert out.columns == ["p", "k", "wide", "x", "y"]
    assert out["wide"].to_list() == LINKS["wide"].to_list()  # same rows, same order


def test_null_keys_follow_nulls_equal() -> None:
    for nulls_equal in (True, False):
        lookups = [Lookup(BY_P.lazy(), ("p",), nulls_equal=nulls_equal)]
        out = joined(lookups)
        assert out.equals(sequential(lookups), null_equal=True)
        assert out["x"][2] == (99 if nulls_equal else None)


def test_taken_names_get_the_join_suffix() -> None:
    clash = pl.DataFrame({"p": ["a", "b"], "wide": ["A", "B"], "x": [1, 2]})
    lookups = [Lookup(BY_P.lazy(), ("p",)), Lookup(clash.lazy(), ("p",))]
    out = joined(lookups)
    assert out.columns == ["p", "k", "wide", "x", "wide_right", "x_right"]
    assert out.equals(sequential(lookups), null_equal=True)


def test_no_lookups_is_the_frame_itself() -> None:
    assert join_lookups(LINKS.lazy(), []).collect().equals(LINKS)
