"""gongkai's built-in plugins.

Each module here is a plugin like any third-party one: it implements hooks from
:mod:`gongkai.engine.hookspecs` and is registered through the ``gongkai`` entry point group in
pyproject.toml. None of them is imported by the core.
"""
