#!/usr/bin/env python3
"""Benchmark the pmkit CLI against yardsticks measured in the same run.

Usage::

    python benchmarks/run.py [--sizes 100,1000,10000,30000] [--repeat 3]
                             [--formats json,moodle,gift] [--baseline CMD]
                             [--json results.json]

Every figure comes from whole processes: wall time from ``time.perf_counter()``
around the child's whole life, CPU time and peak memory from the child's own
``rusage`` as returned by ``os.wait4``.  A yardstick and the commands compared
with it are run **in turn, run by run** (text2qti, then each pmkit command,
then text2qti again ...; the order reverses every round), and each ratio is
taken pair by pair, so drift of a shared machine lands in both sides of a
ratio instead of in one.  Ratios are printed as median (min-max), with the
load average seen during the section.  Targets (PASS/MISS):

* start-up: ``pmkit --help`` and ``--version`` <= 1.2x ``python -c "import
  click"``; warm ``pmkit validate`` of the bundled course <= 2.5x;
* at N >= 10,000 questions, against ``text2qti`` on the same questions: cold
  ``validate`` <= 0.2x, cold ``export`` <= 0.35x, warm runs <= 0.05x; peak
  memory of a cold ``export --format moodle`` <= text2qti's;
* linearity: CPU(N2)/CPU(N1) <= 1.2 x (N2/N1) for consecutive sizes;
* SCORM at scale (figures, no targets yet): package and ``course-data.js``
  sizes, and in headless Chromium the time to load the package and to open
  the knowledge-check screen, and the number of elements that screen builds.

"Cold" means a fresh, empty working directory (so no ``.pmkit-cache/``);
"warm" means the same working directory after one unmeasured priming run.
Generated content lives under a temporary directory, never in the repository.

Only the standard library and PyYAML (through make_content) are needed; the
browser figures need Playwright and a Chromium (skipped, with a note, if
either is missing).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import itertools
import json
import marshal
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_content import KC_PER_SCREEN, QUIZ_FILE, make_content  # noqa: E402

PMKIT_CACHE_DIR = ".pmkit-cache"  # pmkit's validation cache, in the cwd
REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_COURSE = REPO_ROOT / "content"
TARGET_HELP_VS_CLICK = 1.2  # --help and --version
TARGET_VALIDATE_BUNDLED_VS_CLICK = 2.5  # warm validate of the bundled course
TARGET_VALIDATE_COLD_VS_TEXT2QTI = 0.2
TARGET_EXPORT_COLD_VS_TEXT2QTI = 0.35
TARGET_WARM_VS_TEXT2QTI = 0.05
TARGET_RSS_VS_TEXT2QTI = 1.0  # peak memory of a cold export --format moodle
TARGET_MIN_N = 10_000  # per-N targets apply from this size (below, start-up dominates)
TARGET_LINEARITY_SLACK = 1.2  # allowed time ratio = slack * size ratio
TARGET_SCREEN_OPEN_SECONDS = 0.3  # any screen of the N-question SCORM package
CHROMIUM = os.environ.get("PMKIT_CHROMIUM", "/usr/bin/chromium")


# --------------------------------------------------------------------------
# Measuring one process
# --------------------------------------------------------------------------


@dataclass
class Sample:
    """One measured run."""

    seconds: float
    max_rss_kib: int
    cpu_seconds: float = 0.0  # the child's user + system time
    load: float = 0.0  # 1-minute load average just before the run


@dataclass
class Result:
    """All samples of one benchmarked command at one size and mode."""

    key: str  # stable, machine-readable: "n=1000/validate/cold"
    label: str  # for the table
    argv: list[str]
    samples: list[Sample] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        """Median wall time in seconds."""
        return statistics.median(s.seconds for s in self.samples)

    @property
    def cpu_seconds(self) -> float:
        """Median CPU time (user + system) in seconds."""
        return statistics.median(s.cpu_seconds for s in self.samples)

    @property
    def rss_mb(self) -> float:
        """Median peak resident set size in MB (10^6 bytes)."""
        return statistics.median(s.max_rss_kib for s in self.samples) * 1024 / 1e6


@dataclass
class Ratio:
    """Pairwise ratios of two results measured in turn: median, min and max."""

    values: list[float]

    @classmethod
    def of(cls, a: Result, b: Result, what: str = "seconds") -> Ratio:
        """``a / b`` sample by sample (the i-th runs of both were measured in turn)."""
        return cls(
            [
                getattr(x, what) / getattr(y, what)
                for x, y in zip(a.samples, b.samples, strict=False)
            ]
        )

    @property
    def median(self) -> float:
        """The median ratio (what targets are checked against)."""
        return statistics.median(self.values)

    def text(self) -> str:
        """``0.42x (0.40-0.45)``; just the value for one pair."""
        if len(self.values) == 1:
            return fmt_ratio(self.values[0])
        return (
            f"{fmt_ratio(self.median)} ({fmt_ratio(min(self.values))[:-1]}-"
            f"{fmt_ratio(max(self.values))})"
        )


class CommandFailed(RuntimeError):
    """A benchmarked command exited with a non-zero status."""


# The measuring loop runs in a separate, tiny helper process ("launcher").
# On Linux a child's ru_maxrss starts from the RSS of the process that forked
# it (the high-water mark of the old address space is kept across exec), so
# forking from this script -- which holds generated content and grows to
# hundreds of MB -- would report the benchmark's own memory, not the
# command's.  The launcher is `python -S` importing only built-in modules
# (about 9 MB), below any Python program's own peak.  It forks, execs and
# reaps each command, timing it with perf_counter and reading its rusage with
# os.wait4.  Messages are length-prefixed `marshal` data over its stdin/stdout.
LAUNCHER = r"""
import marshal, os, signal, sys, time
rd, wr = sys.stdin.buffer, sys.stdout.buffer
child = 0
def on_alarm(signum, frame):
    if child:
        os.kill(child, signal.SIGKILL)
signal.signal(signal.SIGALRM, on_alarm)
while True:
    size = rd.read(8)
    if len(size) < 8:
        break
    request = marshal.loads(rd.read(int.from_bytes(size, "little")))
    argv, cwd, env, out_path, err_path, timeout = request
    start = time.perf_counter()
    child = os.fork()
    if child == 0:
        try:
            os.chdir(cwd)
            fds = (os.open(os.devnull, os.O_RDONLY),
                   os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
                   os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644))
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
            os.execvpe(argv[0], argv, env)
        except BaseException as exc:
            os.write(2, ("launcher: cannot run %r: %s\n" % (argv, exc)).encode())
        os._exit(127)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    _, status, usage = os.wait4(child, 0)
    seconds = time.perf_counter() - start
    signal.setitimer(signal.ITIMER_REAL, 0)
    child = 0
    reply = marshal.dumps((seconds, os.waitstatus_to_exitcode(status), usage.ru_maxrss,
                           usage.ru_utime + usage.ru_stime))
    wr.write(len(reply).to_bytes(8, "little") + reply)
    wr.flush()
"""

_RSS_UNIT_BYTES = 1 if sys.platform == "darwin" else 1024  # ru_maxrss unit


class Runner:
    """Runs commands through the launcher and measures them."""

    def __init__(self, workdir: Path, timeout: float, verbose: bool) -> None:
        """Start the launcher; keep logs and working directories in *workdir*."""
        self.workdir = workdir
        self.timeout = timeout
        self.verbose = verbose
        self.env: dict[str, str] = dict(os.environ)  # for runs that pass no env
        self._count = 0
        self._launcher = subprocess.Popen(
            [sys.executable, "-S", "-c", LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def close(self) -> None:
        """Stop the launcher."""
        if self._launcher.stdin:
            self._launcher.stdin.close()
        self._launcher.wait(timeout=10)

    def fresh_dir(self, prefix: str) -> Path:
        """Return a new, empty directory (used as a cold working directory)."""
        self._count += 1
        path = self.workdir / "cwd" / f"{self._count:04d}-{prefix}"
        path.mkdir(parents=True)
        return path

    def run(self, argv: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Sample:
        """Run *argv* in *cwd*; return its wall time and peak RSS.

        stdout and stderr go to files (no pipes to drain, no effect on the
        timing); on failure the tail of stderr is put into the exception.
        """
        self._count += 1
        log = self.workdir / "logs" / f"{self._count:04d}"
        log.parent.mkdir(parents=True, exist_ok=True)
        if self.verbose:
            print(f"    $ (cd {cwd} && {shlex.join(argv)})", file=sys.stderr)
        request = marshal.dumps(
            (
                list(argv),
                str(cwd),
                dict(self.env if env is None else env),
                f"{log}.out",
                f"{log}.err",
                float(self.timeout),
            )
        )
        pipe_in, pipe_out = self._launcher.stdin, self._launcher.stdout
        assert pipe_in is not None and pipe_out is not None
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        pipe_in.write(len(request).to_bytes(8, "little") + request)
        pipe_in.flush()
        size = pipe_out.read(8)
        if len(size) < 8:
            raise CommandFailed("the measuring helper process died")
        seconds, exit_status, max_rss, cpu = marshal.loads(
            pipe_out.read(int.from_bytes(size, "little"))
        )
        if exit_status != 0:
            tail = Path(f"{log}.err").read_text(errors="replace")[-3000:]
            raise CommandFailed(
                f"command failed with exit status {exit_status}:\n"
                f"  (cd {cwd} && {shlex.join(argv)})\n{tail}"
            )
        return Sample(seconds, max_rss * _RSS_UNIT_BYTES // 1024, cpu, load)

    def output(self, argv: Sequence[str]) -> str:
        """Run *argv* unmeasured and return its stdout (for version strings)."""
        done = subprocess.run(
            list(argv), capture_output=True, text=True, timeout=self.timeout, check=False
        )
        lines = (done.stdout or done.stderr).strip().splitlines()
        return lines[0] if done.returncode == 0 and lines else "?"


# --------------------------------------------------------------------------
# What is benchmarked
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class PmkitCommand:
    """A pmkit subcommand benchmarked at every N, cold and warm.

    ``args`` follow the pmkit executable; ``{content}`` is replaced by the
    content folder.  Outputs go to ``out`` inside the working directory.
    """

    name: str
    args: tuple[str, ...]
    writes_output: bool = False

    def argv(self, pmkit: Sequence[str], content: Path) -> list[str]:
        """The full command line for *content*."""
        return [*pmkit, *(a.replace("{content}", str(content)) for a in self.args)]


def pmkit_commands(formats: Sequence[str]) -> list[PmkitCommand]:
    """The per-N pmkit commands: validate, then one export per format.

    To benchmark another exporter, pass it in ``--formats`` (for example
    ``--formats json,moodle,gift``); nothing else needs to change.
    """
    commands = [PmkitCommand("validate", ("validate", "--content", "{content}"))]
    for fmt in formats:
        commands.append(
            PmkitCommand(
                f"export {fmt}",
                ("export", "--format", fmt, "--content", "{content}", "--output", "out"),
                writes_output=True,
            )
        )
    return commands


def find_tool(name: str) -> list[str] | None:
    """Locate a console script, preferring the one beside this interpreter.

    Version-manager shims (pyenv, asdf) add tens of milliseconds of shell
    start-up to every call, which would distort start-up figures, so the real
    script next to ``sys.executable`` is used when it exists.
    """
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which(name)
    return [found] if found else None


def interpreter_of(command: Sequence[str]) -> str:
    """The Python interpreter that *command* runs on (for the yardstick)."""
    first = Path(command[0])
    if first.name.startswith("python"):
        return str(first)
    try:
        with first.open("rb") as f:
            line = f.readline(512).decode("utf-8", "replace")
    except OSError:
        return sys.executable
    if line.startswith("#!"):
        words = line[2:].split()
        if words and Path(words[0]).name.startswith("python") and Path(words[0]).exists():
            return words[0]
    return sys.executable


@dataclass
class Check:
    """A figure compared with its target."""

    what: str
    value: float
    limit: float
    unit: str = "x"  # "x": a ratio; "s": seconds

    @property
    def ok(self) -> bool:
        """Whether the target is met."""
        return self.value <= self.limit

    def label(self) -> str:
        """``<= 0.35x PASS`` style label."""
        return f"<= {self.limit:g}{self.unit} {'PASS' if self.ok else 'MISS'}"

    def shown(self) -> str:
        """The figure in its unit."""
        return fmt_ratio(self.value) if self.unit == "x" else fmt_time(self.value)


# --------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------


def fmt_time(seconds: float) -> str:
    """Human-friendly duration."""
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_ratio(value: float) -> str:
    """A ratio like ``0.42x``, with enough digits to stay non-zero."""
    if value < 0.1:
        return f"{value:.3f}x"
    return f"{value:.2f}x" if value < 10 else f"{value:.1f}x"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> None:
    """Print a plain-text table; *align* has one ``l`` or ``r`` per column."""
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.ljust(w) if a == "l" else c.rjust(w)
            for c, w, a in zip(cells, widths, align, strict=True)
        ]
        return "  " + "  ".join(parts).rstrip()

    print(line(headers))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))


# --------------------------------------------------------------------------
# The benchmark
# --------------------------------------------------------------------------


@dataclass
class Job:
    """One command measured once per round: in a fresh directory each time, or a warm one."""

    result: Result
    cwd: Path | None  # None: a fresh, empty directory per run (cold)
    env: dict[str, str] | None = None


def load_text(samples: Sequence[Sample]) -> str:
    """The 1-minute load average seen before the runs: ``2.1`` or ``1.8-3.4``."""
    loads = [s.load for s in samples]
    low, high = min(loads), max(loads)
    return f"{low:.1f}" if high - low < 0.05 else f"{low:.1f}-{high:.1f}"


class Benchmark:
    """Runs the whole suite and collects results and target checks."""

    def __init__(self, args: argparse.Namespace, runner: Runner) -> None:
        """Resolve the tools to benchmark."""
        self.args = args
        self.runner = runner
        self.pmkit: list[str] = (
            shlex.split(args.pmkit) if args.pmkit else (find_tool("pmkit") or [])
        )
        self.text2qti: list[str] = (
            shlex.split(args.text2qti) if args.text2qti else (find_tool("text2qti") or [])
        )
        self.baseline: list[str] = shlex.split(args.baseline) if args.baseline else []
        if not self.pmkit:
            raise SystemExit("pmkit not found; install it (pip install -e .) or pass --pmkit")
        if not self.text2qti:
            raise SystemExit("text2qti not found; pip install text2qti, or pass --text2qti")
        self.python = interpreter_of(self.pmkit)
        self.commands = pmkit_commands(args.formats)
        env = dict(os.environ)
        env.pop("PMKIT_NO_CACHE", None)  # warm runs must be able to use the cache
        if not args.keep_python_env:
            # Measure installed, byte-compiled behaviour even where the
            # environment disables .pyc files (PYTHONDONTWRITEBYTECODE), and
            # keep the .pyc files out of the source tree: every child reads
            # and writes them under the temporary folder.  The warm-up runs
            # compile; measured runs load the cached byte-code.
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(runner.workdir / "pycache")
        runner.env = env
        # text2qti creates ~/.text2qti.bespon on first use; give it a private
        # HOME so user settings cannot change its work and ~ stays untouched.
        home = runner.workdir / "home"
        home.mkdir()
        self.text2qti_env = {**env, "HOME": str(home)}
        self.results: list[Result] = []
        self.checks: list[Check] = []
        self.scorm: list[dict[str, object]] = []

    # -- helpers -----------------------------------------------------------

    def tools(self) -> list[tuple[str, list[str]]]:
        """The pmkit command lines measured: ("", pmkit) and ("baseline", ...) if given."""
        return [("", self.pmkit)] + ([("baseline", self.baseline)] if self.baseline else [])

    def in_turn(self, jobs: Sequence[Job], rounds: int) -> None:
        """Run every job once per round, in turn; the order reverses every other round.

        Reversing cancels a steady drift (the machine getting busier) between
        the first and the last job of a round; taking ratios pair by pair keeps
        slower swings out of them.
        """
        for i in range(rounds):
            for job in jobs if i % 2 == 0 else list(reversed(jobs)):
                cwd = job.cwd if job.cwd is not None else self.runner.fresh_dir("run")
                job.result.samples.append(self.runner.run(job.result.argv, cwd, job.env))
        self.results.extend(job.result for job in jobs)

    def warm_dir(self, argv: list[str], writes_output: bool = False) -> Path:
        """A working directory primed by one unmeasured run of ``argv``."""
        warm = self.runner.fresh_dir("warm")
        self.runner.run(argv, warm)
        if not (warm / PMKIT_CACHE_DIR).is_dir():
            print(
                f"warning: {shlex.join(argv)} left no {PMKIT_CACHE_DIR}/ in its working "
                "directory; its warm figures are not warm",
                file=sys.stderr,
            )
        out = warm / "out"
        if writes_output and not (out.is_dir() and any(out.iterdir())):
            raise CommandFailed(f"{shlex.join(argv)} wrote nothing into {out}")
        return warm

    def check(self, what: str, value: float, limit: float, unit: str = "x") -> str:
        """Record a target check; return its label for a table."""
        check = Check(what, value, limit, unit)
        self.checks.append(check)
        return check.label()

    # -- sections ----------------------------------------------------------

    def header(self) -> None:
        """Print what is being measured with which versions, and the machine's load."""
        print(
            f"pmkit benchmark: {self.runner.output([*self.pmkit, '--version'])}, "
            f"{self.runner.output([*self.text2qti, '--version'])}, "
            f"Python {platform.python_version()} on {platform.system()} "
            f"{platform.machine()}, {os.cpu_count()} CPUs"
        )
        print(f"  pmkit:    {shlex.join(self.pmkit)}")
        if self.baseline:
            print(
                f"  baseline: {shlex.join(self.baseline)} "
                f"({self.runner.output([*self.baseline, '--version'])})"
            )
        print(f"  text2qti: {shlex.join(self.text2qti)}")
        print(f"  python:   {self.python}")
        if hasattr(os, "getloadavg"):
            print(
                "  load average (1, 5, 15 min) at start: "
                + ", ".join(f"{v:.2f}" for v in os.getloadavg())
            )
        print(
            f"  {self.args.repeat} rounds per size ({self.args.startup_repeat} for start-up), "
            "commands in turn within a round; ratios pair by pair: median (min-max)"
        )
        if self.args.keep_python_env:
            print(
                "  byte-code: environment unchanged "
                f"(PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r})"
            )
        else:
            print("  byte-code: cached under the temporary folder (PYTHONPYCACHEPREFIX)")

    def startup(self) -> None:
        """Start-up beside ``python -c "import click"``, measured in turn."""
        n = self.args.startup_repeat
        click_argv = [self.python, "-c", "import click"]
        bare = Result("startup/python", "python -c pass", [self.python, "-c", "pass"])
        click = Result("startup/import-click", 'python -c "import click"  [yardstick]', click_argv)
        jobs = [Job(bare, None), Job(click, None)]
        rows: list[tuple[Result, float | None, str]] = []
        for tag, tool in self.tools():
            suffix = f"  [{tag}]" if tag else ""
            slug = f"{tag}/" if tag else ""
            validate = [*tool, "validate", "--content", str(BUNDLED_COURSE)]
            for argv in ([*tool, "--version"], [*tool, "--help"], validate):
                for _ in range(self.args.warmup):
                    self.runner.run(argv, self.runner.fresh_dir("warmup"))
            version = Result(
                f"startup/{slug}version", f"pmkit --version{suffix}", [*tool, "--version"]
            )
            helps = Result(f"startup/{slug}help", f"pmkit --help{suffix}", [*tool, "--help"])
            warm = Result(
                f"startup/{slug}validate-bundled-warm",
                f"pmkit validate (bundled course, warm){suffix}",
                validate,
            )
            jobs += [Job(version, None), Job(helps, None), Job(warm, self.warm_dir(validate))]
            rows += [
                (version, TARGET_HELP_VS_CLICK, tag),
                (helps, TARGET_HELP_VS_CLICK, tag),
                (warm, TARGET_VALIDATE_BUNDLED_VS_CLICK, tag),
            ]
        for _ in range(self.args.warmup):
            self.runner.run(click_argv, self.runner.fresh_dir("warmup"))
        self.in_turn(jobs, n)
        samples = [s for job in jobs for s in job.result.samples]
        print(f"\nStart-up (cold: fresh empty cwd each run; {n} rounds; load {load_text(samples)})")
        table = [
            [
                bare.label,
                fmt_time(bare.seconds),
                fmt_time(bare.cpu_seconds),
                f"{bare.rss_mb:.1f} MB",
                Ratio.of(bare, click).text(),
                "",
            ],
            [
                click.label,
                fmt_time(click.seconds),
                fmt_time(click.cpu_seconds),
                f"{click.rss_mb:.1f} MB",
                "1.00x",
                "",
            ],
        ]
        for result, limit, tag in rows:
            ratio = Ratio.of(result, click)
            target = (
                ""
                if tag or limit is None
                else self.check(f"{result.label} vs import click", ratio.median, limit)
            )
            table.append(
                [
                    result.label,
                    fmt_time(result.seconds),
                    fmt_time(result.cpu_seconds),
                    f"{result.rss_mb:.1f} MB",
                    ratio.text(),
                    target,
                ]
            )
        print_table(["command", "time", "CPU", "peak RSS", "vs click", "target"], table, "lrrrrl")

    def size(self, n: int, first: bool) -> dict[str, Result]:
        """All per-N figures: text2qti and every pmkit command, cold and warm, in turn."""
        content = self.runner.workdir / f"n{n}" / "content"
        info = make_content(n, content)
        quiz = content / QUIZ_FILE
        repeat = self.args.repeat
        t2q_argv = [*self.text2qti, str(quiz)]
        warmups = self.args.warmup if first else 0
        for _ in range(warmups):  # byte-compile, fill the OS file cache
            self.runner.run(t2q_argv, self.runner.fresh_dir("warmup"), env=self.text2qti_env)
            for _tag, tool in self.tools():
                for cmd in self.commands:
                    self.runner.run(cmd.argv(tool, content), self.runner.fresh_dir("warmup"))
        t2q = Result(f"n={n}/text2qti", "text2qti quiz.md  [yardstick]", t2q_argv)
        jobs = [Job(t2q, None, self.text2qti_env)]
        by_key: dict[str, Result] = {"text2qti": t2q}
        rows: list[tuple[str, Result, str]] = []
        for tag, tool in self.tools():
            suffix = f"  [{tag}]" if tag else ""
            for cmd in self.commands:
                argv = cmd.argv(tool, content)
                slug = cmd.name.replace(" ", "-")
                key = f"{tag}/{slug}" if tag else slug
                cold = Result(f"n={n}/{key}/cold", f"pmkit {cmd.name}  cold{suffix}", argv)
                warm = Result(f"n={n}/{key}/warm", f"pmkit {cmd.name}  warm{suffix}", argv)
                jobs += [Job(cold, None), Job(warm, self.warm_dir(argv, cmd.writes_output))]
                by_key[f"{key}/cold"], by_key[f"{key}/warm"] = cold, warm
                rows += [(cmd.name, cold, tag), (cmd.name, warm, tag)]
        self.in_turn(jobs, repeat)
        samples = [s for job in jobs for s in job.result.samples]
        print(
            f"\nN = {n:,} questions (knowledge-check.yaml {info.kc_bytes / 1e6:.2f} MB, "
            f"text2qti quiz.md {info.quiz_bytes / 1e6:.2f} MB; {repeat} rounds; "
            f"load {load_text(samples)})"
        )
        table = [
            [
                t2q.label,
                fmt_time(t2q.seconds),
                fmt_time(t2q.cpu_seconds),
                f"{t2q.rss_mb:.1f} MB",
                "1.00x",
                "",
                "1.00x",
                "",
            ]
        ]
        targeted = n >= TARGET_MIN_N
        for name, result, tag in rows:
            ratio = Ratio.of(result, t2q)
            cpu = Ratio.of(result, t2q, "cpu_seconds")
            rss = result.rss_mb / t2q.rss_mb
            is_cold = result.key.endswith("/cold")
            limit = (
                TARGET_WARM_VS_TEXT2QTI
                if not is_cold
                else TARGET_VALIDATE_COLD_VS_TEXT2QTI
                if name == "validate"
                else TARGET_EXPORT_COLD_VS_TEXT2QTI
            )
            target = rss_target = ""
            if targeted and not tag:
                target = self.check(
                    f"N={n:,} {result.label.strip()} vs text2qti", ratio.median, limit
                )
                if is_cold and name == "export moodle":
                    rss_target = self.check(
                        f"N={n:,} peak RSS of {result.label.strip()} vs text2qti",
                        rss,
                        TARGET_RSS_VS_TEXT2QTI,
                    )
            table.append(
                [
                    result.label,
                    fmt_time(result.seconds),
                    fmt_time(result.cpu_seconds),
                    f"{result.rss_mb:.1f} MB",
                    ratio.text(),
                    target,
                    cpu.text(),
                    f"{fmt_ratio(rss)} {rss_target}".rstrip(),
                ]
            )
        print_table(
            [
                "command",
                "time",
                "CPU",
                "peak RSS",
                "vs text2qti",
                "target",
                "CPU vs text2qti",
                "RSS vs text2qti",
            ],
            table,
            "lrrrrlrl",
        )
        if not targeted:
            print(f"  (targets apply from N = {TARGET_MIN_N:,}: below, start-up dominates)")
        return by_key

    def linearity(self, per_size: dict[int, dict[str, Result]]) -> None:
        """CPU(N2)/CPU(N1) for consecutive sizes, against 1.2 x N2/N1 (wall time beside it).

        The target is checked on CPU time: it is the cost, and it stays put
        while other work on a shared machine stretches wall times (a run at
        N = 30,000 lasts long enough to meet a different load than the run
        at 10,000 it is divided by).
        """
        sizes = sorted(per_size)
        if len(sizes) < 2:
            return
        pairs = list(itertools.pairwise(sizes))
        print(
            "\nLinearity (median CPU time at the larger N / at the smaller N, wall time in "
            f"brackets; target <= {TARGET_LINEARITY_SLACK:g} x size ratio, on CPU time)"
        )
        rows = []
        for key, result in per_size[sizes[0]].items():
            label = result.label.replace("  [yardstick]", "")
            row = [label]
            for small, big in pairs:
                ratio = per_size[big][key].cpu_seconds / per_size[small][key].cpu_seconds
                wall = per_size[big][key].seconds / per_size[small][key].seconds
                limit = TARGET_LINEARITY_SLACK * big / small
                if key == "text2qti" or key.startswith("baseline/"):
                    row.append(f"{fmt_ratio(ratio)} [{fmt_ratio(wall)}] (reference)")
                    continue
                check = self.check(f"{label} {small:,}->{big:,} (CPU)", ratio, limit)
                row.append(f"{fmt_ratio(ratio)} [{fmt_ratio(wall)}] {check}")
            rows.append(row)
        headers = ["command", *(f"{a:,} -> {b:,}" for a, b in pairs)]
        print_table(headers, rows, "l" + "r" * len(pairs))

    def scorm_at_scale(self, n: int) -> None:
        """The SCORM package of an N-question course: sizes, load, and every screen opened.

        The package and its ``course-data.js``; in headless Chromium the time from
        navigation to the welcome screen (the package load), and the time each
        screen takes to open, from the click to the screen shown: every screen of
        the walk from welcome to the knowledge check, a knowledge-check screen
        turned, the last one resumed from a saved state, Submit to the feedback,
        its next screen, next steps and finish. Target: the slowest one opens
        in <= 0.3 s. Standalone (no LMS): the app keeps its state in localStorage.
        """
        content = self.runner.workdir / f"n{n}" / "content"
        if not content.is_dir():
            make_content(n, content)
        print(f"\nSCORM 2004 at scale (N = {n:,}, {KC_PER_SCREEN} questions per screen)")
        rows = []
        screens: list[tuple[str, dict[str, float]]] = []
        for tag, tool in self.tools():
            # SCORM 2004: at this size a 1.2 learner's state would not fit in the
            # 4,096 characters of cmi.suspend_data, and pmkit refuses the export.
            argv = [
                *tool,
                "export",
                "--format",
                "scorm",
                "-o",
                "version",
                "2004",
                "--content",
                str(content),
                "--output",
                "out",
            ]
            cwd = self.runner.fresh_dir("scorm")
            sample = self.runner.run(argv, cwd)
            (package,) = (cwd / "out").glob("*.zip")
            with zipfile.ZipFile(package) as zf:
                data_name = next(i for i in zf.namelist() if i.endswith("course-data.js"))
                data_size = zf.getinfo(data_name).file_size
                site = cwd / "site"
                zf.extractall(site)
            figures: dict[str, object] = {
                "tool": tag or "pmkit",
                "n": n,
                "export_seconds": sample.seconds,
                "package_bytes": package.stat().st_size,
                "course_data_bytes": data_size,
            }
            figures.update(open_in_browser(site, self.args.browser_repeat))
            self.scorm.append(figures)
            label = f"pmkit{f'  [{tag}]' if tag else ''}"
            opened = figures.get("screen_open_seconds")
            target = ""
            if isinstance(opened, dict) and opened:
                screens.append((label, opened))
                slowest = max(opened.values())
                if not tag:
                    target = self.check(
                        f"slowest screen of the {n:,}-question SCORM package",
                        slowest,
                        TARGET_SCREEN_OPEN_SECONDS,
                        "s",
                    )
            rows.append(
                [
                    label,
                    fmt_time(sample.seconds),
                    f"{figures['package_bytes'] / 1e6:.2f} MB",  # type: ignore[operator]
                    f"{data_size / 1e6:.1f} MB",
                    *browser_cells(figures),
                    target,
                ]
            )
        print_table(
            [
                "package of",
                "export",
                "zip",
                "course-data.js",
                "load",
                "slowest screen",
                "elements",
                "JS heap",
                "target",
            ],
            rows,
            "lrrrrrrrl",
        )
        if screens:
            names = list(screens[0][1])
            print_table(
                ["screen opened", *(label for label, _ in screens)],
                [
                    [name, *(fmt_time(o[name]) if name in o else "-" for _, o in screens)]
                    for name in names
                ],
                "l" + "r" * len(screens),
            )
        print(
            "  (load: navigation to the welcome screen; a screen: from the click to the next "
            "frame drawn, timed in the page; medians in headless Chromium; elements and heap "
            "on the knowledge check's feedback)"
        )

    def summary(self) -> int:
        """Print PASS/MISS counts; return the number of misses."""
        misses = [c for c in self.checks if not c.ok]
        print(f"\nTargets: {len(self.checks) - len(misses)} PASS, {len(misses)} MISS")
        for c in misses:
            print(f"  MISS  {c.what}: {c.shown()} (target <= {c.limit:g}{c.unit})")
        if hasattr(os, "getloadavg"):
            print(
                "load average (1, 5, 15 min) at the end: "
                + ", ".join(f"{v:.2f}" for v in os.getloadavg())
            )
        return len(misses)


def browser_cells(figures: dict[str, object]) -> list[str]:
    """The browser columns of the SCORM table (or why they are missing)."""
    if "browser_skipped" in figures:
        return [str(figures["browser_skipped"]), "", "", ""]
    heap = figures.get("js_heap_bytes")
    opened: dict[str, float] = figures["screen_open_seconds"]  # type: ignore[assignment]
    name = max(opened, key=lambda k: opened[k])
    return [
        fmt_time(float(figures["load_seconds"])),  # type: ignore[arg-type]
        f"{fmt_time(opened[name])} ({name})",
        f"{figures['elements']:,}",
        f"{float(heap) / 1e6:.0f} MB" if heap else "?",  # type: ignore[arg-type]
    ]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


#: True once the screen shown is no longer ``s``.
SCREEN_CHANGED = "s => document.querySelector('#main > section[data-screen]').dataset.screen !== s"
#: Answer the first unanswered group of choices on the screen (the starting point
#: needs an answer, and may ask a follow-up); True if one was answered.
ANSWER_ONE_GROUP = """() => {
  const groups = new Map();
  for (const input of document.querySelectorAll('#main input[type=radio]')) {
    if (!input.offsetParent) continue;
    if (!groups.has(input.name)) groups.set(input.name, []);
    groups.get(input.name).push(input);
  }
  for (const inputs of groups.values()) {
    if (!inputs.some(i => i.checked)) { inputs[0].click(); return true; }
  }
  return false;
}"""


#: Click an element and resolve with the seconds until the frame after it is drawn
#: (the app's work, style, layout and paint; not the automation's round trips).
CLICK_TO_NEXT_FRAME = """(selector) => new Promise((resolve) => {
  const start = performance.now();
  document.querySelector(selector).click();
  requestAnimationFrame(() => setTimeout(() => resolve((performance.now() - start) / 1000), 0));
})"""
#: A saved state on the knowledge check's last screen, every question answered.
LAST_SCREEN_STATE = """() => {
  const P = PMKIT_PACKAGE;
  const s = pmkitApp.decodeState(pmkitApp.encodeState(pmkitApp.state()));
  for (const q of P.course.knowledge_check.questions) {
    if (q.type === "single") s.answers[q.id] = q.options[0].id;
    else if (q.type === "multiple") s.answers[q.id] = [q.options[0].id];
    else if (q.type === "true-false") s.answers[q.id] = true;
    else if (q.type === "matching") {
      s.answers[q.id] = {};
      for (const p of q.pairs) s.answers[q.id][p.id] = p.id;
    } else if (q.type === "ordering") s.answers[q.id] = q.items.map(i => i.id);
  }
  s.screen = pmkitApp.screens().indexOf("knowledge-check");
  const kc = P.course.knowledge_check;
  s.page = Math.ceil(kc.questions.length / (kc.questions_per_screen || kc.questions.length)) - 1;
  return [P.scorm.storageKey, pmkitApp.encodeState(s)];
}"""
#: Answer every question shown on the knowledge-check screen.
ANSWER_SCREEN = """() => {
  const seen = new Set();
  for (const input of document.querySelectorAll('#main .kc-question input')) {
    if (!seen.has(input.name)) { seen.add(input.name); input.click(); }
  }
}"""


def open_in_browser(site: Path, repeat: int) -> dict[str, object]:
    """Load the extracted package in headless Chromium ``repeat`` times; median figures."""
    if repeat < 1:
        return {"browser_skipped": "skipped (--browser-repeat 0)"}
    try:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"browser_skipped": "skipped: pip install playwright"}
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        return {"browser_skipped": f"skipped: no Chromium at {CHROMIUM} (PMKIT_CHROMIUM)"}
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    screen = "#main > section[data-screen]"
    loads: list[float] = []
    opens: dict[str, list[float]] = {}
    elements = heap = 0

    def timed(page: Any, name: str, button: str, shown: str) -> None:
        """Click ``button`` in the page; record the time to the next frame; check
        ``shown`` is then visible."""
        opens.setdefault(name, []).append(page.evaluate(CLICK_TO_NEXT_FRAME, button))
        page.wait_for_selector(shown, state="visible", timeout=5_000)

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--enable-precise-memory-info",
                ],
            )
            try:
                for _ in range(repeat):
                    context = browser.new_context()  # fresh localStorage: starts at welcome
                    page = context.new_page()
                    page.set_default_timeout(120_000)

                    start = time.perf_counter()
                    page.goto(url)
                    page.wait_for_selector(f'{screen}[data-screen="welcome"]')
                    loads.append(time.perf_counter() - start)
                    for _ in range(100):
                        shown = page.get_attribute(screen, "data-screen")
                        if shown == "knowledge-check":
                            break
                        seconds = page.evaluate(CLICK_TO_NEXT_FRAME, "#btn-next")
                        try:
                            page.wait_for_function(SCREEN_CHANGED, arg=shown, timeout=5_000)
                        except PlaywrightTimeout:
                            page.evaluate(ANSWER_ONE_GROUP)  # a screen that needs an answer
                            continue
                        now = page.get_attribute(screen, "data-screen")
                        opens.setdefault(str(now), []).append(seconds)
                    else:
                        raise RuntimeError("could not walk to the knowledge-check screen")
                    page.evaluate(ANSWER_SCREEN)
                    timed(
                        page,
                        "knowledge check, next screen",
                        "#kc-next",
                        "#kc-progress:has-text('Screen 2 of')",
                    )
                    key, state = page.evaluate(LAST_SCREEN_STATE)
                    # Leave the app first (it saves its own state as it goes), then put
                    # the saved state in place from another page of the same origin.
                    page.goto(url.replace("index.html", "imsmanifest.xml"))
                    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, state])
                    start = time.perf_counter()
                    page.goto(url)
                    page.wait_for_selector("#kc-submit", state="visible")
                    opens.setdefault("(reload on the last check screen, with load)", []).append(
                        time.perf_counter() - start
                    )
                    timed(
                        page,
                        "Submit: result and feedback",
                        "#kc-submit",
                        "#kc-result",
                    )
                    elements = page.evaluate("document.getElementsByTagName('*').length")
                    heap = page.evaluate(
                        "performance.memory ? performance.memory.usedJSHeapSize : 0"
                    )
                    if page.locator("#kc-review-next").count():
                        timed(
                            page,
                            "feedback, next screen",
                            "#kc-review-next",
                            "#kc-review-heading:has-text('Questions 51')",
                        )
                    timed(page, "next-steps", "#btn-next", '[data-screen="next-steps"]')
                    timed(page, "finish", "#btn-next", '[data-screen="finish"]')
                    context.close()
            finally:
                browser.close()
    except Exception as exc:  # a changed app or a broken browser: report, do not fail
        return {"browser_skipped": f"failed: {type(exc).__name__}: {str(exc)[:200]}"}
    finally:
        server.shutdown()
        server.server_close()
    medians = {name: statistics.median(values) for name, values in opens.items()}
    reload_name = "(reload on the last check screen, with load)"
    return {
        "load_seconds": statistics.median(loads),
        "screen_open_seconds": {k: v for k, v in medians.items() if k != reload_name},
        "resume_last_screen_seconds": medians.get(reload_name),
        "elements": elements,
        "js_heap_bytes": heap,
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""

    def int_list(text: str) -> list[int]:
        values = sorted({int(v.replace("_", "")) for v in text.split(",") if v.strip()})
        if not values or values[0] < 1:
            raise argparse.ArgumentTypeError("sizes must be positive integers")
        return values

    def name_list(text: str) -> list[str]:
        return [v.strip() for v in text.split(",") if v.strip()]

    parser = argparse.ArgumentParser(
        description="Benchmark pmkit against text2qti and `python -c 'import click'`."
    )
    parser.add_argument(
        "--sizes",
        type=int_list,
        default=[100, 1000, 10000, 30000],
        help="comma-separated question counts (default 100,1000,10000,30000)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds (measured runs per figure; default 3)"
    )
    parser.add_argument(
        "--scorm-sizes",
        type=lambda text: [] if text.strip() in ("", "0") else int_list(text),
        default=[10000],
        help="question counts for the SCORM-at-scale figures (default 10000; 0 skips them)",
    )
    parser.add_argument(
        "--browser-repeat",
        type=int,
        default=3,
        help="Chromium loads per SCORM figure (default 3; 0 skips the browser)",
    )
    parser.add_argument(
        "--baseline",
        metavar="CMD",
        help="another pmkit command line (e.g. an older checkout's) measured in the same "
        "rounds, for before/after figures",
    )
    parser.add_argument(
        "--startup-repeat",
        type=int,
        default=10,
        help="measured runs per start-up figure (default 10)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=1,
        help="discarded runs of each command before measuring (default 1)",
    )
    parser.add_argument(
        "--formats",
        type=name_list,
        default=["json", "moodle", "gift"],
        help="comma-separated export formats to benchmark (default json,moodle,gift: the "
        "formats comparable with text2qti's question-bank export)",
    )
    parser.add_argument("--pmkit", help="pmkit command line (default: the pmkit script)")
    parser.add_argument("--text2qti", help="text2qti command line (default: the script)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=900,
        help="seconds before a single run is killed (default 900)",
    )
    parser.add_argument(
        "--keep-python-env",
        action="store_true",
        help="do not touch PYTHONDONTWRITEBYTECODE / PYTHONPYCACHEPREFIX for the children",
    )
    parser.add_argument(
        "--json",
        type=Path,
        metavar="PATH",
        help="also write every sample and check to PATH as JSON",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directory (content, logs, outputs)"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when any target is missed"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="print every command as it runs"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.startup_repeat < 1 or args.warmup < 0:
        parser.error("--repeat and --startup-repeat must be >= 1, --warmup >= 0")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 0 = done, 1 = target missed (--strict), 2 = failure."""
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="pmkit-bench-"))
    runner = Runner(workdir, args.timeout, args.verbose)  # before content grows us
    status = 0
    try:
        bench = Benchmark(args, runner)
        bench.header()
        bench.startup()
        per_size = {n: bench.size(n, first=i == 0) for i, n in enumerate(args.sizes)}
        bench.linearity(per_size)
        for n in args.scorm_sizes:
            bench.scorm_at_scale(n)
        misses = bench.summary()
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "pmkit": bench.pmkit,
                        "text2qti": bench.text2qti,
                        "python": bench.python,
                        "baseline": bench.baseline,
                        "scorm": bench.scorm,
                        "results": [
                            {
                                **asdict(r),
                                "median_seconds": r.seconds,
                                "median_cpu_seconds": r.cpu_seconds,
                                "median_rss_mb": r.rss_mb,
                            }
                            for r in bench.results
                        ],
                        "checks": [{**asdict(c), "ok": c.ok} for c in bench.checks],
                    },
                    indent=2,
                )
                + "\n"
            )
        if misses and args.strict:
            status = 1
    except CommandFailed as exc:
        print(f"\nerror: {exc}", file=sys.stderr)
        status = 2
    except KeyboardInterrupt:
        status = 130
    finally:
        runner.close()
        if args.keep or status == 2:
            print(f"\n(temporary files kept in {workdir})", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
