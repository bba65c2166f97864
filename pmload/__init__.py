"""pmload: audit a product manager's calendar load. Qt-free core."""

__version__ = "0.1.0"
