"""The JSON Schemas: shipped in docs/schemas as generated; real output validates against them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from rules_engine.cli import main
from rules_engine.commands.schema import render
from rules_engine.schemas import NAMES, schema

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "schemas"
FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed" / "000_111099e829c6ea1e.txt"
CORPUS = sorted((FIXTURES / "corpus" / "forms").glob("*.txt"))
# Forms of every kind and several layouts: a project and a target table, a department form, a
# transfer form, a glued file, a process scorecard, a pdf text read unreliably.
SAMPLES = [SEED, *[p for p in CORPUS if p.name[:3] in {"014", "021", "029", "035", "040", "046"}]]


def _validator(name: str) -> jsonschema.Draft202012Validator:
    chosen = schema("form" if name == "form" else "explain")
    jsonschema.Draft202012Validator.check_schema(chosen)
    return jsonschema.Draft202012Validator(chosen)


def _errors(name: str, data: Any) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in _validator(name).iter_errors(data)]


@pytest.mark.parametrize("name", NAMES)
def test_shipped_schema_is_the_generated_one(name: str) -> None:
    shipped = (DOCS / f"{name}.schema.json").read_text(encoding="utf-8")
    assert shipped == render(name) + "\n", "run `make schemas` and review the diff"


@pytest.mark.parametrize("name", NAMES)
def test_schema_command_prints_the_schema(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", name]) == 0
    assert json.loads(capsys.readouterr().out) == schema(name)


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> Any:
    code = main(args)
    out = capsys.readouterr().out
    assert code in (0, 1), out
    return json.loads(out)


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name[:3] for p in SAMPLES])
def test_parse_output_validates(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _run(["parse", str(path), "--format", "json"], capsys)
    assert _errors("form", data) == []


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name[:3] for p in SAMPLES])
def test_explain_output_validates(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _run(["explain", str(path), "--format", "json"], capsys)
    assert data["forms"]
    assert _errors("explain", data) == []


def test_a_hand_written_form_validates_and_explains(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form = {
        "forms": [
            {
                "kind": "project-self-evaluation",
                "year": 2021,
                "indicators": [
                    {
                        "level1": "产出指标",
                        "name": "培训次数",
                        "target": "≥2次",
                        "actual": "3次",
                        "weight": "10",
                        "score": "10",
                    },
                ],
            }
        ]
    }
    assert _errors("form", form) == []
    path = tmp_path / "form.json"
    path.write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")
    assert _errors("explain", _run(["explain", str(path), "--format", "json"], capsys)) == []


def test_schema_rejects_what_the_contract_forbids() -> None:
    data = json.loads(SEED.with_suffix(".json").read_text(encoding="utf-8"))
    # A corpus label carries notes the form shape does not have.
    assert _errors("form", {"forms": [data]}) != []
    assert _errors("form", {"forms": [{"kind": "nonsense"}]}) != []
    assert _errors("explain", {"policy": {}, "forms": []}) != []
