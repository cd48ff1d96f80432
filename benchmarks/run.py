#!/usr/bin/env python3
"""Benchmark the pmkit CLI against yardsticks measured in the same run.

Usage::

    python benchmarks/run.py [--sizes 100,1000,10000] [--repeat 3]
                             [--formats json] [--json results.json]

Every figure is the median of several runs of a subprocess: wall time from
``time.perf_counter()`` around the child's whole life, peak memory from the
child's own ``ru_maxrss`` as returned by ``os.wait4``.  Each pmkit figure is
printed beside a yardstick measured in the same invocation, with its ratio and
a PASS/MISS label against the project's targets:

* startup: cold ``pmkit --help`` <= 2x ``python -c "import click"``;
* per N: cold ``pmkit validate`` / ``pmkit export`` <= 1.0x ``text2qti`` on
  the same N questions, warm runs (cache present, content unchanged) <= 0.2x;
* linearity: time(N2)/time(N1) <= 1.2 x (N2/N1), i.e. <= 12x from 1k to 10k.

"Cold" means a fresh, empty working directory (so no ``.pmkit-cache/``);
"warm" means the same working directory after one unmeasured priming run.
Generated content lives under a temporary directory, never in the repository.

Only the standard library and PyYAML (through make_content) are used.
"""

from __future__ import annotations

import argparse
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
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_content import QUIZ_FILE, make_content  # noqa: E402

PMKIT_CACHE_DIR = ".pmkit-cache"  # pmkit's validation cache, in the cwd
TARGET_HELP_VS_CLICK = 2.0
TARGET_COLD_VS_TEXT2QTI = 1.0
TARGET_WARM_VS_TEXT2QTI = 0.2
TARGET_LINEARITY_SLACK = 1.2  # allowed time ratio = slack * size ratio


# --------------------------------------------------------------------------
# Measuring one process
# --------------------------------------------------------------------------


@dataclass
class Sample:
    """One measured run."""

    seconds: float
    max_rss_kib: int


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
    def rss_mb(self) -> float:
        """Median peak resident set size in MB (10^6 bytes)."""
        return statistics.median(s.max_rss_kib for s in self.samples) * 1024 / 1e6


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
    reply = marshal.dumps((seconds, os.waitstatus_to_exitcode(status), usage.ru_maxrss))
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
        pipe_in.write(len(request).to_bytes(8, "little") + request)
        pipe_in.flush()
        size = pipe_out.read(8)
        if len(size) < 8:
            raise CommandFailed("the measuring helper process died")
        seconds, exit_status, max_rss = marshal.loads(pipe_out.read(int.from_bytes(size, "little")))
        if exit_status != 0:
            tail = Path(f"{log}.err").read_text(errors="replace")[-3000:]
            raise CommandFailed(
                f"command failed with exit status {exit_status}:\n"
                f"  (cd {cwd} && {shlex.join(argv)})\n{tail}"
            )
        return Sample(seconds, max_rss * _RSS_UNIT_BYTES // 1024)

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

    @property
    def ok(self) -> bool:
        """Whether the target is met."""
        return self.value <= self.limit

    def label(self) -> str:
        """``<= 2.0x PASS`` style label."""
        return f"<= {self.limit:.1f}x {'PASS' if self.ok else 'MISS'}"


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

    # -- helpers -----------------------------------------------------------

    def _measure(
        self,
        key: str,
        label: str,
        argv: list[str],
        cwd_for_run: list[Path],
        env: dict[str, str] | None = None,
    ) -> Result:
        """Run *argv* once per directory in *cwd_for_run*; return the result."""
        result = Result(key, label, argv)
        for cwd in cwd_for_run:
            result.samples.append(self.runner.run(argv, cwd, env))
        self.results.append(result)
        return result

    def _cold_dirs(self, prefix: str, count: int) -> list[Path]:
        return [self.runner.fresh_dir(prefix) for _ in range(count)]

    # -- sections ----------------------------------------------------------

    def header(self) -> None:
        """Print what is being measured with which versions."""
        print(
            f"pmkit benchmark: {self.runner.output([*self.pmkit, '--version'])}, "
            f"{self.runner.output([*self.text2qti, '--version'])}, "
            f"Python {platform.python_version()} on {platform.system()} "
            f"{platform.machine()}, {os.cpu_count()} CPUs"
        )
        print(f"  pmkit:    {shlex.join(self.pmkit)}")
        print(f"  text2qti: {shlex.join(self.text2qti)}")
        print(f"  python:   {self.python}")
        print(
            f"  medians of {self.args.repeat} runs per figure "
            f"({self.args.startup_repeat} for start-up), peak RSS = child's ru_maxrss"
        )
        if self.args.keep_python_env:
            print(
                "  byte-code: environment unchanged "
                f"(PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r})"
            )
        else:
            print("  byte-code: cached under the temporary folder (PYTHONPYCACHEPREFIX)")

    def startup(self) -> None:
        """Cold start-up of pmkit beside ``python -c "import click"``."""
        n = self.args.startup_repeat
        print(f"\nStart-up (cold: fresh empty cwd each run; median of {n})")
        for argv in (
            [self.python, "-c", "import click"],
            [*self.pmkit, "--version"],
            [*self.pmkit, "--help"],
        ):
            for _ in range(self.args.warmup):
                self.runner.run(argv, self.runner.fresh_dir("warmup"))
        bare = self._measure(
            "startup/python",
            "python -c pass",
            [self.python, "-c", "pass"],
            self._cold_dirs("python", n),
        )
        click = self._measure(
            "startup/import-click",
            'python -c "import click"  [yardstick]',
            [self.python, "-c", "import click"],
            self._cold_dirs("click", n),
        )
        version = self._measure(
            "startup/version",
            "pmkit --version",
            [*self.pmkit, "--version"],
            self._cold_dirs("version", n),
        )
        helps = self._measure(
            "startup/help", "pmkit --help", [*self.pmkit, "--help"], self._cold_dirs("help", n)
        )
        check = Check(
            "cold pmkit --help vs import click", helps.seconds / click.seconds, TARGET_HELP_VS_CLICK
        )
        self.checks.append(check)
        rows = []
        for r, target in ((bare, ""), (click, ""), (version, ""), (helps, check.label())):
            rows.append(
                [
                    r.label,
                    fmt_time(r.seconds),
                    f"{r.rss_mb:.1f} MB",
                    fmt_ratio(r.seconds / click.seconds),
                    target,
                ]
            )
        print_table(["command", "time", "peak RSS", "vs click", "target"], rows, "lrrrl")

    def size(self, n: int, first: bool) -> dict[str, Result]:
        """All per-N figures: text2qti, then each pmkit command cold and warm."""
        content = self.runner.workdir / f"n{n}" / "content"
        info = make_content(n, content)
        quiz = content / QUIZ_FILE
        print(
            f"\nN = {n:,} questions (knowledge-check.yaml {info.kc_bytes / 1e6:.2f} MB, "
            f"text2qti quiz.md {info.quiz_bytes / 1e6:.2f} MB; median of {self.args.repeat})"
        )
        repeat = self.args.repeat
        t2q_argv = [*self.text2qti, str(quiz)]
        warmups = self.args.warmup if first else 0
        for _ in range(warmups):  # byte-compile, fill the OS file cache
            self.runner.run(t2q_argv, self.runner.fresh_dir("warmup"), env=self.text2qti_env)
            for cmd in self.commands:
                self.runner.run(cmd.argv(self.pmkit, content), self.runner.fresh_dir("warmup"))
        by_key: dict[str, Result] = {}
        t2q = self._measure(
            f"n={n}/text2qti",
            "text2qti quiz.md  [yardstick]",
            t2q_argv,
            self._cold_dirs("text2qti", repeat),
            env=self.text2qti_env,
        )
        by_key["text2qti"] = t2q
        rows = [[t2q.label, fmt_time(t2q.seconds), f"{t2q.rss_mb:.1f} MB", "1.00x", ""]]
        for cmd in self.commands:
            argv = cmd.argv(self.pmkit, content)
            slug = cmd.name.replace(" ", "-")
            cold = self._measure(
                f"n={n}/{slug}/cold", f"pmkit {cmd.name}  cold", argv, self._cold_dirs(slug, repeat)
            )
            warm_dir = self.runner.fresh_dir(f"{slug}-warm")
            self.runner.run(argv, warm_dir)  # priming run: fills .pmkit-cache
            if not (warm_dir / PMKIT_CACHE_DIR).is_dir():
                print(
                    f"warning: {shlex.join(argv)} left no {PMKIT_CACHE_DIR}/ in its working "
                    "directory; the warm figures below are not warm",
                    file=sys.stderr,
                )
            out = warm_dir / "out"
            if cmd.writes_output and not (out.is_dir() and any(out.iterdir())):
                raise CommandFailed(f"{shlex.join(argv)} wrote nothing into {out}")
            warm = self._measure(
                f"n={n}/{slug}/warm", f"pmkit {cmd.name}  warm", argv, [warm_dir] * repeat
            )
            by_key[f"{slug}/cold"] = cold
            by_key[f"{slug}/warm"] = warm
            for result, limit, mode in (
                (cold, TARGET_COLD_VS_TEXT2QTI, "cold"),
                (warm, TARGET_WARM_VS_TEXT2QTI, "warm"),
            ):
                check = Check(
                    f"N={n:,} {mode} pmkit {cmd.name} vs text2qti",
                    result.seconds / t2q.seconds,
                    limit,
                )
                self.checks.append(check)
                rows.append(
                    [
                        result.label,
                        fmt_time(result.seconds),
                        f"{result.rss_mb:.1f} MB",
                        fmt_ratio(check.value),
                        check.label(),
                    ]
                )
        print_table(["command", "time", "peak RSS", "vs text2qti", "target"], rows, "lrrrl")
        return by_key

    def linearity(self, per_size: dict[int, dict[str, Result]]) -> None:
        """time(N2)/time(N1) for consecutive sizes, against 1.2 x N2/N1."""
        sizes = sorted(per_size)
        if len(sizes) < 2:
            return
        pairs = list(itertools.pairwise(sizes))
        print(
            "\nLinearity (time at the larger N / time at the smaller N; "
            f"target <= {TARGET_LINEARITY_SLACK:g} x size ratio)"
        )
        rows = []
        for key, result in per_size[sizes[0]].items():
            label = result.label.replace("  [yardstick]", "")
            row = [label]
            for small, big in pairs:
                ratio = per_size[big][key].seconds / per_size[small][key].seconds
                limit = TARGET_LINEARITY_SLACK * big / small
                if key == "text2qti":
                    row.append(f"{fmt_ratio(ratio)} (reference)")
                    continue
                check = Check(f"{label} {small:,}->{big:,}", ratio, limit)
                self.checks.append(check)
                row.append(f"{fmt_ratio(ratio)} {check.label()}")
            rows.append(row)
        headers = ["command", *(f"{a:,} -> {b:,}" for a, b in pairs)]
        print_table(headers, rows, "l" + "r" * len(pairs))

    def summary(self) -> int:
        """Print PASS/MISS counts; return the number of misses."""
        misses = [c for c in self.checks if not c.ok]
        print(f"\nTargets: {len(self.checks) - len(misses)} PASS, {len(misses)} MISS")
        for c in misses:
            print(f"  MISS  {c.what}: {fmt_ratio(c.value)} (target <= {c.limit:.1f}x)")
        return len(misses)


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
        default=[100, 1000, 10000],
        help="comma-separated question counts (default 100,1000,10000)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="measured runs per figure (default 3)"
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
        misses = bench.summary()
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "pmkit": bench.pmkit,
                        "text2qti": bench.text2qti,
                        "python": bench.python,
                        "results": [
                            {**asdict(r), "median_seconds": r.seconds, "median_rss_mb": r.rss_mb}
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
