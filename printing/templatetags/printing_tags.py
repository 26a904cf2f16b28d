"""The print templates' name for the one display library (``{% load display %}``):
points without trailing zeros, dates as on paper. The same filters, not a copy."""

from kit.templatetags.display import register

__all__ = ["register"]
