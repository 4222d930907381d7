"""Reading writer options (``-O key=value`` or ``[writers.NAME]``): every value arrives as text.

Writers use these so that a wrong value fails the same way everywhere: a UsageError naming the
format, the option and what it accepts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from gongkai.errors import UsageError

TRUE = ("true", "yes", "on", "1")
FALSE = ("false", "no", "off", "0")


def flag(options: Mapping[str, str], name: str, *, writer: str, default: bool = False) -> bool:
    """A true/false option (true, yes, on, 1 / false, no, off, 0; empty means the default)."""
    value = options.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise UsageError(f"{writer} option {name} must be true or false, not {options[name]!r}")


def choice(options: Mapping[str, str], name: str, choices: Sequence[str], *, writer: str,
           default: str) -> str:
    """An option that takes one of ``choices`` (empty means the default)."""
    value = options.get(name, "").strip() or default
    if value not in choices:
        raise UsageError(f"{writer} option {name} must be one of {', '.join(choices)}, "
                         f"not {value!r}")
    return value
