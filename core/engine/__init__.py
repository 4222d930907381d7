"""The plugin engine: hook specifications, the manager and registry of contributions, the
contribution types, plugin guards and the on-disk cache.

Modules: cache, guard, hookspecs, manager, plugin_types. See docs/pipeline.md for what this
package may import (tests/test_import_rules.py checks).
"""
