"""Errors meant for the user: one clear line, never a traceback."""


class UserError(Exception):
    """Something the user can act on. The CLI prints it as one line and exits non-zero."""


class NotFound(UserError):
    pass


class Conflict(UserError):
    pass


class Ambiguous(UserError):
    """A reference that fits more than one thing; the message lists them."""
