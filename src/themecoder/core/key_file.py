"""The key file (koblingsnøkkel): the link between real names and the pseudonyms that
replaced them, kept in a file the user chooses, apart from the project file.

The project never stores the originals' link: it stores the pseudonyms and categories it
applied, the key's random id (its fingerprint) and the path it was last used at. The key
file is JSON, written atomically, readable and writable by the owner only (0600 on POSIX):

    {
      "format": "themecoder-key",
      "version": 1,
      "key_id": "<uuid: the fingerprint the project stores>",
      "project_id": "<the project's id>",
      "project_name": "…",
      "created": "…", "modified": "…",
      "note": "Koblingsnøkkel: …",
      "entries": [
        {"id": "<uuid>", "original": "Kari Nordmann", "replacement": "Eva Hansen",
         "kind": "person", "gender": "f", "coder": "…", "created": "…"}
      ]
    }

One entry per original (matched case- and whitespace-insensitively) and one original per
pseudonym, so the same real name always gets the same pseudonym and two people never share
one. Entries are only added: undoing a replacement in the project leaves the entry, which
simply keeps the pseudonym for the next time that name is replaced.
"""
from __future__ import annotations

import json
import os
import secrets
import tempfile
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from themecoder.errors import Conflict, UserError
from themecoder.store.db import now

FORMAT = "themecoder-key"
VERSION = 1
NOTE = ("Koblingsnøkkel (key): links real names to the pseudonyms in the project. Keep it apart "
        "from the project and the exports, on protected storage, and delete it when the project "
        "ends (themecoder anonymise key-delete).")


def fold(text: str) -> str:
    """Case- and whitespace-insensitive form used to match originals and pseudonyms."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, slots=True)
class KeyEntry:
    id: str
    original: str
    replacement: str
    kind: str
    gender: str | None = None
    coder: str | None = None
    created: str = ""
    pending: str | None = None  # set while the project's replacement is not yet committed


class KeyFile:
    """An open key file. Changes are written by `save()` (atomically, owner-only)."""

    def __init__(self, path: Path, data: dict) -> None:
        self.path = path
        self.key_id: str = data["key_id"]
        self.project_id: str = data.get("project_id", "")
        self.project_name: str = data.get("project_name", "")
        self.created: str = data.get("created", "")
        self.modified: str = data.get("modified", "")
        self.entries: list[KeyEntry] = [
            KeyEntry(e["id"], e["original"], e["replacement"], e.get("kind", "person"),
                     e.get("gender"), e.get("coder"), e.get("created", ""), e.get("pending"))
            for e in data.get("entries", [])
        ]
        self.warnings: list[str] = []

    # -- lookups ---------------------------------------------------------------------------
    def lookup(self, original: str) -> KeyEntry | None:
        key = fold(original)
        return next((e for e in self.entries if fold(e.original) == key), None)

    def by_replacement(self, replacement: str) -> KeyEntry | None:
        key = fold(replacement)
        return next((e for e in self.entries if fold(e.replacement) == key), None)

    def replacements(self) -> set[str]:
        return {e.replacement for e in self.entries}

    # -- changes ---------------------------------------------------------------------------
    def add(self, original: str, replacement: str, *, kind: str = "person",
            gender: str | None = None, coder: str | None = None) -> KeyEntry:
        """The entry for `original`: the existing one, or a new one with `replacement`."""
        original = " ".join(original.split())
        replacement = " ".join(replacement.split())
        existing = self.lookup(original)
        if existing is not None:
            if fold(existing.replacement) != fold(replacement):
                raise Conflict(f"the key gives this name the pseudonym «{existing.replacement}» "
                               f"already; the same name always keeps its pseudonym")
            return existing
        other = self.by_replacement(replacement)
        if other is not None:
            raise Conflict(f"«{replacement}» is the pseudonym of someone else in the key; "
                           f"choose another")
        entry = KeyEntry(str(uuid.uuid4()), original, replacement, kind, gender, coder, now())
        self.entries.append(entry)
        return entry

    def add_pending(self, original: str, replacement: str, *, kind: str = "person",
                    gender: str | None = None, coder: str | None = None) -> tuple[KeyEntry, bool]:
        """Like `add`, but a new entry is marked pending until `confirm` (issue 18): the key is
        written before the project changes, and a pending entry whose replacement never reached
        the project is dropped by `reconcile`. Returns the entry and whether it is new."""
        before = self.lookup(original)
        entry = self.add(original, replacement, kind=kind, gender=gender, coder=coder)
        if before is not None:
            return entry, False
        marked = KeyEntry(entry.id, entry.original, entry.replacement, entry.kind, entry.gender,
                          entry.coder, entry.created, "replace")
        self.entries[self.entries.index(entry)] = marked
        return marked, True

    def confirm(self, entry_id: str) -> bool:
        """Clear an entry's pending mark; True if there was one."""
        for i, e in enumerate(self.entries):
            if e.id == entry_id and e.pending:
                self.entries[i] = KeyEntry(e.id, e.original, e.replacement, e.kind, e.gender, e.coder,
                                           e.created, None)
                return True
        return False

    def drop(self, entry_id: str) -> None:
        self.entries = [e for e in self.entries if e.id != entry_id]

    def reconcile(self, used: set[str]) -> int:
        """After a crash: pending entries the project uses are confirmed, the others (their
        replacement never committed) dropped. Returns how many entries changed."""
        changed = 0
        for e in list(self.entries):
            if not e.pending:
                continue
            if e.id in used:
                self.confirm(e.id)
            else:
                self.drop(e.id)
            changed += 1
        return changed

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "version": VERSION,
            "key_id": self.key_id,
            "project_id": self.project_id,
            "project_name": self.project_name,
            "created": self.created,
            "modified": self.modified,
            "note": NOTE,
            "entries": [{k: v for k, v in asdict(e).items() if k != "pending" or v} for e in self.entries],
        }

    def save(self) -> None:
        self.modified = now()
        write_private(self.path, json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n")


def write_private(path: Path, content: str) -> None:
    """Write atomically (temporary file in the same folder, then rename), mode 0600."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".key-", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        os.chmod(path, 0o600)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _forbidden_places(project_path: Path) -> list[Path]:
    base = project_path.resolve()
    return [base, base.with_name(base.name + "-wal"), base.with_name(base.name + "-shm"),
            base.with_name(base.name + "-journal")]


def check_location(path: Path, project_path: Path | None) -> list[str]:
    """Refuse a key inside the project or its exports; warn when it sits beside it."""
    resolved = Path(path).expanduser().resolve()
    warnings: list[str] = []
    if project_path is None:
        return warnings
    if resolved in _forbidden_places(Path(project_path)):
        raise UserError("the key file must be a separate file, not the project file")
    exports = Path(project_path).resolve().parent / "exports"
    if exports == resolved.parent or exports in resolved.parents:
        raise UserError("do not keep the key file in the exports folder: exports are meant to be shared")
    if resolved.suffix == ".themecoder":
        raise UserError("give the key file another suffix than .themecoder (e.g. .json)")
    if resolved.parent == Path(project_path).resolve().parent:
        warnings.append("the key file is in the same folder as the project; keep it on separate, "
                        "protected storage if you can")
    return warnings


def open_key(path: str | Path, *, project=None, create: bool = True) -> KeyFile:
    """Open the key file at `path`, or create an empty one there (not yet written).

    With `project`, the key must belong to it (same project id, and the key id the project
    remembers, if any) and may not be stored inside the project or its exports folder.
    """
    path = Path(path).expanduser()
    warnings = check_location(path, project.path if project is not None else None)
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UserError(f"{path} is not a readable key file: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT or "key_id" not in data:
            raise UserError(f"{path} is not a themecoder key file")
        if int(data.get("version", 0)) > VERSION:
            raise UserError(f"{path} was written by a newer themecoder; upgrade themecoder")
        key = KeyFile(path, data)
        if project is not None:
            if key.project_id and project.id and key.project_id != project.id:
                raise UserError(f"{path} is the key of another project ({key.project_name or key.project_id})")
            known = project.setting("anonymisation.key_id")
            if known and known != key.key_id:
                raise UserError(f"{path} is not this project's key (the project was pseudonymised "
                                f"with another key file)")
        if project is not None and any(e.pending for e in key.entries):
            from themecoder import store

            if key.reconcile(store.identifiers.key_entries_used(project.db)):
                key.save()  # a replacement interrupted before: the key agrees with the project again
        if os.name == "posix" and path.stat().st_mode & 0o077:
            warnings.append(f"{path} was readable by others; it is now owner-only (0600)")
            os.chmod(path, 0o600)
    else:
        if not create:
            raise UserError(f"no key file at {path}")
        if not path.parent.is_dir():
            raise UserError(f"folder {path.parent} does not exist")
        if project is not None and project.setting("anonymisation.key_id"):
            raise UserError(f"no key file at {path}; the project has a key already "
                            f"(last at {project.setting('anonymisation.key_path') or 'an unknown place'})")
        stamp = now()
        key = KeyFile(path, {
            "key_id": str(uuid.uuid4()),
            "project_id": project.id if project is not None else "",
            "project_name": project.name if project is not None else "",
            "created": stamp, "modified": stamp, "entries": [],
        })
    key.warnings = warnings
    return key


def delete_key_file(path: str | Path) -> bool:
    """Overwrite the key file with random bytes, then remove it. False if it did not exist.

    (On SSDs and journalling or copy-on-write file systems overwriting does not guarantee
    the old blocks are gone; the file is removed either way. Backups are the user's to
    delete.)"""
    path = Path(path).expanduser()
    if not path.exists():
        return False
    try:
        size = path.stat().st_size
        with path.open("r+b") as fh:
            fh.write(secrets.token_bytes(max(size, 1)))
            fh.flush()
            os.fsync(fh.fileno())
    except OSError:
        pass
    path.unlink()
    return True
