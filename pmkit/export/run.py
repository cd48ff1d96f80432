"""One export run: pick exporters, resolve options, pre-flight all, then write each."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pmkit.content.model import Course
from pmkit.errors import ExportError, PluginError, PmkitError, UsageError
from pmkit.export import output_cache
from pmkit.export.exporter import ExportContext, Exporter
from pmkit.export.writing import remove_stale_temp_files, source_date_epoch, staged_file
from pmkit.issues import Issue
from pmkit.options import resolve_options, split_options
from pmkit.pluginhost.host import PluginHost
from pmkit.pluginhost.isolation import PLUGIN_FAILURES, describe, plugin_output
from pmkit.suggest import did_you_mean


@dataclass
class PlannedExport:
    """A selected format with its exporter instance, options and destination."""

    name: str
    exporter: Exporter
    ctx: ExportContext
    target: Path
    plugin_label: str
    #: Where this export's result is cached (None: not cacheable), and a usable entry.
    slot: output_cache.OutputSlot | None = None
    cached: output_cache.CachedOutput | None = None
    #: What ``check()`` found (or the cached entry recorded), once pre-flight ran.
    issues: list[Issue] | None = field(default=None, repr=False)


def select_formats(host: PluginHost, requested: Sequence[str]) -> list[str]:
    """Expand ``all`` and check every name (a usage error suggests the nearest).

    Format names are ids (lower case), so ``SCORM`` means ``scorm``.
    """
    available = sorted(host.exporters)
    chosen: list[str] = []
    for name in requested:
        names = available if name.lower() == "all" else [name.lower()]
        for n in names:
            if n in host.disabled:
                raise PluginError(
                    f"format {n!r} is disabled: it is provided by both "
                    f"{host.disabled[n]}; uninstall or rename one of them"
                )
            if n not in host.exporters:
                raise UsageError(
                    f"unknown format {n!r}{did_you_mean(n, available)} (installed: "
                    f"{', '.join(available) or 'none'}; see `pmkit formats`)"
                )
            if n not in chosen:
                chosen.append(n)
    if not chosen:
        raise UsageError("no format selected; use --format NAME (see `pmkit formats`)")
    return chosen


def runnable_formats(
    host: PluginHost, requested: Sequence[str]
) -> tuple[list[str], dict[str, str]]:
    """The selected formats that can run here, and the ones ``all`` skips (with why).

    A format named explicitly that cannot run is an error; ``all`` means every
    installed format whose requirements are present (docs/decisions.md §15).
    """
    names = select_formats(host, requested)
    explicit = {n.lower() for n in requested if n.lower() != "all"}
    runnable: list[str] = []
    skipped: dict[str, str] = {}
    for name in names:
        reason = unavailable_reason(host, name)
        if reason is None:
            runnable.append(name)
        elif name in explicit:
            raise ExportError(f"format {name!r} cannot run here: {reason}")
        else:
            skipped[name] = reason
    if not runnable:
        raise ExportError(
            "none of the selected formats can run here: "
            + "; ".join(f"{n}: {r}" for n, r in skipped.items())
        )
    return runnable, skipped


def unavailable_reason(host: PluginHost, name: str) -> str | None:
    """Why format ``name`` cannot run here (the exporter's ``unavailable()``), or None."""
    provided = host.exporters[name]
    try:
        with plugin_output():
            reason = provided.obj.unavailable()
    except PLUGIN_FAILURES as exc:
        return f"{provided.plugin.label}: unavailable() crashed ({describe(exc)})"
    return str(reason) if reason else None


def check_output_folder(folder: Path) -> None:
    """The output folder exists or can be created, and is a folder (clear errors if not)."""
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        what = "the output folder" if existing == folder else f"{existing}, a parent of it,"
        raise ExportError(
            f"cannot write to {folder}: {what} is a file, not a folder; choose another --output"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(
            f"cannot create the output folder {folder}: "
            f"{exc.strerror or exc}; choose another --output"
        ) from exc


def plan_exports(
    host: PluginHost,
    course: Course,
    content_dir: Path,
    formats: Sequence[str],
    option_pairs: Sequence[tuple[str, str]],
    output_dir: Path,
    warn: Callable[[str], None],
) -> list[PlannedExport]:
    """Instantiate each selected exporter with its converted options."""
    names = select_formats(host, formats)
    declared = {n: host.exporter(n).options for n in names}
    routed = split_options(option_pairs, declared)
    epoch = source_date_epoch()
    scorers = {name: p.obj for name, p in host.scorers.items()}
    plans = []
    for name in names:
        cls = host.exporter(name)
        label = host.exporters[name].plugin.label
        ctx = ExportContext(
            course=course,
            options=resolve_options(name, cls.options, routed[name]),
            source_date_epoch=epoch,
            content_dir=content_dir,
            scorers=scorers,
            warn=warn,
        )
        try:
            with plugin_output():
                exporter = cls()
                filename = exporter.filename(ctx)
        except PmkitError:
            raise
        except PLUGIN_FAILURES as exc:
            raise ExportError(
                f"format {name!r} from {label} could not be set up ({describe(exc)})"
            ) from exc
        problem = _file_name_problem(filename)
        if problem:
            raise ExportError(
                f"format {name!r} from {label}: filename() returned {filename!r}, "
                f"{problem}; report it to the plugin's authors"
            )
        slot = _output_slot(host, name, ctx, exporter, filename)
        cached = output_cache.lookup(slot) if slot is not None else None
        plans.append(PlannedExport(name, exporter, ctx, output_dir / filename, label, slot, cached))
    return plans


def _output_slot(
    host: PluginHost, name: str, ctx: ExportContext, exporter: Exporter, filename: str
) -> output_cache.OutputSlot | None:
    """The output cache slot of one export: only for a course loaded through the cache."""
    from pmkit.content.cache import key_of

    found = key_of(ctx.course)
    if found is None:
        return None
    directory, content_key = found
    return output_cache.slot_for(
        directory,
        content_key,
        name,
        exporter,
        host.exporters[name].plugin.builtin,
        host.fingerprint(),
        ctx.options,
        filename,
        ctx.source_date_epoch,
    )


def _file_name_problem(name: object) -> str | None:
    """Why ``name`` is not a plain file name inside the output folder, or None."""
    if not isinstance(name, str) or not name:
        return "which is not a file name"
    if name in (".", "..") or any(c in name for c in "/\\\0") or name != name.strip():
        return "which is not a plain file name in the output folder"
    if name.startswith(".") and name.endswith(".tmp"):
        return "which looks like one of pmkit's temporary files"
    return None


def preflight(plans: Sequence[PlannedExport]) -> list[Issue]:
    """Run every ``check()``; errors stop the run before anything is written."""
    by_format = preflight_by_format(plans)
    issues = [issue for found in by_format.values() for issue in found]
    if any(i.severity == "error" for i in issues):
        raise ExportError("the export was stopped before writing anything", sorted(issues))
    return issues


def preflight_by_format(plans: Sequence[PlannedExport]) -> dict[str, list[Issue]]:
    """Every format's ``check()`` issues, by format (raises on a crashing check)."""
    by_format: dict[str, list[Issue]] = {}
    for plan in plans:
        # A cached result comes with the issues its check() found for the same key.
        found = list(plan.cached.issues) if plan.cached is not None else _check(plan)
        plan.issues = found
        by_format[plan.name] = found
    return by_format


def _check(plan: PlannedExport) -> list[Issue]:
    try:
        with plugin_output():
            found = list(plan.exporter.check(plan.ctx) or ())
    except PmkitError:
        raise
    except PLUGIN_FAILURES as exc:
        raise ExportError(
            f"format {plan.name!r} from {plan.plugin_label}: check() crashed ({describe(exc)})"
        ) from exc
    strays = [item for item in found if not isinstance(item, Issue)]
    if strays:
        raise ExportError(
            f"format {plan.name!r} from {plan.plugin_label}: check() yielded "
            f"a {type(strays[0]).__name__} instead of a pmkit.Issue; report it "
            "to the plugin's authors"
        )
    return found


def write_export(plan: PlannedExport) -> Path:
    """Stage, export and rename one file into place.

    Staging files a killed export left in the folder go first (only pmkit's own,
    and only once their process has ended: see ``remove_stale_temp_files``).
    """
    remove_stale_temp_files(plan.target.parent)
    try:
        with staged_file(plan.target) as tmp:
            if plan.cached is None or not output_cache.copy_verified(plan.cached, tmp):
                _export_and_keep(plan, tmp)
    except PmkitError:
        raise
    except OSError as exc:  # staging or renaming: the exporter's own errors are wrapped below
        raise ExportError(
            f"format {plan.name!r}: cannot write {plan.target}: "
            f"{exc.strerror or exc}; the previous output is untouched"
        ) from exc
    return plan.target


def _export_and_keep(plan: PlannedExport, tmp: Path) -> None:
    """Run the exporter into ``tmp``; keep the result in the output cache when it may be."""
    if plan.cached is not None:
        # The entry turned out damaged: never trusted, so the work is done after
        # all, check() first (an exporter may build in check() what export() uses).
        plan.cached = None
        plan.issues = _check(plan)
        errors = [i for i in plan.issues if i.severity == "error"]
        if errors:
            raise ExportError("the export was stopped before writing anything", sorted(errors))
    _run_exporter(plan, tmp)
    if plan.slot is not None and plan.issues is not None:
        output_cache.store(plan.slot, tmp, plan.issues)


def _run_exporter(plan: PlannedExport, tmp: Path) -> None:
    try:
        with plugin_output():
            plan.exporter.export(plan.ctx, tmp)
    except PmkitError:
        raise
    except PLUGIN_FAILURES as exc:
        raise ExportError(
            f"format {plan.name!r} from {plan.plugin_label} failed "
            f"({describe(exc)}); the previous output is untouched"
        ) from exc
    if not tmp.is_file() or tmp.stat().st_size == 0:
        # An empty file is never a valid export; keeping the previous one is safer.
        raise ExportError(
            f"format {plan.name!r} from {plan.plugin_label} wrote nothing; "
            "the previous output is untouched; report it to the plugin's authors"
        )
