"""`docs/errors.md` lists every message code of the code base, and nothing else."""

from __future__ import annotations

import difflib
import re
import string

from tests.update_errors_doc import DOC, load_catalog, render


def test_every_code_is_documented_and_no_stale_code_remains() -> None:
    documented = set(re.findall(r"^### (E\d{3})$", DOC.read_text(encoding="utf-8"), re.MULTILINE))
    defined = set(load_catalog())
    assert sorted(defined - documented) == [], "undocumented codes: run tests/update_errors_doc.py"
    assert sorted(documented - defined) == [], "stale codes in docs/errors.md"


def test_the_document_is_what_the_generator_writes() -> None:
    expected = render()
    actual = DOC.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                actual.splitlines(keepends=True),
                expected.splitlines(keepends=True),
                "docs/errors.md",
                "generated",
                n=1,
            )
        )
        raise AssertionError(
            "docs/errors.md is out of date; run `make errors-doc` (tests/update_errors_doc.py)"
            f" and commit it:\n{diff}"
        )


def test_codes_stay_in_their_ranges() -> None:
    for code in load_catalog():
        assert re.fullmatch(r"E[1-5]\d\d", code), code


def test_every_message_is_a_valid_template() -> None:
    formatter = string.Formatter()
    for code, entry in load_catalog().items():
        for template in (entry.zh, entry.en, entry.hint_zh, entry.hint_en):  # type: ignore[attr-defined]
            try:
                list(formatter.parse(template))
            except ValueError as exc:
                raise AssertionError(f"{code}: {template!r}: {exc}") from None


def test_every_code_shows_its_severity() -> None:
    text = DOC.read_text(encoding="utf-8")
    entries = re.findall(r"^### (E\d{3})\n\n- 级别 · severity: (\S+) (\w+)$", text, re.MULTILINE)
    catalog = load_catalog()
    assert {code for code, _, _ in entries} == set(catalog)
    for code, _, severity in entries:
        assert severity == catalog[code].severity, code  # type: ignore[attr-defined]


def test_warnings_include_the_unused_rule_and_the_lint() -> None:
    catalog = load_catalog()
    for code in ("E339", "E340", "E347", "E349", "E510", "E514", "E515", "E516"):
        assert catalog[code].severity == "warning", code  # type: ignore[attr-defined]
    for code in ("E355", "E356", "E357", "E358", "E359"):
        assert catalog[code].severity == "error", code  # type: ignore[attr-defined]
