"""The report's template as data: codes, labels, layouts, the TOML readers and regional variants.

Modules: codes, labels, layout, tomlcompat, variants. See docs/pipeline.md for what this
package may import (tests/test_import_rules.py checks).
"""
