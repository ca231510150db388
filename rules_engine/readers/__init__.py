"""Readers: turn a file (text layouts, TSV, CSV, JSON, YAML, Excel, Word) into a `Document`."""
