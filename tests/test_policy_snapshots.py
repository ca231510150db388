"""The compiled snapshots of the shipped policies equal what compiling gives, and are used only
while they describe the policy files as they are."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from rules_engine import app
from rules_engine.policy import compiler, loader, snapshot
from rules_engine.policy.limits import DEFAULT

REGENERATE = "run `make prebuilt` and commit policies/compiled/"
NAMES = loader.shipped_names()


@pytest.mark.parametrize("name", NAMES)
def test_snapshot_is_exactly_what_make_prebuilt_writes(name: str) -> None:
    path = snapshot.snapshot_path(name)
    assert path.is_file(), f"{path.name} is missing: {REGENERATE}"
    fresh = snapshot.encode(compiler.compile_policy(name))
    assert path.read_text(encoding="utf-8") == fresh, f"{path.name} is stale: {REGENERATE}"


@pytest.mark.parametrize("name", NAMES)
def test_snapshot_loads_as_the_compiled_policy(name: str) -> None:
    shipped = loader.shipped_path(name)
    assert shipped is not None
    loaded = snapshot.shipped(shipped)
    assert loaded is not None, f"the snapshot of {name} was not used: {REGENERATE}"
    compiled = compiler.compile_policy(name)
    assert loaded == compiled
    # Equal nodes with equal explicitly given fields: the printer and `diff` see the same thing.
    assert loaded.model_dump() == compiled.model_dump()
    assert [r.model_fields_set for r in loaded.rules.values()] == [
        r.model_fields_set for r in compiled.rules.values()
    ]


def _fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: dict[str, object]) -> Path:
    """A snapshot of wuwei-2021 with `change` made to its file, put where it is looked for."""
    data = json.loads(snapshot.snapshot_path("wuwei-2021").read_text(encoding="utf-8"))
    data.update(change)
    target = tmp_path / "wuwei-2021.json"
    target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(snapshot, "snapshot_path", lambda name: tmp_path / f"{name}.json")
    shipped = loader.shipped_path("wuwei-2021")
    assert shipped is not None
    return shipped


def test_a_snapshot_of_other_policy_text_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The parent, national-2020, as it was before an edit: its digest no longer matches.
    sources = [["national-2020", "0" * 64], ["wuwei-2021", "1" * 64]]
    shipped = _fake(tmp_path, monkeypatch, {"sources": sources})
    assert snapshot.shipped(shipped) is None
    # Scoring still gets the policy, compiled from its text.
    assert app.compile_file(shipped) == compiler.compile_policy("wuwei-2021")


def test_a_snapshot_written_for_other_node_fields_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = _fake(tmp_path, monkeypatch, {"key": {"format": 1, "nodes": "0" * 64}})
    assert snapshot.shipped(shipped) is None


def test_a_snapshot_naming_a_type_that_is_no_policy_node_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = json.loads(snapshot.snapshot_path("wuwei-2021").read_text(encoding="utf-8"))
    data["policy"]["budget"] = {"@": "Path", "args": ["/etc/passwd"]}
    shipped = _fake(tmp_path, monkeypatch, {"policy": data["policy"]})
    assert snapshot.shipped(shipped) is None


@pytest.mark.parametrize("text", ['{"key": ', "[" * 100_000 + "]" * 100_000])
def test_a_damaged_snapshot_is_not_used(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = _fake(tmp_path, monkeypatch, {})
    (tmp_path / "wuwei-2021.json").write_text(text, encoding="utf-8")
    assert snapshot.shipped(shipped) is None


def test_a_copy_of_a_shipped_file_elsewhere_is_compiled(tmp_path: Path) -> None:
    shipped = loader.shipped_path("national-2020")
    assert shipped is not None
    copy = tmp_path / "national-2020.policy"
    copy.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    assert snapshot.shipped(copy) is None


def test_limits_other_than_the_defaults_compile_the_text() -> None:
    shipped = loader.shipped_path("national-2020")
    assert shipped is not None
    smaller = dataclasses.replace(DEFAULT, extends_depth=1)
    assert snapshot.shipped(shipped, smaller) is None
    assert snapshot.shipped(shipped, DEFAULT) is not None


def test_explaining_with_a_shipped_policy_loads_no_policy_compiler(tmp_path: Path) -> None:
    seed = Path(__file__).resolve().parent.parent / "docs" / "examples" / "seed.txt"
    program = (
        "import sys\n"
        "from rules_engine.cli import main\n"
        f"code = main(['explain', {str(seed)!r}, '--format', 'json'])\n"
        "loaded = [m for m in ('rules_engine.policy.compiler', 'rules_engine.policy.syntax')"
        " if m in sys.modules]\n"
        "sys.stderr.write(repr((code, loaded)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert done.stderr.strip().splitlines()[-1] == "(0, [])"
    assert json.loads(done.stdout)["forms"][0]["total"]["score"] == "95.67"
