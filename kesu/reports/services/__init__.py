"""Writes of the reports app, one module per use case."""
