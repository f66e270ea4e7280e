"""Transitional: the key file's rules live in :mod:`themecoder.core.key_file`."""
from themecoder.core.key_file import (  # noqa: F401  # TRANSITIONAL: remove at integration
    FORMAT,
    NOTE,
    VERSION,
    KeyEntry,
    KeyFile,
    check_location,
    delete_key_file,
    fold,
    open_key,
    write_private,
)
