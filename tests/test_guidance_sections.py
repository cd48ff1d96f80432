"""Optional guidance and sections of the course's own, through validation and every format.

Two generated courses (tests/course_shapes.py): ``own`` leaves out the tracks
introduction, the first steps and the closing advice and places a section of
its own at every place; ``none`` has a guidance file with nothing but its
kind. Each format must show the course's sections where their ``place`` says
and nothing of what is left out: no empty heading, no blank screen.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from course_shapes import OWN_LEFT_OUT, OWN_SECTIONS, SHAPES, Shape, own_heading, write_course

import pmkit
from pmkit.content.sections import LABELS

RunCli = Callable[..., Result]
SHAPE = {s.name: s for s in SHAPES}
OWN = SHAPE["two-tracks-own-sections"]
NONE = SHAPE["six-tracks-no-guidance"]
BUNDLED = Path(__file__).resolve().parent.parent / "content"
#: The page each place closes (pmkit.course_sections ids).
PAGE_OF = {
    "introduction": "introduction",
    "tracks": "tracks",
    "decision-tree": "decision-tree",
    "future": "future",
    None: "next-steps",
}


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("guidance")
    return {s.name: write_course(s, root / s.name) for s in (OWN, NONE)}


def _course(folders: dict[str, Path], shape: Shape) -> pmkit.Course:
    return pmkit.load_course(folders[shape.name]).course


def _headings(section: pmkit.CourseSection) -> list[str]:
    return [b.text for b in section.blocks if isinstance(b, pmkit.HeadingBlock)]


# --------------------------------------------------------------------------- the model


def test_left_out_parts_are_none_and_sections_keep_their_order(folders: dict[str, Path]) -> None:
    course = _course(folders, OWN)
    g = course.guidance
    for name in OWN_LEFT_OUT:
        assert getattr(g, name) is None, name
    assert g.future is not None and g.continuous_growth is not None
    assert [s.id for s in g.sections] == list(OWN_SECTIONS)
    assert [s.place for s in g.sections] == [p or "next-steps" for p in OWN_SECTIONS.values()]
    assert g.placed("tracks") == (g.sections[1],)
    bare = _course(folders, NONE).guidance
    assert (bare.tracks_intro, bare.future, bare.first_steps, bare.closing) == (None,) * 4
    assert bare.sections == ()


def test_the_bundled_course_has_every_part_and_exports_no_sections_field() -> None:
    course = pmkit.load_course(BUNDLED).course
    assert course.guidance.sections == ()
    assert "sections" not in pmkit.to_data(course)["guidance"]


def test_json_export_validates_and_round_trips_through_new_from_json(
    folders: dict[str, Path], run_cli: RunCli, tmp_path: Path
) -> None:
    import jsonschema

    schema = json.loads(run_cli("schema").stdout)
    for shape in (OWN, NONE):
        out = tmp_path / f"json-{shape.name}"
        result = run_cli("export", "-q", "-f", "json", "-c", str(folders[shape.name]), "-d", out)
        assert result.exit_code == 0, result.output
        exported = next(out.glob("*.json"))
        document = json.loads(exported.read_text(encoding="utf-8"))
        jsonschema.validate(document, schema)
        guidance = document["course"]["guidance"]
        assert ("sections" in guidance) is (shape is OWN)
        again = tmp_path / f"again-{shape.name}"
        assert run_cli("new", str(again), "--from-json", str(exported)).exit_code == 0
        written = yaml.safe_load((again / "guidance.yaml").read_text(encoding="utf-8"))
        assert not set(OWN_LEFT_OUT) & written.keys()
        first = pmkit.to_data(pmkit.load_course(folders[shape.name]).course)
        assert pmkit.to_data(pmkit.load_course(again).course) == first


# --------------------------------------------------------------------------- validation


def _broken(
    folders: dict[str, Path], tmp_path: Path, edit: Callable[[dict[str, Any]], None]
) -> Path:
    import shutil

    folder = tmp_path / "broken"
    shutil.copytree(folders[OWN.name], folder)
    path = folder / "guidance.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


def test_a_section_on_the_future_page_of_a_course_without_future_is_refused(
    folders: dict[str, Path], tmp_path: Path, run_cli: RunCli
) -> None:
    folder = _broken(folders, tmp_path, lambda d: d.pop("future"))
    result = run_cli("validate", "--content", str(folder))
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if "own-future" in x)
    # file:line:column of the `place` key, and what to do about it
    assert re.search(r"guidance\.yaml:\d+:\d+: .*no `future` guidance; add `future`", line), line
    text = (folder / "guidance.yaml").read_text(encoding="utf-8").splitlines()
    number = int(line.split("guidance.yaml:")[1].split(":")[0])
    assert text[number - 1].strip().startswith("place: future")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["sections"][0].update(place="closing"), "allowed: introduction, tracks"),
        (lambda d: d["sections"][0].pop("text"), "missing required field `text`"),
        (lambda d: d["sections"][1].update(id="own-welcome"), "id `own-welcome` is already used"),
        (lambda d: d["sections"][0].update(heading=""), "must not be empty"),
    ],
    ids=["unknown-place", "no-text", "duplicate-id", "empty-heading"],
)
def test_broken_sections_are_reported_in_the_authors_terms(
    folders: dict[str, Path],
    tmp_path: Path,
    run_cli: RunCli,
    edit: Callable[[dict[str, Any]], None],
    message: str,
) -> None:
    result = run_cli("validate", "--content", str(_broken(folders, tmp_path, edit)))
    assert result.exit_code == 1
    assert message in result.output, result.output


# --------------------------------------------------------------------------- pmkit.course_sections


def test_each_own_section_closes_the_page_its_place_names(folders: dict[str, Path]) -> None:
    pages = {p.id: p for p in pmkit.course_sections(_course(folders, OWN))}
    for section_id, place in OWN_SECTIONS.items():
        page = pages[PAGE_OF[place]]
        heading = own_heading(section_id)
        where = [i for i, b in enumerate(page.blocks) if getattr(b, "text", None) == heading]
        assert len(where) == 1, (section_id, page.id)
        following = page.blocks[where[0] + 1 :]
        assert [getattr(b, "text", "") for b in following[:2]] == [
            f"First paragraph of {section_id}.",
            f"Second paragraph of {section_id}.",
        ]
    # Without its introduction the tracks page takes a fixed title; without first steps
    # the next-steps page does, and keeps continuous growth under its own heading.
    assert pages["tracks"].title == LABELS["tracks_title"]
    assert pages["next-steps"].title == LABELS["next_steps_title"]
    assert LABELS["closing"] not in _headings(pages["next-steps"])
    assert pages["next-steps"].blocks[0] == pmkit.HeadingBlock("Continuous Growth", 2)
    # Sections placed on the introduction come before the source and disclaimer.
    intro = _headings(pages["introduction"])
    assert intro.index(own_heading("own-welcome")) < intro.index(LABELS["source"])


def test_a_course_without_guidance_has_no_empty_page(folders: dict[str, Path]) -> None:
    pages = pmkit.course_sections(_course(folders, NONE))
    assert [p.id for p in pages] == [
        "introduction",
        "self-discovery",
        "tracks",
        "decision-tree",
        "knowledge-check",
    ]
    for page in pages:
        assert page.title and page.blocks, page.id
        assert all(h for h in _headings(page)), page.id
        last = page.blocks[-1]
        assert not isinstance(last, pmkit.HeadingBlock), page.id  # no heading without a body


# --------------------------------------------------------------------------- handout and CC


@pytest.fixture(scope="module")
def exports(folders: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from click.testing import CliRunner

    from pmkit.cli import cli

    out: dict[str, Path] = {}
    for shape in (OWN, NONE):
        dest = tmp_path_factory.mktemp(f"out-{shape.name}")
        args = ["export", "-q", "-c", str(folders[shape.name]), "-d", str(dest)]
        for name in ("markdown", "html", "cc", "scorm"):
            args += ["-f", name]
        result = CliRunner().invoke(cli, args, env={"PMKIT_NO_CACHE": "1"})
        assert result.exit_code == 0, result.output
        out[shape.name] = dest
    return out


def _h2(html: str) -> list[str]:
    import html as h

    return [h.unescape(x) for x in re.findall(r"<h2>(.*?)</h2>", html)]


def test_the_handout_shows_own_sections_in_place_and_nothing_left_out(
    exports: dict[str, Path], folders: dict[str, Path]
) -> None:
    course = _course(folders, OWN)
    bundled = pmkit.load_course(BUNDLED).course.guidance
    assert bundled.tracks_intro and bundled.first_steps and bundled.future
    html = (exports[OWN.name] / "pm-career-paths-handout.html").read_text(encoding="utf-8")
    md = (exports[OWN.name] / "pm-career-paths-handout.md").read_text(encoding="utf-8")
    md_h2 = [line[3:].replace("\\", "") for line in md.splitlines() if line.startswith("## ")]
    expected_after = {  # content.OWN_SECTIONS: the part each place follows
        "own-welcome": course.introduction.heading,
        "own-tree": course.decision_tree.title,
        "own-tracks": "The career tracks in full",
        "own-future": bundled.future.heading,
        "own-last": "Continuous Growth",
    }
    for headings in (_h2(html), md_h2):
        for section_id, before in expected_after.items():
            at = headings.index(own_heading(section_id))
            assert headings[at - 1] == before, (section_id, headings)
        for gone in (bundled.tracks_intro.heading, bundled.first_steps.heading, "Closing advice"):
            assert gone not in headings
        assert "The tracks side by side" in headings  # the table keeps its own name
    bare = _h2((exports[NONE.name] / "pm-career-paths-handout.html").read_text(encoding="utf-8"))
    for gone in (bundled.future.heading, "Continuous Growth", "Making Your Choice"):
        assert gone not in bare


def test_common_cartridge_has_a_page_per_shown_page_only(exports: dict[str, Path]) -> None:
    with zipfile.ZipFile(exports[NONE.name] / "pm-career-paths-cc.imscc") as cc:
        pages = sorted(n for n in cc.namelist() if n.startswith("pages/"))
    assert "pages/future.html" not in pages and "pages/next-steps.html" not in pages
    with zipfile.ZipFile(exports[OWN.name] / "pm-career-paths-cc.imscc") as cc:
        for section_id, place in OWN_SECTIONS.items():
            page = cc.read(f"pages/{PAGE_OF[place]}.html").decode("utf-8")
            assert own_heading(section_id) in page, section_id


# --------------------------------------------------------------------------- the SCORM app


def test_the_app_leaves_out_empty_screens_and_shows_own_sections(
    exports: dict[str, Path], page: Any, tmp_path: Path
) -> None:
    from browserkit import axe_check, format_violations, serve, unzip
    from playwright.sync_api import expect

    zips = {s: next(exports[s].glob("*-scorm12.zip")) for s in exports}
    with serve(unzip(zips[NONE.name], tmp_path / "none")) as server:
        page.goto(server.url("index.html"))
        screens = page.evaluate("window.pmkitApp.screens()")
        assert "future" not in screens
        expect(page.locator("#progress-text")).to_contain_text(f"of {len(screens)}")
        # Next steps stays for the source's note (the bundled course.yaml has one) alone.
        page.evaluate("window.pmkitApp.go('next-steps')")
        expect(page.locator("#screen-heading")).to_have_text("Next steps")
        expect(page.locator(".screen-next-steps h2")).to_have_text(["From the source"])
        page.evaluate("window.pmkitApp.go('tracks')")
        expect(page.locator("#screen-heading")).to_have_text("Career tracks")
        page.evaluate("window.pmkitApp.go('recommendation')")
        expect(page.locator(".screen-recommendation .aside")).to_have_count(0)
    with serve(unzip(zips[OWN.name], tmp_path / "own")) as server:
        page.goto(server.url("index.html"))
        screens = page.evaluate("window.pmkitApp.screens()")
        assert "future" in screens and "next-steps" in screens
        screen_of = {**PAGE_OF, "introduction": "welcome"}
        for section_id, place in OWN_SECTIONS.items():
            page.evaluate(f"window.pmkitApp.go('{screen_of[place]}')")
            box = page.locator(f"#own_{section_id}")
            expect(box.locator("h2")).to_have_text(own_heading(section_id))
            expect(box.locator("p")).to_have_count(2)
            problems = axe_check(page)
            assert problems == [], format_violations(problems)
        page.evaluate("window.pmkitApp.go('next-steps')")
        expect(page.locator("#screen-heading")).to_have_text("Next steps")
        expect(page.locator("#first-steps")).to_have_count(0)
        expect(page.locator("h2", has_text="Closing advice")).to_have_count(0)


def test_next_steps_is_left_out_when_nothing_is_left_to_show(
    folders: dict[str, Path], run_cli: RunCli, page: Any, tmp_path: Path
) -> None:
    import shutil

    from browserkit import serve, unzip

    folder = tmp_path / "no-note"
    shutil.copytree(folders[NONE.name], folder)
    course_yaml = folder / "course.yaml"
    data = yaml.safe_load(course_yaml.read_text(encoding="utf-8"))
    del data["source"]["note"]
    course_yaml.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert run_cli("export", "-q", "-f", "scorm", "-c", str(folder), "-d", "out").exit_code == 0
    with serve(unzip(next((tmp_path / "out").glob("*.zip")), tmp_path / "pkg")) as server:
        page.goto(server.url("index.html"))
        screens = page.evaluate("window.pmkitApp.screens()")
    assert screens == [
        "welcome",
        "self-discovery",
        "starting-point",
        "recommendation",
        "tracks",
        "decision-tree",
        "knowledge-check",
        "finish",
    ]


def test_the_editors_schema_accepts_optional_guidance_and_checks_sections(
    folders: dict[str, Path],
) -> None:
    """`pmkit schema --content` (what editors check while typing) agrees with validation."""
    import jsonschema

    from pmkit.authoring.content_schema import content_schema

    validator = jsonschema.Draft7Validator(content_schema())
    for shape in (OWN, NONE):
        data = yaml.safe_load((folders[shape.name] / "guidance.yaml").read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)) == [], shape.name
    data = yaml.safe_load((folders[OWN.name] / "guidance.yaml").read_text(encoding="utf-8"))
    data["sections"][0]["place"] = "closing"
    del data["sections"][1]["heading"]
    messages = " ".join(e.message for e in validator.iter_errors(data))
    assert "'closing'" in messages and "'heading' is a required property" in messages
