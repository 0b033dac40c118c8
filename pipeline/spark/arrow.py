"""polars frames to and from the Arrow batches Spark hands to Python (``mapInArrow``).

Spark's types are a subset of polars': no unsigned integers, no categoricals. Each pass states
its output as a Spark schema derived from the polars schema of the code it runs
(:func:`spark_schema`), and each batch is cast to exactly that schema's Arrow form
(:func:`to_batches`), so a mismatch fails loudly rather than being guessed at by Spark.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, cast

import polars as pl
import pyarrow as pa

if TYPE_CHECKING:
    from pyspark.sql.types import DataType, StructType


def _spark_type(dtype: pl.DataType) -> DataType:
    from pyspark.sql import types as T

    simple: dict[type[pl.DataType], DataType] = {
        pl.String: T.StringType(),
        pl.Categorical: T.StringType(),
        pl.Enum: T.StringType(),
        pl.Null: T.StringType(),
        pl.Boolean: T.BooleanType(),
        pl.Int8: T.ByteType(),
        pl.Int16: T.ShortType(),
        pl.Int32: T.IntegerType(),
        pl.Int64: T.LongType(),
        pl.UInt8: T.ShortType(),
        pl.UInt16: T.IntegerType(),
        pl.UInt32: T.LongType(),
        pl.UInt64: T.LongType(),
        pl.Float32: T.FloatType(),
        pl.Float64: T.DoubleType(),
        pl.Date: T.DateType(),
        pl.Binary: T.BinaryType(),
    }
    for kind, spark in simple.items():
        if isinstance(dtype, kind):
            return spark
    if isinstance(dtype, pl.Datetime):
        return T.TimestampType() if dtype.time_zone else T.TimestampNTZType()
    if isinstance(dtype, pl.List | pl.Array):
        return T.ArrayType(_spark_type(cast(pl.DataType, dtype.inner)))
    if isinstance(dtype, pl.Struct):
        fields = [
            T.StructField(f.name, _spark_type(cast(pl.DataType, f.dtype))) for f in dtype.fields
        ]
        return T.StructType(fields)
    raise TypeError(f"no Spark type for polars {dtype}")


def spark_schema(schema: pl.Schema | dict[str, pl.DataType]) -> StructType:
    """The Spark schema a polars frame of ``schema`` is written as."""
    from pyspark.sql import types as T

    return T.StructType([T.StructField(name, _spark_type(dt)) for name, dt in schema.items()])


def polars_schema(schema: StructType) -> pl.Schema:
    """The polars schema of a Spark schema's Arrow batches (what ``pl.from_arrow`` gives)."""
    from pyspark.sql.pandas.types import to_arrow_schema

    frame = pl.from_arrow(to_arrow_schema(schema).empty_table())
    assert isinstance(frame, pl.DataFrame)
    return frame.schema


def arrow_schema(schema: StructType, large_types: bool) -> pa.Schema:
    """The exact Arrow schema Spark expects back for ``schema``."""
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(schema, prefers_large_types=large_types)


def to_batches(frame: pl.DataFrame, target: pa.Schema) -> Iterator[pa.RecordBatch]:
    """``frame``'s columns named in ``target``, cast to it, as record batches."""
    casts = []
    for name in target.names:
        dtype = frame.schema[name]
        if isinstance(dtype, pl.Categorical | pl.Enum | pl.Null):
            casts.append(pl.col(name).cast(pl.String))
        elif dtype.is_unsigned_integer():
            casts.append(pl.col(name).cast(pl.Int64))
        else:
            casts.append(pl.col(name))
    table = frame.select(casts).to_arrow().cast(target)
    yield from table.to_batches()


def from_batch(batch: pa.RecordBatch) -> pl.DataFrame:
    """A Spark batch as a polars frame."""
    frame = pl.from_arrow(batch)
    assert isinstance(frame, pl.DataFrame)
    return frame
