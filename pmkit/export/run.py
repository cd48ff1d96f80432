"""One export run: pick exporters, resolve options, pre-flight all, then write each."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pmkit.content.model import Course
from pmkit.errors import ExportError, PmkitError, UsageError
from pmkit.export.exporter import ExportContext, Exporter
from pmkit.export.writing import remove_stale_temp_files, source_date_epoch, staged_file
from pmkit.issues import Issue
from pmkit.options import resolve_options, split_options
from pmkit.pluginhost.host import PluginHost
from pmkit.suggest import did_you_mean


@dataclass
class PlannedExport:
    """A selected format with its exporter instance, options and destination."""

    name: str
    exporter: Exporter
    ctx: ExportContext
    target: Path
    plugin_label: str


def select_formats(host: PluginHost, requested: Sequence[str]) -> list[str]:
    """Expand ``all`` and check every name (a usage error suggests the nearest)."""
    available = sorted(host.exporters)
    chosen: list[str] = []
    for name in requested:
        names = available if name == "all" else [name]
        for n in names:
            if n not in host.exporters:
                raise UsageError(f"unknown format {n!r}{did_you_mean(n, available)} (installed: "
                                 f"{', '.join(available) or 'none'}; see `pmkit formats`)")
            if n not in chosen:
                chosen.append(n)
    if not chosen:
        raise UsageError("no format selected; use --format NAME (see `pmkit formats`)")
    return chosen


def plan_exports(host: PluginHost, course: Course, content_dir: Path, formats: Sequence[str],
                 option_pairs: Sequence[tuple[str, str]], output_dir: Path,
                 warn: Callable[[str], None]) -> list[PlannedExport]:
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
        ctx = ExportContext(course=course, options=resolve_options(name, cls.options, routed[name]),
                            source_date_epoch=epoch, content_dir=content_dir, scorers=scorers,
                            warn=warn)
        try:
            exporter = cls()
            filename = exporter.filename(ctx)
        except PmkitError:
            raise
        except Exception as exc:
            raise ExportError(f"format {name!r} from {label} could not be set up "
                              f"({type(exc).__name__}: {exc})") from exc
        plans.append(PlannedExport(name, exporter, ctx, output_dir / filename, label))
    return plans


def preflight(plans: Sequence[PlannedExport]) -> list[Issue]:
    """Run every ``check()``; errors stop the run before anything is written."""
    issues: list[Issue] = []
    for plan in plans:
        try:
            issues.extend(plan.exporter.check(plan.ctx))
        except PmkitError:
            raise
        except Exception as exc:
            raise ExportError(f"format {plan.name!r} from {plan.plugin_label}: check() crashed "
                              f"({type(exc).__name__}: {exc})") from exc
    if any(i.severity == "error" for i in issues):
        raise ExportError("the export was stopped before writing anything", sorted(issues))
    return issues


def write_export(plan: PlannedExport) -> Path:
    """Stage, export and rename one file into place.

    Staging files a killed export left in the folder go first (only pmkit's own,
    and only once their process has ended: see ``remove_stale_temp_files``).
    """
    remove_stale_temp_files(plan.target.parent)
    try:
        with staged_file(plan.target) as tmp:
            _run_exporter(plan, tmp)
    except PmkitError:
        raise
    except OSError as exc:  # staging or renaming: the exporter's own errors are wrapped below
        raise ExportError(f"format {plan.name!r}: cannot write {plan.target}: "
                          f"{exc.strerror or exc}; the previous output is untouched") from exc
    return plan.target


def _run_exporter(plan: PlannedExport, tmp: Path) -> None:
    try:
        plan.exporter.export(plan.ctx, tmp)
    except PmkitError:
        raise
    except Exception as exc:
        raise ExportError(f"format {plan.name!r} from {plan.plugin_label} failed "
                          f"({type(exc).__name__}: {exc}); the previous output is untouched"
                          ) from exc
