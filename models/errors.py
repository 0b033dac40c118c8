"""The base of every error a user can fix, shared by ``models`` and ``pipeline``.

It lives here because ``models`` imports nothing from ``pipeline``; the CLI catches it (and so
every subclass, such as :class:`models.registry.RegistryError` or ``pipeline``'s ``InputError``)
and prints its message on one line with a non-zero exit, never a traceback.
"""

from __future__ import annotations


class LinktoxError(Exception):
    """An error the user can fix; the CLI prints its message on one line and exits non-zero."""

    exit_code = 2
