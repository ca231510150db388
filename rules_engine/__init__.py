"""rules-engine: executable, explainable scoring rules for budget performance forms."""

__version__ = "0.1.0"
