"""One module per user command of the linktox CLI."""
