"""Renderers: turn result objects into terminal, Excel, CSV and JSON output. Formatting only."""
