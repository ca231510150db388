"""Tools for policy authors: example cases (`policytest`), property checks on generated lines
(`verify`), and what a new policy changes on real forms (`policydiff`)."""
