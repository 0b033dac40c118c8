"""The edge of linktox: DVC stage entry points, the CLI, importers and outputs."""
