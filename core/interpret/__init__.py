"""Blocks to the model: tables by their labels, cell values and placement, sections, metadata and
agency names.

Modules: agency, interpreter, metadata, placement, segment, values. See docs/pipeline.md for what
this package may import (tests/test_import_rules.py checks).
"""
