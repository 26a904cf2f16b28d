"""Shared mechanics that belong to no domain: spreadsheet imports and display formatting.

``kit`` imports no app of the project; every app may import it.
"""
