"""Boutique Book: an offline, encrypted relationship book for boutiques."""

__version__ = "0.1.0"
APP_NAME = "Boutique Book"
