"""The HTML report of `score --out review.html`: self-contained, every form present, and in a real
browser (headless Chromium) the summary sorts when a heading is clicked."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FORMS = HERE / "fixtures" / "corpus" / "forms"
SEEDS = HERE / "fixtures" / "corpus" / "seed"
BROWSER = next(
    (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None
)
needs_browser = pytest.mark.skipif(
    BROWSER is None,
    reason="no Chromium on this machine: `make test` installs Debian's chromium when it runs as"
    " root with apt-get; elsewhere install it to run the browser tests",
)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from rules_engine.cli import main

    out = tmp_path_factory.mktemp("html") / "review.html"
    assert main(["score", str(FORMS), str(SEEDS), "--out", str(out)]) == 2  # some files skipped
    return out


def _read_counts() -> dict[str, int]:
    """How many forms the reader finds in each corpus fixture; files it cannot read count 0
    (`score` names them on stderr and leaves them out of the page)."""
    from rules_engine.diagnostics import UserError
    from rules_engine.readers.load import form_files, read_document

    counts: dict[str, int] = {}
    for path in [*form_files(FORMS), *form_files(SEEDS)]:
        try:
            counts[path.name] = len(read_document(path).forms)
        except UserError:
            counts[path.name] = 0
    return counts


def _scored_forms() -> int:
    return sum(_read_counts().values())


def test_the_page_is_self_contained(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert "<link" not in text and "@import" not in text and "url(" not in text
    assert not re.search(r"\ssrc=", text)
    assert all(href.startswith("#") for href in re.findall(r'href="([^"]*)"', text))
    assert text.count('<section class="form"') == _scored_forms()
    assert '<svg class="chart" id="delta-chart"' in text
    assert '<svg class="chart" id="flag-chart"' in text
    assert 'addEventListener("beforeprint"' in text  # explanations open when printed


def _dump(page: Path, tmp: Path) -> str:
    assert BROWSER is not None
    done = subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _summary_rows(dom: str) -> list[list[str]]:
    table = re.search(r'<table class="sortable" id="summary">(.*?)</table>', dom, re.S)
    assert table is not None
    body = table.group(1).split("<tbody>", 1)[1]
    return [re.findall(r'data-sort="([^"]*)"', row) for row in re.findall(r"<tr.*?</tr>", body)]


@needs_browser
def test_every_form_is_shown_in_the_browser(page: Path, tmp_path: Path) -> None:
    dom = _dump(page, tmp_path)
    visible = re.sub(r"<[^>]+>", " ", dom)
    counts = _read_counts()
    assert 0 < sum(1 for n in counts.values() if n == 0) < len(counts)
    for name, forms in counts.items():
        if forms:
            assert name in visible, name
        else:
            assert name not in visible, name
    assert len(_summary_rows(dom)) == _scored_forms()


@needs_browser
def test_clicking_a_heading_sorts_the_summary(page: Path, tmp_path: Path) -> None:
    # A script that runs after the page's own clicks the 差异 heading once: ascending.
    text = page.read_text(encoding="utf-8")
    heads = re.search(r'<table class="sortable" id="summary">\s*<thead><tr>(.*?)</tr>', text)
    assert heads is not None
    names = re.findall(r">([^<>]+)</th>", heads.group(1))
    delta = names.index("差异") + 1
    clicks = f'document.querySelector("#summary th:nth-child({delta})").click();'
    clicked = tmp_path / "clicked.html"
    clicked.write_text(text.replace("</body>", f"<script>{clicks}</script></body>"), "utf-8")
    dom = _dump(clicked, tmp_path)
    rows = _summary_rows(dom)
    values = [row[delta - 1] for row in rows]
    known = [Decimal(v) for v in values if v]
    assert known == sorted(known) and len(known) >= 2
    assert values[: len(known)] == [v for v in values if v]  # blanks last
    assert re.search(r'<th data-type="num"[^>]*aria-sort="ascending"[^>]*>差异</th>', dom)


@needs_browser
def test_every_explanation_opens_for_printing(page: Path, tmp_path: Path) -> None:
    # Folded on screen; the browser's beforeprint event (what printing fires) unfolds them all.
    text = page.read_text(encoding="utf-8")
    assert text.count("<details>") > 100
    printing = 'dispatchEvent(new Event("beforeprint"));'
    printed = tmp_path / "printed.html"
    printed.write_text(text.replace("</body>", f"<script>{printing}</script></body>"), "utf-8")
    on_screen = _dump(page, tmp_path)
    on_paper = _dump(printed, tmp_path)
    assert on_screen.count("<details>") == text.count("<details>")
    assert "<details>" not in on_paper
    assert on_paper.count('<details open="">') == text.count("<details")
