"""Many inputs: the runner, resume manifest and progress.

Modules: progress, resume, runner. See docs/pipeline.md for what this
package may import (tests/test_import_rules.py checks).
"""
