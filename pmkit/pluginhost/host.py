"""Finding, loading and isolating plugins.

Built-in plugins are named in :data:`DEFAULT_PLUGINS` and registered first;
third-party plugins come from the ``pmkit`` entry-point group. Each plugin is
loaded, registered and asked for its exporters, scorers and rules in its own
``try``: a broken plugin is reported (named, with its distribution and
version) and the others keep working. ``PMKIT_STRICT_PLUGINS=1`` turns any
such problem into an error.

Nothing happens at import time: :func:`load_plugins` builds a fresh registry
each call and reads the environment then.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pluggy

from pmkit.__version__ import DISTRIBUTION
from pmkit.content.load import ValidationRule
from pmkit.errors import PluginError
from pmkit.export.exporter import Exporter
from pmkit.ids import is_id
from pmkit.options import declaration_problem
from pmkit.pluginhost import entrypoints, hookspecs
from pmkit.pluginhost.hookspecs import PROJECT
from pmkit.pluginhost.isolation import (
    PLUGIN_FAILURES,
    describe,
    formatted_traceback,
    plugin_output,
)
from pmkit.scoring.scorer import SCORER_KINDS, Scorer
from pmkit.suggest import closest, did_you_mean

ENTRY_POINT_GROUP = "pmkit"

#: Modules of the built-in plugins (in the ``pmkit_builtins`` distribution
#: package installed with pmkit). They use exactly the hooks a third party uses.
DEFAULT_PLUGINS: tuple[str, ...] = (
    "pmkit_builtins.json_export",
    "pmkit_builtins.scoring",
    "pmkit_builtins.scorm",
    "pmkit_builtins.moodle",
    "pmkit_builtins.handout",
    "pmkit_builtins.qti",
    "pmkit_builtins.cc",
)


@dataclass
class PluginInfo:
    """A plugin as ``pmkit plugins`` lists it."""

    name: str
    module: str
    distribution: str | None = None
    version: str | None = None
    builtin: bool = False
    issues_url: str | None = None
    exporters: list[str] = field(default_factory=list)
    scorers: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    overridden: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """``plugin 'x' (pmkit-x 1.2)`` — how messages name the plugin."""
        if self.builtin:
            return f"built-in plugin {self.name!r}"
        dist = f"{self.distribution} {self.version}" if self.distribution else "no distribution"
        where = f"; report it at {self.issues_url}" if self.issues_url else ""
        return f"plugin {self.name!r} ({dist}{where})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for ``pmkit plugins --json``."""
        return {
            "name": self.name,
            "module": self.module,
            "distribution": self.distribution,
            "version": self.version,
            "builtin": self.builtin,
            "issues_url": self.issues_url,
            "exporters": self.exporters,
            "scorers": self.scorers,
            "rules": self.rules,
            "overridden": self.overridden,
            "failed": bool(self.errors),
            "errors": self.errors,
        }


class Provided:
    """Something a plugin registered (an exporter or scorer class) and who registered it.

    A plugin may register a class by its import path (``"package.module:Class"``
    with ``name=``) instead of the class itself: the module is then imported,
    and the class checked, the first time :attr:`obj` is read (when the format
    is used or listed), so commands that never touch it do not pay for its
    imports. A class that turns out wrong then raises :class:`PluginError`
    naming the plugin.
    """

    def __init__(
        self, name: str, obj: Any, plugin: PluginInfo, *, target: str | None = None, what: str = ""
    ) -> None:
        self.name = name
        self.plugin = plugin
        self._obj = obj
        #: ``"module:attribute"`` while the class is not imported yet.
        self.target = target
        self._what = what

    @property
    def obj(self) -> Any:
        """The registered class (imported now if it was registered by path)."""
        if self._obj is None:
            self._obj = _resolve(self.name, str(self.target), self._what, self.plugin)
        return self._obj

    def __repr__(self) -> str:
        shown = self._obj.__name__ if self._obj is not None else repr(self.target)
        return f"Provided({self.name!r}, {shown}, {self.plugin.label})"


def _resolve(name: str, target: str, what: str, plugin: PluginInfo) -> Any:
    """Import a class registered by path and check it as :meth:`_Loader.add` would have."""
    module, _, attribute = target.partition(":")
    try:
        with plugin_output():
            obj: Any = importlib.import_module(module)
            for part in attribute.split("."):
                obj = getattr(obj, part)
    except PLUGIN_FAILURES as exc:
        raise PluginError(
            f"{plugin.label}: {what} {name!r} registered as {target!r} cannot be "
            f"imported ({describe(exc)})"
        ) from exc
    reason = _check_class(obj, what)
    if reason is None and obj.name != name:
        reason = f"{obj.__name__}.name is {obj.name!r}, but it was registered as {name!r}"
    if reason:
        raise PluginError(f"{plugin.label}: registered an invalid {what}: {reason}")
    return obj


@dataclass
class PluginHost:
    """The loaded plugins and everything they provide."""

    pm: pluggy.PluginManager
    plugins: list[PluginInfo] = field(default_factory=list)
    exporters: dict[str, Provided] = field(default_factory=dict)
    scorers: dict[str, Provided] = field(default_factory=dict)
    rules: list[ValidationRule] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: Names two third-party plugins both registered, with the two plugins' labels.
    disabled: dict[str, str] = field(default_factory=dict)

    def exporter(self, name: str) -> type[Exporter]:
        """The exporter class registered as ``name`` (KeyError if none)."""
        return self.exporters[name].obj

    @property
    def failed(self) -> bool:
        """True when any plugin could not be loaded or misbehaved."""
        return bool(self.problems)

    def import_registered(self, warn: Callable[[str], None]) -> None:
        """Import every exporter registered by import path now (``pmkit plugins``
        shows what failed): a wrong one is reported like any plugin problem, and
        its format is no longer provided."""
        for name, provided in list(self.exporters.items()):
            try:
                _ = provided.obj  # imports a class registered by path
            except PluginError as exc:
                text = str(exc)
                provided.plugin.errors.append(text.removeprefix(f"{provided.plugin.label}: "))
                provided.plugin.exporters.remove(name)
                del self.exporters[name]
                self.problems.append(text)
                warn(text)

    def fingerprint(self) -> str:
        """Names and versions of every loaded plugin (a validation cache key part)."""
        return ";".join(sorted(f"{p.name}={p.distribution}=={p.version}" for p in self.plugins))


def _wanted(env: Mapping[str, str]) -> set[str] | None:
    raw = env.get("PMKIT_LOAD_PLUGINS")
    if raw is None:
        return None
    return {_normalise(n) for n in raw.split(",") if n.strip()}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


class _Loader:
    def __init__(
        self, host: PluginHost, warn: Callable[[str], None], *, strict: bool, tracebacks: bool
    ):
        self.host = host
        self.warn = warn
        self.strict = strict
        self.tracebacks = tracebacks
        #: The plugins pluggy accepted, with their info, in registration order.
        self.registered: list[tuple[PluginInfo, Any]] = []

    def problem(
        self, info: PluginInfo | None, message: str, exc: BaseException | None = None
    ) -> None:
        text = f"{info.label}: {message}" if info else message
        if exc is not None and self.tracebacks:
            text += "\n" + formatted_traceback(exc)
        if info is not None:
            info.errors.append(message)
        self.host.problems.append(text)
        self.warn(text)

    def register(self, plugin: Any, info: PluginInfo) -> None:
        self.host.plugins.append(info)
        taken = self.host.pm.get_plugin(info.name)
        if taken is not None:
            # pluggy's own message dumps its whole registry; one line is enough.
            other = next(
                (p for p in self.host.plugins if p.name == info.name and p is not info), None
            )
            self.problem(
                info,
                f"its name is also used by {other.label if other else 'another'}"
                " plugin; rename the entry point of one of them",
            )
            return
        try:
            self.host.pm.register(plugin, name=info.name)
            self.registered.append((info, plugin))
        except pluggy.PluginValidationError as exc:
            self.problem(info, _signature_problem(exc), exc)
        except PLUGIN_FAILURES as exc:
            self.problem(info, f"cannot be registered ({describe(exc)})", exc)

    def load_module(self, info: PluginInfo, load: Callable[[], Any]) -> None:
        try:
            with plugin_output():
                plugin = load()
        except PLUGIN_FAILURES as exc:
            self.host.plugins.append(info)
            self.problem(info, f"failed to load ({describe(exc)})", exc)
            return
        self.register(plugin, info)

    def check_hooks(self) -> None:
        # check_pending() stops at the first unknown hook; unregister the
        # culprit and look again so every misspelled hook is named.
        while True:
            try:
                self.host.pm.check_pending()
                return
            except pluggy.PluginValidationError as exc:
                info = self.info_of(exc.plugin)
                self.host.pm.unregister(exc.plugin)
                self.problem(info, _unknown_hook_problem(exc))

    def info_of(self, plugin: Any) -> PluginInfo | None:
        name = self.host.pm.get_name(plugin)
        return next((p for p in self.host.plugins if p.name == name), None)

    def collect(self) -> None:
        plugins = [(i, p) for i, p in self.registered if self.host.pm.is_registered(p)]
        for info, plugin in plugins:
            self.call(
                info,
                plugin,
                "register_exporters",
                lambda cls, override=False, name=None, _i=info: self.add(
                    self.host.exporters, "exporter", cls, _i, override, _i.exporters, name
                ),
            )
        for info, plugin in plugins:
            self.call(
                info,
                plugin,
                "register_scorers",
                lambda cls, override=False, name=None, _i=info: self.add(
                    self.host.scorers, "scorer", cls, _i, override, _i.scorers, name
                ),
            )
        for info, plugin in plugins:
            self.call(
                info,
                plugin,
                "register_validation_rules",
                lambda check, name=None, _i=info: self.add_rule(check, name, _i),
            )

    def call(self, info: PluginInfo, plugin: Any, hook: str, register: Callable[..., None]) -> None:
        """Call one plugin's implementation of ``hook`` through pluggy's hook caller
        (so tracing, wrappers and tryfirst/trylast apply), isolated from the others."""
        pm = self.host.pm
        if not any(impl.plugin is plugin for impl in getattr(pm.hook, hook).get_hookimpls()):
            return
        others = [p for p in pm.get_plugins() if p is not plugin]
        caller = pm.subset_hook_caller(hook, remove_plugins=others)
        try:
            with plugin_output():
                caller(register=register)
        except PLUGIN_FAILURES as exc:
            self.problem(info, f"hook {hook} raised {describe(exc)}", exc)

    def add(
        self,
        table: dict[str, Provided],
        what: str,
        cls: Any,
        info: PluginInfo,
        override: bool,
        provided: list[str],
        name: str | None = None,
    ) -> None:
        if isinstance(cls, str):
            # Registered by import path: only the name is checked now, the
            # class when it is first used (see Provided).
            target: str | None = cls
            reason = _target_problem(cls, name)
            cls = None
        else:
            target = None
            reason = _check_class(cls, what)
        if reason:
            self.problem(info, f"registered an invalid {what}: {reason}")
            return
        if cls is not None:
            name = cls.name
        if not isinstance(name, str):  # pragma: no cover - both paths checked it above
            return
        clash = self.host.disabled.get(name)
        if clash is not None:
            self.problem(
                info, f"{what} {name!r} is claimed by several plugins ({clash}) and disabled"
            )
            return
        existing = table.get(name)
        if existing is not None:
            if existing.plugin is info:
                self.problem(info, f"registered {what} {name!r} twice")
                return
            if existing.plugin.builtin and override:
                existing.plugin.overridden.append(name)
            elif existing.plugin.builtin:
                self.problem(
                    info,
                    f"{what} {name!r} is already provided by "
                    f"{existing.plugin.label}; pass override=True to replace it",
                )
                return
            else:
                # Two third parties: nobody can tell which one the user meant.
                first = existing.plugin
                del table[name]
                self.host.disabled[name] = f"{first.label} and {info.label}"
                (first.exporters if what == "exporter" else first.scorers).remove(name)
                message = (
                    f"{what} {name!r} is provided by both {first.label} and "
                    f"{info.label}; it is disabled until one is uninstalled or renamed"
                )
                first.errors.append(message)
                self.problem(info, message)
                return
        table[name] = Provided(name, cls, info, target=target, what=what)
        provided.append(name)

    def add_rule(self, check: Any, name: str | None, info: PluginInfo) -> None:
        if not callable(check):
            self.problem(
                info,
                f"registered a validation rule that is not callable (a {type(check).__name__})",
            )
            return
        rule_name = str(name or getattr(check, "__name__", "rule"))
        guarded = _guarded_rule(check, rule_name, info.label, self.strict)
        self.host.rules.append(ValidationRule(rule_name, guarded, info.label))
        info.rules.append(rule_name)


def _guarded_rule(
    check: Callable[..., Any], name: str, label: str, strict: bool
) -> Callable[[Any], list[Any]]:
    """The rule, run with its output on stderr; a crash or a result that is not a
    pmkit.Issue is an error in strict mode (the loader reports them as warnings
    otherwise)."""
    from pmkit.issues import Issue

    def run(course: Any) -> list[Any]:
        try:
            with plugin_output():
                found = list(check(course) or ())
        except PLUGIN_FAILURES as exc:
            if strict:
                raise PluginError(
                    f"{label}: validation rule `{name}` crashed ({describe(exc)}) "
                    "(PMKIT_STRICT_PLUGINS is set)"
                ) from exc
            if isinstance(exc, SystemExit):
                raise RuntimeError(describe(exc)) from exc
            raise
        if strict and not all(isinstance(item, Issue) for item in found):
            raise PluginError(
                f"{label}: validation rule `{name}` returned something that is "
                "not a pmkit.Issue (PMKIT_STRICT_PLUGINS is set)"
            )
        return found

    run.__name__ = name
    return run


def _signature_problem(exc: pluggy.PluginValidationError) -> str:
    """pluggy's three-line message about a hook's arguments, as one line."""
    text = str(exc)
    hook = re.search(r"for hook '(\w+)'", text)
    definition = re.search(r"hookimpl definition: (.+)", text)
    wrong = re.search(r"Argument\(s\) (\{.*?\})", text)
    if hook and definition and wrong:
        return (
            f"hook {definition.group(1).strip()} takes {wrong.group(1)}, which pmkit does "
            f"not pass; write it as {hook.group(1)}(register)"
        )
    return " ".join(text.split())


def _unknown_hook_problem(exc: pluggy.PluginValidationError) -> str:
    """An unknown hook name, with the nearest known one."""
    text = " ".join(str(exc).split())
    found = re.search(r"unknown hook '(\w+)'", text)
    if not found:
        return f"{text} (known hooks: {', '.join(hookspecs.HOOK_NAMES)})"
    name = found.group(1)
    match = closest(name, hookspecs.HOOK_NAMES)
    hint = f"did you mean {match!r}? " if match else ""
    return (
        f"hook {name!r} is not a pmkit hook; {hint}(known hooks: {', '.join(hookspecs.HOOK_NAMES)})"
    )


def _target_problem(target: str, name: str | None) -> str | None:
    """Why ``register("module:Class", name=...)`` cannot be accepted, if it cannot."""
    module, colon, attribute = target.partition(":")
    if not (colon and module and attribute):
        return f"{target!r} is neither a class nor an import path like 'package.module:Class'"
    if not is_id(name):
        return f"{target!r} is registered by path, so it needs name='format-name', not {name!r}"
    return None


def _check_class(cls: Any, what: str) -> str | None:
    base = Exporter if what == "exporter" else Scorer
    if not isinstance(cls, type) or not issubclass(cls, base):
        shown = cls.__name__ if isinstance(cls, type) else f"a {type(cls).__name__} object"
        return f"{shown} is not a subclass of pmkit.{base.__name__}"
    name = getattr(cls, "name", None)
    if not is_id(name):
        return f"{cls.__name__}.name must be an id like 'my-format', not {name!r}"
    if what == "scorer" and getattr(cls, "kind", None) not in SCORER_KINDS:
        return f"{cls.__name__}.kind must be one of {', '.join(SCORER_KINDS)}"
    return declaration_problem(getattr(cls, "options", ()), cls.__name__)


def load_plugins(
    *,
    environ: Mapping[str, str] | None = None,
    extra: Iterable[tuple[str, Any]] = (),
    builtins: Iterable[str] | None = None,
    entry_points: bool = True,
    warn: Callable[[str], None] | None = None,
    tracebacks: bool = False,
) -> PluginHost:
    """Build a fresh plugin registry.

    ``environ`` defaults to ``os.environ`` (read now, not at import);
    ``extra`` adds ``(name, plugin_object)`` pairs (tests, embedding);
    ``builtins`` replaces :data:`DEFAULT_PLUGINS`; ``entry_points=False``
    skips third-party discovery. Problems are passed to ``warn`` (default:
    print to stderr) and kept in :attr:`PluginHost.problems`; with
    ``PMKIT_STRICT_PLUGINS=1`` they raise :class:`PluginError` instead.
    ``tracebacks=True`` (``pmkit --traceback``) adds each failure's traceback.
    """
    env = os.environ if environ is None else environ
    strict = env.get("PMKIT_STRICT_PLUGINS", "").strip() not in ("", "0")
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    if env.get("PMKIT_TRACE_PLUGINS", "").strip() not in ("", "0"):
        pm.trace.root.setwriter(lambda text: sys.stderr.write(text))
        pm.enable_tracing()
    host = PluginHost(pm=pm)

    def default_warn(text: str) -> None:
        print(f"Warning: {text}", file=sys.stderr)

    # In strict mode every problem is raised at the end, so it is not also warned.
    loader = _Loader(
        host,
        (lambda text: None) if strict else (warn or default_warn),
        strict=strict,
        tracebacks=tracebacks,
    )

    for module in DEFAULT_PLUGINS if builtins is None else builtins:
        info = PluginInfo(
            name=module.rsplit(".", 1)[-1],
            module=module,
            distribution=DISTRIBUTION,
            version=_own_version(),
            builtin=True,
        )
        loader.load_module(info, functools.partial(importlib.import_module, module))

    if entry_points:
        wanted = _wanted(env)
        discovered = entrypoints.discover(ENTRY_POINT_GROUP)
        if discovered is None:
            discovered = entrypoints.discover_with_metadata(ENTRY_POINT_GROUP)
        found = sorted(discovered, key=lambda e: (e.dist_name or "", e.name))
        installed = set()
        for ep in found:
            dist_name, version, url = ep.dist_name, ep.version, ep.issues_url
            installed.add(_normalise(dist_name or ep.name))
            if wanted is not None and _normalise(dist_name or ep.name) not in wanted:
                continue
            info = PluginInfo(
                name=ep.name,
                module=ep.value,
                distribution=dist_name,
                version=version,
                issues_url=url,
            )
            loader.load_module(info, ep.load)
        for name in sorted((wanted or set()) - installed):
            hint = did_you_mean(name, sorted(installed))
            loader.problem(
                None,
                f"PMKIT_LOAD_PLUGINS names {name!r}, but no installed "
                f"distribution provides pmkit plugins under that name{hint} "
                f"(installed: {', '.join(sorted(installed)) or 'none'})",
            )

    for name, plugin in extra:
        loader.register(plugin, PluginInfo(name=name, module=getattr(plugin, "__name__", name)))

    loader.check_hooks()
    loader.collect()
    if strict and host.problems:
        raise PluginError(
            "plugin problems (PMKIT_STRICT_PLUGINS is set):\n  " + "\n  ".join(host.problems)
        )
    return host


def _own_version() -> str:
    from pmkit.__version__ import VERSION

    return VERSION
