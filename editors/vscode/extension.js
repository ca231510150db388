// Starts `rules-engine lsp` for .policy files (the language server is part of rules-engine).
const { workspace } = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

exports.activate = function activate() {
  const [command, ...args] = workspace.getConfiguration("rulesEngine").get("server");
  client = new LanguageClient(
    "rules-engine",
    "rules-engine",
    { command, args },
    { documentSelector: [{ language: "policy" }] },
  );
  return client.start();
};

exports.deactivate = function deactivate() {
  return client ? client.stop() : undefined;
};
