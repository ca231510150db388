"""The Language Server Protocol side of the policy language server, on pygls (stdio)."""

from __future__ import annotations

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from rules_engine import __version__
from rules_engine.diagnostics import Lang
from rules_engine.lsp.features import Document, Finding

_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning}
_KIND = {
    "rule": types.CompletionItemKind.Function,
    "vocabulary": types.CompletionItemKind.EnumMember,
    "term": types.CompletionItemKind.Constant,
}


class PolicyServer(LanguageServer):
    """A language server that keeps one `Document` per open policy file."""

    def __init__(self, lang: Lang) -> None:
        super().__init__("rules-engine", __version__)
        self.lang: Lang = lang
        self.documents: dict[str, Document] = {}

    def document(self, uri: str) -> Document:
        if uri not in self.documents:
            self.documents[uri] = Document(to_fs_path(uri) or uri)
        return self.documents[uri]

    def check(self, uri: str, text: str) -> None:
        """Check the text and publish every finding in it."""
        findings = self.document(uri).update(text, self.lang)
        diagnostics = [_diagnostic(f) for f in findings]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics)
        )


def _diagnostic(finding: Finding) -> types.Diagnostic:
    return types.Diagnostic(
        range=types.Range(
            start=types.Position(line=finding.line, character=finding.start),
            end=types.Position(line=finding.line, character=finding.end),
        ),
        message=finding.message,
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.code,
        source="rules-engine",
    )


def build(lang: Lang = "zh") -> PolicyServer:
    """The server with its features registered."""
    server = PolicyServer(lang)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: PolicyServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.check(params.text_document.uri, params.text_document.text)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PolicyServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.check(uri, ls.workspace.get_text_document(uri).source)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: PolicyServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.check(uri, ls.workspace.get_text_document(uri).source)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PolicyServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.documents.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: PolicyServer, params: types.HoverParams) -> types.Hover | None:
        doc = ls.document(params.text_document.uri)
        text = doc.hover(params.position.line, params.position.character, ls.lang)
        if text is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION)
    def completion(ls: PolicyServer, params: types.CompletionParams) -> types.CompletionList:
        doc = ls.document(params.text_document.uri)
        items = [
            types.CompletionItem(
                label=name.label,
                kind=_KIND.get(name.kind, types.CompletionItemKind.Text),
                detail=name.detail or None,
            )
            for name in doc.names()
        ]
        return types.CompletionList(is_incomplete=False, items=items)

    return server
