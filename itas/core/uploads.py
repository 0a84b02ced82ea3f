"""Where an uploaded file is stored: under a generated name, never under the name it came with.

A user's file name can be longer than the file system allows (124 Thai characters are 372
bytes in UTF-8; ext4 takes 255), can carry characters a file system or a shell treats
specially, and can collide with another upload. The name the user gave is kept in the row, for
the download, and the stored file gets a random one with the original extension.
"""

from __future__ import annotations

import secrets
from pathlib import PurePath

ORIGINAL_NAME_LENGTH = 255


def generated_name(folder: str, filename: str) -> str:
    """`folder/<32 hex digits><.ext>`; the extension is kept (lower case, at most 10 chars) so
    that the stored file still says what it is."""
    suffix = PurePath(filename or "").suffix.lower()
    if not suffix[1:].isalnum() or len(suffix) > 10:
        suffix = ""
    return f"{folder.rstrip('/')}/{secrets.token_hex(16)}{suffix}"


def original_name(filename: str) -> str:
    """The name to offer on download: the base name as given, shortened (keeping its
    extension) to fit the column."""
    name = PurePath((filename or "").replace("\\", "/")).name.strip() or "file"
    if len(name) <= ORIGINAL_NAME_LENGTH:
        return name
    suffix = PurePath(name).suffix
    if len(suffix) > 10:
        suffix = ""
    return name[: ORIGINAL_NAME_LENGTH - len(suffix)] + suffix
