"""The model to output files: atomic files, the JSON model, the tidy table, datasets, schema, output
targets.

Modules: atomic, datapackage, dataset, parquet, schema, serialize, targets, tidy, writer_options.
See docs/pipeline.md for what this package may import (tests/test_import_rules.py checks).
"""
