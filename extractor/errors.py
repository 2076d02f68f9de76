"""Errors a user sees: one clear line, no traceback."""


class ExtractError(Exception):
    """The input could not be read as an annual report at all (exit status 2)."""

    def __init__(self, message: str, code: str = "unreadable") -> None:
        super().__init__(message)
        self.code = code
