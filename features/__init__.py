"""Pure polars transforms that turn a canonical link table into model features."""
