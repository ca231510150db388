"""Tools for policy authors: example cases (`testfile` reads them, `policytest` runs them),
property checks on generated lines (`verify`), and what a new policy changes on real forms
(`policydiff`)."""
