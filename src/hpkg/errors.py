"""The one exception type the library raises for problems a user can fix."""

from __future__ import annotations


class HpkgError(Exception):
    """A user-facing error: bad input, unknown name, failed load. The message says what to do."""


class RdfSyntaxError(HpkgError):
    """Malformed RDF: carries the file, line and column of the problem."""

    def __init__(self, file: str, line: int | None, column: int | None, message: str) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.parser_message = message
        where = file
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")


class QuerySyntaxError(HpkgError):
    """Malformed SPARQL: the parser's message with its position."""
