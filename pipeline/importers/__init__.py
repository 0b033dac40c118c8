"""Importers: read the backlink exports of SEO tools (and linktox's own table) into canonical links.

``read_export(path)`` detects the tool from the header (or takes ``fmt``), decodes and splits the
file however the tool wrote it, maps its columns onto ``features.schema`` and checks every row.
One module per vendor (``semrush``, ``ahrefs``, ``moz``, ``majestic``, ``gsc``, ``canonical``),
with ``read`` (decoding, delimiter sniffing, header finding), ``values`` (cell parsers),
``detect`` and ``validate`` shared. Importers never write files.
"""

from __future__ import annotations

from pipeline.importers.core import ImportResult, OnError, read_export
from pipeline.importers.detect import FORMATS, detect_format

__all__ = ["FORMATS", "ImportResult", "OnError", "detect_format", "read_export"]
