"""Subcommands of the ``gongkai`` CLI, one module each.

A command module has ``add_parser(subparsers)``, which adds its parser and sets
``run=function(args) -> exit status`` as the parser's default.
"""

from gongkai.cli.commands import check, convert, formats, plugins, schema

COMMANDS = (convert, check, formats, plugins, schema)
