"""``python -m gongkai``: the same as the ``gongkai`` command."""

from .cli import main

raise SystemExit(main())
