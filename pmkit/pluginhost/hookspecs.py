"""Hook specifications: what a pmkit plugin can provide.

A plugin is a module (or object) with functions marked ``@pmkit.hookimpl``
and named like the hooks below. pmkit calls each plugin's implementation on
its own and records which plugin registered what, so ``pmkit plugins`` and
every error message can name the plugin responsible.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

#: The pluggy project name, shared by the markers and the plugin manager.
PROJECT = "pmkit"

hookspec = pluggy.HookspecMarker(PROJECT)

#: Marks a plugin's hook implementations: ``@pmkit.hookimpl``.
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_exporters(register: Callable[..., None]) -> None:
    """Register export formats.

    Call ``register(exporter_class, override=False)`` once per format.
    ``exporter_class`` subclasses :class:`pmkit.Exporter`; its ``name`` is
    the format name users pass to ``pmkit export --format``. A third-party
    plugin may replace a built-in format only with ``override=True``.

    ``register("package.module:ExporterClass", name="my-format")`` registers
    the class by its import path instead: its module is imported (and the
    class checked) only when the format is used or listed, so commands that
    never export do not pay for its imports.

    :param register: the callback that records an exporter class.
    """


@hookspec
def register_scorers(register: Callable[..., None]) -> None:
    """Register scorers that turn a learner's answers into a result.

    Call ``register(scorer_class, override=False)`` once per scorer.
    ``scorer_class`` subclasses :class:`pmkit.Scorer`; its ``kind`` is
    ``"recommendation"`` or ``"grade"``.

    :param register: the callback that records a scorer class.
    """


@hookspec
def register_validation_rules(register: Callable[..., None]) -> None:
    """Register extra content rules, run after pmkit's own.

    Call ``register(check, name=None)``: ``check(course)`` receives the
    validated :class:`pmkit.Course` and yields :class:`pmkit.Issue` objects
    (use a node's ``source`` for the position). A rule that raises is reported
    as a warning naming the plugin and does not stop the others.

    :param register: the callback that records a rule.
    """


HOOK_NAMES: tuple[str, ...] = (
    "register_exporters",
    "register_scorers",
    "register_validation_rules",
)

Register = Callable[..., Any]
