"""Pipe text to blocks with the report grammar (Lark LALR, and the fast walk derived from it),
tables cut and numbers written together split.

Modules: fastparse, grammar, tabulate, together. See docs/pipeline.md for what this
package may import (tests/test_import_rules.py checks).
"""
