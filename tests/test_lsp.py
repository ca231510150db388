"""The policy language server, driven over stdio by pygls's own language client.

One server process per test module: it is opened on policies with findings, and asked for
hovers and completions, the way an editor would.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

from rules_engine.cli import main
from rules_engine.lsp.features import Document, word_at

ROOT = Path(__file__).resolve().parent.parent
BROKEN = """\
policy "有错的策略"
extends "national-2020"
rule 扣分 "每超 1 个百分点扣 1 分" {
  basis "某市 2024 年通知第 3 条"
  note "不超过 100% 满分"
  direction down
  full at 100%
  when actual >= 100% => full
  otherwise => weight - (actual - 100%) * 100
}
apply 成本指木/* -> 扣分
apply */*/三公经费控制率 -> 扣分
"""
FIXED = BROKEN.replace("actual >= 100%", "actual <= 100%").replace("成本指木", "成本指标")


class Editor:
    """A started server and a client that records what the server publishes."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.client = LanguageClient("rules-engine-tests", "1")
        self.published: dict[str, list[types.Diagnostic]] = {}
        self.arrived = asyncio.Event()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)  # type: ignore[untyped-decorator]
        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.published[params.uri] = list(params.diagnostics)
            self.arrived.set()

    def run(self, coroutine: object) -> object:
        return self.loop.run_until_complete(coroutine)  # type: ignore[arg-type]

    async def start(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        await self.client.start_io(sys.executable, "-m", "rules_engine", "lsp", env=env)
        await self.client.initialize_async(
            types.InitializeParams(capabilities=types.ClientCapabilities(), process_id=os.getpid())
        )
        self.client.initialized(types.InitializedParams())

    async def open(self, path: Path, text: str) -> list[types.Diagnostic]:
        uri = from_fs_path(str(path)) or str(path)
        self.arrived.clear()
        item = types.TextDocumentItem(uri=uri, language_id="policy", version=1, text=text)
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
        await asyncio.wait_for(self.arrived.wait(), 30)
        return self.published[uri]

    async def change(self, path: Path, text: str, version: int) -> list[types.Diagnostic]:
        uri = from_fs_path(str(path)) or str(path)
        self.arrived.clear()
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        await asyncio.wait_for(self.arrived.wait(), 30)
        return self.published[uri]

    async def hover(self, path: Path, line: int, character: int) -> types.Hover | None:
        return await self.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=from_fs_path(str(path)) or ""),
                position=types.Position(line=line, character=character),
            )
        )

    async def complete(self, path: Path, line: int, character: int) -> list[str]:
        found = await self.client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=from_fs_path(str(path)) or ""),
                position=types.Position(line=line, character=character),
            )
        )
        items = found.items if isinstance(found, types.CompletionList) else found or []
        return [item.label for item in items]

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()  # type: ignore[no-untyped-call]


@pytest.fixture(scope="module")
def editor() -> Iterator[Editor]:
    loop = asyncio.new_event_loop()
    started = Editor(loop)
    started.run(started.start())
    yield started
    started.run(started.stop())
    loop.close()


@pytest.fixture
def policy_file(tmp_path: Path) -> Path:
    path = tmp_path / "某市-2024.policy"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_publishes_check_findings_with_their_places(editor: Editor, policy_file: Path) -> None:
    found = editor.run(editor.open(policy_file, BROKEN))
    assert isinstance(found, list)
    by_code = {d.code: d for d in found}
    assert set(by_code) == {"E356", "E355"}
    reversed_clause = by_code["E356"]
    assert reversed_clause.severity == types.DiagnosticSeverity.Error
    assert (reversed_clause.range.start.line, reversed_clause.range.start.character) == (7, 2)
    assert "direction down" in reversed_clause.message
    typo = by_code["E355"]
    assert (typo.range.start.line, typo.range.start.character, typo.range.end.character) == (
        10,
        6,
        10,
    )
    assert "成本指标" in typo.message  # the did-you-mean rides along in the hint


def test_a_fix_clears_the_findings(editor: Editor, policy_file: Path) -> None:
    editor.run(editor.open(policy_file, BROKEN))
    assert editor.run(editor.change(policy_file, FIXED, 2)) == []


def test_hover_shows_the_rules_basis_and_note(editor: Editor, policy_file: Path) -> None:
    editor.run(editor.open(policy_file, FIXED))
    found = editor.run(editor.hover(policy_file, 11, 22))  # on 扣分 in the last apply
    assert isinstance(found, types.Hover) and isinstance(found.contents, types.MarkupContent)
    text = found.contents.value
    assert "规则 扣分" in text and "某市 2024 年通知第 3 条" in text and "不超过 100% 满分" in text
    assert "direction down · full at 100%" in text
    inherited = editor.run(editor.hover(policy_file, 1, 10))  # nothing named there
    assert inherited is None


def test_completes_rule_and_vocabulary_names(editor: Editor, policy_file: Path) -> None:
    editor.run(editor.open(policy_file, FIXED))
    labels = editor.run(editor.complete(policy_file, 11, 22))
    assert isinstance(labels, list)
    assert {"扣分", "正向", "反向", "定性"} <= set(labels)  # its own and inherited rules
    assert {"达成", "部分达成", "未达成", "正增长"} <= set(labels)


def test_hover_on_an_inherited_vocabulary_word(tmp_path: Path) -> None:
    doc = Document(str(tmp_path / "x.policy"))
    doc.update(FIXED + "terms 达成 += 圆满完成\n")
    text = doc.hover(12, 13)
    assert text is not None and text.startswith("**词表 达成**（圆满完成）")
    assert "policies/national-2020.policy" in text


def test_word_at_the_cursor() -> None:
    assert word_at("apply * -> 正向\n", 0, 12) == "正向"
    assert word_at("apply * -> 正向\n", 0, 8) is None
    assert word_at("apply * -> 正向\n", 3, 0) is None


def test_the_command_says_how_to_install_pygls_when_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "rules_engine.lsp.server", None)
    assert main(["lsp"]) == 2
    err = capsys.readouterr().err
    assert "E203" in err and "pip install 'rules-engine[lsp]'" in err
