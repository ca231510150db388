"""Renderers: turn a scorecard into terminal text, JSON, Markdown or HTML."""

FORMATS = ("text", "json", "markdown", "html")
