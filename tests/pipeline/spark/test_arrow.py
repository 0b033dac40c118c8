"""polars frames to the exact Arrow batches Spark expects (no Spark session needed)."""

from __future__ import annotations

import polars as pl
import pyarrow as pa
import pytest

pytest.importorskip("pyspark", reason="the spark extra is not installed")

from pyspark.sql import types as T

from pipeline.spark.arrow import arrow_schema, from_batch, spark_schema, to_batches


def test_types_spark_lacks_become_the_nearest_it_has() -> None:
    frame = pl.DataFrame(
        {
            "row": pl.Series([0, 1], dtype=pl.UInt32),
            "label": pl.Series(["toxic", "review"], dtype=pl.Categorical),
            "words": [["a", "b"], []],
            "none": [None, None],
        }
    )
    schema = spark_schema(frame.schema)
    assert [f.dataType for f in schema.fields] == [
        T.LongType(), T.StringType(), T.ArrayType(T.StringType()), T.StringType()
    ]  # fmt: skip
    target = arrow_schema(schema, large_types=False)
    (batch,) = to_batches(frame, target)
    assert batch.schema == target and batch.schema.field("label").type == pa.string()
    back = from_batch(batch)
    assert back.get_column("row").to_list() == [0, 1]
    assert back.get_column("words").to_list() == [["a", "b"], []]


def test_a_type_with_no_spark_equivalent_is_refused() -> None:
    with pytest.raises(TypeError, match="no Spark type"):
        spark_schema({"t": pl.Time()})
