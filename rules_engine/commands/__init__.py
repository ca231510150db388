"""Sub-commands of the command line; each module has `register(sub, common)` and a `run`."""
