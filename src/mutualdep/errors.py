"""Errors a user can act on.

`InputError` is raised for anything wrong with what the user gave us (a scenario file, a
`--set` override, a built-in name). The CLI turns it into one line on stderr and exit code 2.
"""


class InputError(Exception):
    """Bad user input: the message names the file, the key and what was expected."""
