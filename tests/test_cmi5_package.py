"""The cmi5 package (``--format cmi5``): its ``cmi5.xml`` against the cmi5 course
structure XSD, the exporter contract, determinism, options, and the interaction
definitions built from the same table as the SCORM runtimes.

The XSD is a reference file no registry ships; it is read in place through
``tests/reference_schemas.py`` (skipped with a reason in a fresh clone, a failure
in CI).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner
from lxml import etree
from reference_schemas import reference_file

from pmkit.cli import cli
from pmkit.content.load import load_course
from pmkit.pluginhost.host import load_plugins
from pmkit.testing import ExporterContract
from pmkit_builtins.scorm.cmi5 import MOVE_ON, interaction_definitions
from pmkit_builtins.scorm.interactions import compact_question_data, question_data

REPO = Path(__file__).resolve().parent.parent
NS = {"c": "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"}
_EXPORTERS = load_plugins(entry_points=False).exporters


# The default options are covered in test_exporter_contract.py (with every built-in).
class TestCmi5MoveOnCompleted(ExporterContract):
    exporter_class = _EXPORTERS["cmi5"].obj
    exporter_options: ClassVar[dict[str, Any]] = {"move_on": "Completed", "mastery": 65}


def export(dest: Path, *options: str) -> bytes:
    """``pmkit export --format cmi5`` of the bundled course, the zip's bytes."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PMKIT_NO_CACHE", "1")
        result = CliRunner().invoke(
            cli,
            ["export", "-f", "cmi5", "-c", str(REPO / "content"), "-d", str(dest), *options],
            catch_exceptions=False,
        )
    assert result.exit_code == 0, result.output
    return (dest / "pm-career-paths-cmi5.zip").read_bytes()


def member(package: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        return zf.read(name)


def package_data(package: bytes) -> dict[str, Any]:
    text = member(package, "course-data.js").decode("ascii")
    return json.loads(text.removeprefix("var PMKIT_PACKAGE = ").rstrip().removesuffix(";"))


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return export(tmp_path_factory.mktemp("cmi5"))


def test_cmi5_xml_is_valid_against_the_course_structure_xsd(package: bytes) -> None:
    schema = etree.XMLSchema(etree.parse(str(reference_file("cmi5", "CourseStructure.xsd"))))
    doc = etree.fromstring(member(package, "cmi5.xml"))
    assert schema.validate(doc), schema.error_log
    # a broken document is refused: the check can fail
    au = doc.find("c:au", NS)
    assert au is not None
    au.set("moveOn", "Whenever")
    assert not schema.validate(doc)


def test_one_au_with_the_course_pass_mark_and_completed_and_passed(package: bytes) -> None:
    course = load_course(REPO / "content").course
    doc = etree.fromstring(member(package, "cmi5.xml"))
    aus = doc.findall("c:au", NS)
    assert len(aus) == 1
    au = aus[0]
    assert au.get("moveOn") == "CompletedAndPassed"
    assert au.get("launchMethod") == "AnyWindow"
    assert float(au.get("masteryScore") or "nan") == course.mastery / 100
    assert au.findtext("c:url", namespaces=NS) == "index.html"
    assert doc.find("c:course", NS).get("id") == f"urn:pmkit:{course.id}"  # type: ignore[union-attr]
    assert au.findtext("c:title/c:langstring", namespaces=NS) == course.title
    # every file the AU needs is in the zip, and the SCORM manifest is not
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        names = set(zf.namelist())
    assert {"index.html", "app.js", "app.css", "course-data.js", "scorm-runtime.js"} <= names
    assert "imsmanifest.xml" not in names
    runtime = member(package, "scorm-runtime.js").decode("utf-8")
    assert "scorm-runtime.js for cmi5" in runtime and "API_1484_11" not in runtime


@pytest.mark.parametrize("move_on", MOVE_ON)
def test_move_on_and_mastery_options(tmp_path: Path, move_on: str) -> None:
    package = export(tmp_path, "-o", "move_on", move_on, "-o", "mastery", "65")
    au = etree.fromstring(member(package, "cmi5.xml")).find("c:au", NS)
    assert au is not None
    assert au.get("moveOn") == move_on
    assert au.get("masteryScore") == "0.65"
    assert package_data(package)["mastery"] == 65


def test_an_unknown_move_on_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "export",
            "-f",
            "cmi5",
            "-c",
            str(REPO / "content"),
            "-d",
            str(tmp_path),
            "-o",
            "move_on",
            "Sometimes",
        ],
    )
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "pm-career-paths-cmi5.zip").exists()


def test_the_package_is_byte_identical_twice(tmp_path: Path, package: bytes) -> None:
    assert export(tmp_path / "again") == package


def test_definitions_come_from_the_scorm_interaction_table(package: bytes) -> None:
    course = load_course(REPO / "content").course
    table = question_data(course, "2004")
    data = package_data(package)
    # course-data.js holds the table compact; the app puts back the rest.
    assert data["scorm"]["questions"] == compact_question_data(course, "2004", table)["questions"]
    definitions = data["cmi5"]["definitions"]
    assert definitions == interaction_definitions(course)
    assert set(definitions) == set(table)
    for qid, d in definitions.items():
        assert d["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
        assert d["interactionType"] == table[qid]["type"]
        if table[qid]["correct"] is None:
            assert "correctResponsesPattern" not in d
        else:
            assert d["correctResponsesPattern"] == [table[qid]["correct"]]
        if d["interactionType"] in ("choice", "sequencing"):
            assert [c["id"] for c in d["choices"]] == list(table[qid]["tokens"].values())
        if d["interactionType"] == "matching":
            assert [c["id"] for c in d["source"]] == list(table[qid]["tokens"].values())
            assert {c["id"] for c in d["target"]} == set(table[qid]["targets"].values())


def test_ci_runs_the_readme_test_command_which_installs_ralph() -> None:
    """`.ci/run` is the README's test command, byte for byte, and it makes Ralph's
    virtualenv (the cmi5 LRS tests fail in CI without it)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = readme.split("```sh\n")
    test_line = blocks[2].split("\n```", 1)[0]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").rstrip("\n").splitlines()
    assert ci[-1] == test_line
    assert "python -m venv .venv-ralph && .venv-ralph/bin/pip install" in test_line
    assert test_line.endswith("&& python -m pytest")
