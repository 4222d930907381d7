"""Pipe text to blocks with the report grammar (Lark LALR, and the fast walk derived from it),
tables cut and numbers written together split.

Modules: document (the entry: walk, else Lark), blocks (the blocks and their one builder),
grammar (Lark), fastparse (the walk), tabulate, together. See docs/pipeline.md for what this
package may import (tests/test_import_rules.py checks).
"""
