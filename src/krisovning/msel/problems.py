"""An MSEL that cannot be used: one message naming the file, and the row and column when known."""

from __future__ import annotations

from krisovning.i18n import t


class MselError(Exception):
    """Raised with a message already in the user's language."""

    def __init__(self, file: str, message: str, row: int | None = None, column: str | None = None) -> None:
        self.file, self.message, self.row, self.column = file, message, row, column
        if row is not None and column is not None:
            text = t("msel.at_cell", file=file, row=row, column=column, message=message)
        elif row is not None:
            text = t("msel.at_row", file=file, row=row, message=message)
        else:
            text = t("msel.in_file", file=file, message=message)
        super().__init__(text)


class CellError(ValueError):
    """A value that cannot be read; the reader adds file, row and column."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
