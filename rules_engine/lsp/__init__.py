"""The language server for policy files (`rules-engine lsp`): check findings as the author types,
a rule's basis and note on hover, rule and vocabulary names on completion.

`features` holds what the server says, as plain functions; `server` speaks the Language Server
Protocol through pygls (an optional dependency: ``pip install 'rules-engine[lsp]'``).
"""
