"""The report's template as data: codes, labels, layouts, the TOML readers and regional variants.

Modules: codes, labels, layout (the Layout model, label vocabularies), strict_toml (the one
strict TOML reader: unknown keys and wrong values located at file:line), layout_toml (reading
[[layout]] tables), extend (deriving a layout), variant (the Variant model), variant_toml
(reading variant files), variant_text (a variant's normalizer), variant_plugin (a variant as
a plugin), tomlcompat. See docs/pipeline.md for what this package may import
(tests/test_import_rules.py checks).
"""
