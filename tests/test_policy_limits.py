"""Hostile and broken policies: bounded numbers, expression and extends limits, where policies
may be read from, what is read as a policy; each ends in a coded, located message."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings

from rules_engine.cli import main
from rules_engine.diagnostics import CATALOG
from rules_engine.policy.compiler import check_policy
from rules_engine.policy.findings import diagnose
from rules_engine.policy.limits import Limits
from tests.strategies import POLICY_HEAD, hostile_policies, not_policies

DATA = Path(__file__).parent / "data"
HOSTILE = Path(__file__).parent / "fixtures" / "hostile_policies"
FORM = Path(__file__).parent / "fixtures" / "explain" / "seed.txt"
CASES = yaml.safe_load((DATA / "policy_limits.yaml").read_text(encoding="utf-8"))
CORPUS = yaml.safe_load((DATA / "hostile_policies.yaml").read_text(encoding="utf-8"))
# What a file that is not a policy holds and no message may show (made-up contents).
SECRETS = ("fake-secret", "root:", "PATH=", "HOME=")
CODE = re.compile(r"\b(E\d{3})\b")


def codes(text: str) -> list[str]:
    return sorted(set(CODE.findall(text)))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_numbers_and_expressions_within_limits(case: dict[str, Any]) -> None:
    text = (POLICY_HEAD if case.get("head", True) else "") + case["text"] + "\n"
    _, diagnostics = check_policy("case.policy", text=text, limits=Limits(**case.get("limits", {})))
    errors = [d for d in diagnostics if d.severity == "error"]
    assert [d.code for d in errors] == case["errors"]
    assert all(d.line is not None and d.col is not None for d in errors)  # located


@pytest.mark.parametrize("case", CORPUS, ids=[c["name"] for c in CORPUS])
def test_hostile_policy_files(case: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    path = str(HOSTILE / case["file"])
    assert main(["--lang", "en", "check", path]) == case["check"]
    checked = capsys.readouterr()
    assert codes(checked.err) == sorted(case["codes"])
    assert main(["--lang", "en", "explain", str(FORM), "--policy", path]) == case["explain"]
    explained = capsys.readouterr()
    for output in (checked.out + checked.err, explained.out + explained.err):
        assert "E299" not in output and "E559" not in output
        assert not any(secret in output for secret in SECRETS)


def test_a_score_beyond_bounds_goes_to_review(capsys: pytest.CaptureFixture[str]) -> None:
    policy = str(HOSTILE / "unbounded_score.policy")
    assert main(["explain", str(FORM), "--policy", policy, "--format", "json"]) == 0
    assert '"code": "out_of_bounds"' in capsys.readouterr().out


# -- where a policy may come from


def _secret(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    secret = folder / "secret.txt"
    secret.write_text("root:fake-secret\n", encoding="utf-8")
    return secret


def test_extends_reads_only_shipped_names_and_its_own_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = _secret(tmp_path)
    own = tmp_path / "own"
    (own / "sub").mkdir(parents=True)
    (own / "sub" / "base.policy").write_text('policy "下级"\nextends "national-2020"\n', "utf-8")
    (own / "link.policy").symlink_to(secret)
    for ref in (str(secret), "../elsewhere/secret.txt", "link.policy", "sub/../../elsewhere/x"):
        child = own / "child.policy"
        child.write_text(f'policy "子"\nextends "{ref}"\n', encoding="utf-8")
        _, diagnostics = check_policy(str(child))
        assert [d.code for d in diagnostics] == ["E551"], ref
        assert main(["check", str(child)]) == 1
        assert "fake-secret" not in capsys.readouterr().err
    child.write_text('policy "子"\nextends "sub/base.policy"\n', encoding="utf-8")
    assert check_policy(str(child))[0] is not None


def test_policy_path_opens_a_folder_but_not_a_file_that_is_no_policy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = _secret(tmp_path)
    child = tmp_path / "child.policy"
    child.write_text('policy "子"\nextends "secret.txt"\n', encoding="utf-8")
    assert main(["check", str(child)]) == 1  # not beside it: E320
    assert main(["check", str(child), "--policy-path", str(secret.parent)]) == 2
    err = capsys.readouterr().err
    assert "E550" in err and "fake-secret" not in err


def test_a_file_named_on_the_command_line_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = str(_secret(tmp_path))
    assert main(["check", secret]) == 2
    assert main(["explain", str(FORM), "--policy", secret]) == 2
    assert main(["fmt", "--check", secret]) == 2
    assert main(["verify", secret]) == 2
    err = capsys.readouterr().err
    assert err.count("E550") == 4 and "fake-secret" not in err


def test_the_tests_file_names_a_policy_beside_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = _secret(tmp_path)
    tests = tmp_path / "own" / "x.tests.yaml"
    tests.parent.mkdir()
    for ref in (str(secret), "../elsewhere/secret.txt"):
        tests.write_text(f"policy: {ref}\ncases:\n  - {{name: a, budget: [], expect: {{}}}}\n")
        assert main(["test", str(tests)]) == 2
        err = capsys.readouterr().err
        assert "E551" in err and "fake-secret" not in err


# -- what is read as a policy


def test_what_is_not_a_regular_file_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe.policy"
    os.mkfifo(fifo)  # nothing ever writes to it: reading it would wait for ever
    assert main(["check", str(fifo)]) == 2
    assert main(["explain", str(FORM), "--policy", str(fifo)]) == 2
    if Path("/dev/zero").exists():  # reading it would never end
        assert main(["check", "/dev/zero"]) == 2
    err = capsys.readouterr().err
    assert err.count("E552") == (3 if Path("/dev/zero").exists() else 2)
    (tmp_path / "folder.policy").mkdir()
    assert main(["check", str(tmp_path / "folder.policy")]) == 2
    assert "E300" in capsys.readouterr().err


def test_the_policy_size_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "p.policy"
    policy.write_text(POLICY_HEAD + "# " + "长" * 2000 + "\n", encoding="utf-8")
    assert main(["check", str(policy)]) == 0
    assert main(["check", str(policy), "--max-policy-size", "4K"]) == 2
    assert "E553" in capsys.readouterr().err
    assert main(["check", str(policy), "--max-policy-size", "65M"]) == 2  # above the ceiling
    assert "E201" in capsys.readouterr().err


def test_the_extends_depth_limit(capsys: pytest.CaptureFixture[str]) -> None:
    top = str(HOSTILE / "chain" / "c11.policy")
    assert main(["check", top]) == 1
    assert "E554" in capsys.readouterr().err
    assert main(["check", top, "--max-extends-depth", "12"]) == 0
    assert main(["check", top, "--max-extends-depth", "51"]) == 2  # above the ceiling
    assert main(["check", top, "--policy-path", "no/such/folder"]) == 2
    assert capsys.readouterr().err.count("E201") == 2


def test_the_limits_at_their_ceilings_compile_and_explain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The deepest and longest expressions the flags allow, in an extends chain as long as the
    # flag allows: nothing may run out of stack or exceed the serialiser's depth.
    chain = tmp_path / "chain"
    chain.mkdir()
    for i in range(49):
        parent = "national-2020" if i == 0 else f"c{i - 1}.policy"
        (chain / f"c{i}.policy").write_text(f'policy "c{i}"\nextends "{parent}"\n', "utf-8")
    terms = " + ".join(["actual"] * 200)
    body = (
        "rule 区间 { cap " + "-" * 39 + f"({terms}) otherwise => " + "-" * 39 + f"({terms}) }}\n"
        "flag 深 \"深\" on line when " + "not " * 38 + "(" + " + ".join(["actual"] * 199)
        + " > 1)\n"
    )  # fmt: skip
    top = chain / "top.policy"
    top.write_text('policy "顶"\nextends "c48.policy"\n' + body, encoding="utf-8")
    flags = ["--max-extends-depth", "50", "--max-expression-depth", "40"]
    flags += ["--max-expression-terms", "200"]
    assert main(["check", str(top), *flags]) == 0
    for form in ("text", "json", "html"):
        assert main(["explain", str(FORM), "--policy", str(top), "--format", form, *flags]) == 0
    err = capsys.readouterr().err
    assert "E299" not in err and "E559" not in err


# -- fuzzing: only coded errors escape, whatever the policy

FUZZ = settings(derandomize=True, max_examples=40, deadline=None)


@FUZZ
@given(hostile_policies())
def test_check_reports_hostile_policies_with_codes_only(text: str) -> None:
    _, diagnostics = diagnose("fuzz.policy", text=text)
    assert all(d.code in CATALOG and d.code not in ("E299", "E559") for d in diagnostics)
    assert all(d.line is not None for d in diagnostics if d.severity == "error")


@settings(derandomize=True, max_examples=12, deadline=None)
@given(hostile_policies())
def test_explain_and_fmt_end_hostile_policies_with_codes_only(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.policy"
        path.write_text(text, encoding="utf-8")
        assert main(["explain", str(FORM), "--policy", str(path), "--format", "json"]) in (0, 2)
        assert main(["fmt", "--check", str(path)]) in (0, 1, 2)


@FUZZ
@given(not_policies())
def test_files_that_are_not_policies_are_refused_without_their_content(
    content: bytes,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "junk.policy"
        path.write_bytes(content)
        _, diagnostics = check_policy(str(path))
    assert [d.code for d in diagnostics] in (["E550"], ["E300"])
    shown = " ".join(
        [d.snippet or "" for d in diagnostics] + [v for d in diagnostics for v in d.args.values()]
    )
    lines = content.decode("utf-8", "replace").splitlines()
    assert not any(len(line) > 3 and line in shown for line in lines)
