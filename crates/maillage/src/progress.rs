//! Progress of long operations: a bar on a terminal, silence otherwise (and always with `--json`).
