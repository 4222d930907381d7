"""The model checked: rules and identities, restored cells, suspects, findings across reports and
narrative claims.

Modules: corpus, findings, narrative, suspects, validator. See docs/pipeline.md for what this
package may import (tests/test_import_rules.py checks).
"""
