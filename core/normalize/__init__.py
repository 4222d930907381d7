"""Pipe text made canonical before parsing: the normalizers' run and page chrome.

Modules: chrome, normalizers. See docs/pipeline.md for what this
package may import (tests/test_import_rules.py checks).
"""
