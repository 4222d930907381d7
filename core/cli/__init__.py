"""The command line: the entry point, its commands and the batch options.

Modules: batch, main. See docs/pipeline.md for what this
package may import (tests/test_import_rules.py checks).
"""
