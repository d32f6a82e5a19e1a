"""The problems of force identity, force registers and anonymisation keys."""

from __future__ import annotations

from inspect_cli.problems.model import ProblemType as _t

# Entity identity (inspect_cli.identity): one force, however it is spelt
FORCE_SPELLINGS_MERGED = _t(
    "force-spellings-merged",
    "One force spelt several ways",
    "warning",
    "force {name!r} is spelt {count} ways; counted as one force, shown as {name!r}: {variants}",
)
FORCE_LOOKALIKE = _t(
    "force-lookalike",
    "Look-alike letters in a force name",
    "error",
    "force {name} mixes Latin letters with look-alike {letters}{like}; retype it in Latin "
    "letters (found at {where})",
)
FORCE_NOT_IN_REGISTER = _t(
    "force-not-in-register",
    "Force not in the register",
    "error",
    "force {name} is not in the force register {register}; closest listed: {closest} "
    "(found at {where})",
)
FORCE_REGISTER_MAPPED = _t(
    "force-register-mapped",
    "Force named through the register",
    "note",
    "{spellings} counted as {name!r}, as the force register {register} says ({where})",
)
BAD_FORCE_REGISTER = _t("bad-force-register", "Unusable force register", "error", "{detail}")
# Anonymisation keys (--key-file KEY.csv that exists: inspect_cli.key_file)
BAD_KEY_FILE = _t("bad-key-file", "Unusable anonymisation key", "error", "{detail}")
FORCE_NOT_IN_KEY = _t(
    "force-not-in-key",
    "Force not in the anonymisation key",
    "error",
    "the key file {key_file} lists no letter for {count} force(s) in the data: {names}",
)
