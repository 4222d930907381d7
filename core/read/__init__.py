"""Input bytes to pipe text: decoding, input formats, the pipe-text builders readers share, and
gongkai's own JSON read back.

Modules: decode, deserialize, formats, grid, pipetext. See docs/pipeline.md for what this
package may import (tests/test_import_rules.py checks).
"""
