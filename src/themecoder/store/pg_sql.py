"""Store SQL, written for SQLite, as PostgreSQL runs it.

The store modules write one dialect: `?` placeholders, `IS` / `IS NOT` for null-safe equality,
`COLLATE NOCASE`, a column named `end`, SQLite's DDL types. This module rewrites a statement
once (cached) so that the same text runs on PostgreSQL; nothing above the store sees a dialect.

- `?` becomes `%s` (and a literal `%` becomes `%%`) for psycopg;
- `a IS b` / `a IS NOT b` (b not NULL/TRUE/FALSE) become `IS [NOT] DISTINCT FROM`;
- `x COLLATE NOCASE` becomes `lower(x COLLATE "C")`: ASCII-only folding, as SQLite's NOCASE;
- `LIKE` becomes `ILIKE` (SQLite's LIKE ignores ASCII case); `ifnull`, `instr`, `group_concat`
  become `coalesce`, `strpos`, `string_agg`; `INSERT OR IGNORE` becomes `ON CONFLICT DO NOTHING`;
- an `end` that closes no CASE is a column name and is quoted;
- in DDL: `INTEGER PRIMARY KEY AUTOINCREMENT` an identity column, `INTEGER` BIGINT, `REAL`
  DOUBLE PRECISION, `BLOB` BYTEA, `WITHOUT ROWID` dropped, foreign keys DEFERRABLE (undo
  restores rows in any order and checks them at commit, as `PRAGMA defer_foreign_keys`);
- a few statements of the SQLite engine itself (BEGIN IMMEDIATE, PRAGMA ..., VACUUM) map to
  their PostgreSQL counterparts (see `special`).
"""
from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = re.compile(
    r"""(?P<ws>\s+)|(?P<comment>--[^\n]*)|(?P<str>'(?:[^']|'')*')|(?P<qid>"(?:[^"]|"")*")"""
    r"""|(?P<num>\d+(?:\.\d+)?)|(?P<word>[A-Za-z_][A-Za-z_0-9$]*)|(?P<op>\|\||<=|>=|<>|!=|.)""",
    re.S,
)

_NOT_DISTINCT = {"NULL", "TRUE", "FALSE", "NOT", "DISTINCT"}


_FUNCTIONS = {"IFNULL": "coalesce", "INSTR": "strpos", "GROUP_CONCAT": "string_agg"}


def _matching(tokens: list[str], open_index: int) -> int:
    depth = 0
    for k in range(open_index, len(tokens)):
        if tokens[k] == "(":
            depth += 1
        elif tokens[k] == ")":
            depth -= 1
            if depth == 0:
                return k
    return len(tokens)


def _has_top_level_comma(tokens: list[str], open_index: int) -> bool:
    depth = 0
    for k in range(open_index, _matching(tokens, open_index)):
        if tokens[k] == "(":
            depth += 1
        elif tokens[k] == ")":
            depth -= 1
        elif tokens[k] == "," and depth == 1:
            return True
    return False


def _fk_actions_end(tokens: list[str], j: int) -> int:
    """The last token of the ON DELETE/ON UPDATE clauses after index j (j itself if none)."""
    while True:
        k = _significant(tokens, j, 1)
        if k < 0 or tokens[k].upper() != "ON":
            return j
        k = _significant(tokens, k, 1)  # DELETE / UPDATE
        k = _significant(tokens, k, 1)  # CASCADE / RESTRICT / SET / NO
        if tokens[k].upper() in ("SET", "NO"):
            k = _significant(tokens, k, 1)  # NULL / DEFAULT / ACTION
        j = k


def _tokens(sql: str) -> list[str]:
    return [m.group(0) for m in _TOKEN.finditer(sql) if m.lastgroup != "comment"]


def _significant(tokens: list[str], i: int, step: int) -> int:
    """Index of the next non-blank token from i (exclusive) in direction step, or -1."""
    j = i + step
    while 0 <= j < len(tokens) and tokens[j].isspace():
        j += step
    return j if 0 <= j < len(tokens) else -1


def _operand_start(out: list[str]) -> int:
    """Where the operand ending at the end of `out` starts: a dotted name or a call/paren group."""
    j = len(out) - 1
    while j >= 0 and out[j].isspace():
        j -= 1
    if j < 0:
        return 0
    if out[j] == ")":
        depth = 0
        while j >= 0:
            if out[j] == ")":
                depth += 1
            elif out[j] == "(":
                depth -= 1
                if depth == 0:
                    break
            j -= 1
        if j > 0 and re.fullmatch(r"[A-Za-z_]\w*", out[j - 1] or ""):
            j -= 1
        return j
    while j >= 2 and out[j - 1] == ".":
        j -= 2
    return j


@lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    tokens = _tokens(sql)
    head = next((t.upper() for t in tokens if not t.isspace()), "")
    ddl = head in ("CREATE", "ALTER")
    out: list[str] = []
    case_depth = 0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        up = tok.upper()
        nxt = _significant(tokens, i, 1)
        nxt_up = tokens[nxt].upper() if nxt >= 0 else ""
        if tok == "?":
            out.append("%s")
        elif tok.startswith("'") or tok.startswith('"'):
            out.append(tok.replace("%", "%%"))
        elif tok == "%":
            out.append("%%")
        elif up == "CASE":
            case_depth += 1
            out.append(tok)
        elif up == "END":
            prev = _significant(tokens, i, -1)
            if case_depth and not (prev >= 0 and tokens[prev] == "."):
                case_depth -= 1
                out.append(tok)
            else:
                out.append('"end"')
        elif up == "IS" and nxt >= 0:
            after_not = _significant(tokens, nxt, 1) if nxt_up == "NOT" else nxt
            target = tokens[after_not].upper() if after_not >= 0 else ""
            if target in _NOT_DISTINCT:
                out.append(tok)
            elif nxt_up == "NOT":
                out.append("IS DISTINCT FROM")
                i = nxt
            else:
                out.append("IS NOT DISTINCT FROM")
        elif up == "LIKE":
            out.append("ILIKE")  # SQLite's LIKE ignores ASCII case
        elif up in _FUNCTIONS and nxt >= 0 and tokens[nxt] == "(":
            out.append(_FUNCTIONS[up])
            if up == "GROUP_CONCAT" and not _has_top_level_comma(tokens, nxt):
                close = _matching(tokens, nxt)
                tokens = tokens[:close] + [", ", "','"] + tokens[close:]
        elif up == "INSERT" and not out:
            rest = [t.upper() for t in tokens[i + 1:i + 6] if not t.isspace()]
            if rest[:2] == ["OR", "IGNORE"]:
                out.append("INSERT")
                j = _significant(tokens, _significant(tokens, i, 1), 1)
                i = j
                tokens = tokens + [" ON CONFLICT DO NOTHING"]
            else:
                out.append(tok)
        elif up == "COLLATE" and nxt_up == "NOCASE":
            start = _operand_start(out)
            operand = "".join(out[start:]).rstrip()
            del out[start:]
            out.append(f'lower({operand} COLLATE "C")')
            i = nxt
        elif ddl and up == "INTEGER" and nxt_up == "PRIMARY":
            rest = [t.upper() for t in tokens[nxt:nxt + 5] if not t.isspace()]
            if rest[:3] == ["PRIMARY", "KEY", "AUTOINCREMENT"]:
                out.append("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
                j = nxt
                for _ in range(2):
                    j = _significant(tokens, j, 1)
                i = j
            else:
                out.append("BIGINT")
        elif ddl and up == "INTEGER":
            out.append("BIGINT")
        elif ddl and up == "REAL":
            out.append("DOUBLE PRECISION")
        elif ddl and up == "BLOB":
            out.append("BYTEA")
        elif ddl and up == "WITHOUT" and nxt_up == "ROWID":
            i = nxt
        elif ddl and up == "REFERENCES":
            # REFERENCES t(c) [ON DELETE|UPDATE action]... and then DEFERRABLE
            j = i
            while j < len(tokens) and tokens[j] != ")":
                j += 1
            j = _fk_actions_end(tokens, j)
            out.extend(tokens[i:j + 1])
            out.append(" DEFERRABLE INITIALLY IMMEDIATE")
            i = j
        else:
            out.append(tok)
        i += 1
    return "".join(out)


_SPECIAL = {
    "PRAGMA INTEGRITY_CHECK": "SELECT 'ok'",  # the server checks its own pages
    "PRAGMA FOREIGN_KEY_CHECK": "SELECT 1 WHERE false",  # foreign keys are always enforced
    "PRAGMA DEFER_FOREIGN_KEYS = ON": "SET CONSTRAINTS ALL DEFERRED",
    "PRAGMA WAL_CHECKPOINT(TRUNCATE)": "",
    "VACUUM": "VACUUM FULL changes",
}


def special(sql: str) -> str | None:
    """The PostgreSQL form of a statement addressed to the SQLite engine; None if not one."""
    key = " ".join(sql.split()).upper().rstrip(";")
    return _SPECIAL.get(key)
