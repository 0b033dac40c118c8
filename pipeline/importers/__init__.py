"""Importers: read the backlink exports of SEO tools (and linktox's own table) into canonical links.

``read_export(path)`` detects the tool from the header (or takes ``fmt``), decodes and splits the
file however the tool wrote it, maps its columns onto ``features.schema`` and checks every row.
``open_export(path, ...)`` does the same chunk by chunk (``ExportStream.chunks()`` yields
``ImportChunk``s), in memory bounded by the chunk size rather than the file size.
One module per vendor (``semrush``, ``ahrefs``, ``moz``, ``majestic``, ``gsc``, ``canonical``),
with ``read`` (decoding, delimiter sniffing, header finding), ``values`` (cell parsers),
``detect`` and ``validate`` shared. Importers never write files.
"""

from __future__ import annotations

from pipeline.importers.core import (
    ExportStream,
    ImportChunk,
    ImportResult,
    OnError,
    open_export,
    read_export,
)
from pipeline.importers.detect import FORMATS, detect_format

__all__ = [
    "FORMATS",
    "ExportStream",
    "ImportChunk",
    "ImportResult",
    "OnError",
    "detect_format",
    "open_export",
    "read_export",
]
