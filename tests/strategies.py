"""All hypothesis strategies of the test suite, in one module."""

from __future__ import annotations
