"""Which ``connector.yaml`` the generating commands read, and where their files go.

``schemas`` and ``docs`` regenerate files of a checkout, so they must read that checkout's
definition, not the copy installed with the package (after ``pip install .`` the two
differ as soon as the checkout is edited). The definition is ``--definition FILE`` when
given, else the first ``connector.yaml`` found in the current directory or a parent (the
checkout being worked on), else the installed copy. Default output paths are relative to
the folder of that file (or to the current directory for the installed copy), so the
commands do the same from any sub-folder of a checkout.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import default_definition_path

DEFINITION_NAME = "connector.yaml"


@dataclass(frozen=True)
class Project:
    """Where the definition was found; ``root`` anchors default output paths."""

    definition: Path
    root: Path
    installed: bool  # True: no checkout found, the package's own copy is used

    def describe(self) -> str:
        """How messages name the definition read, e.g. ``/src/app/connector.yaml``."""
        return f"the installed copy {self.definition}" if self.installed else str(self.definition)

    def path(self, given: str | None, default: str) -> Path:
        """``given`` as typed (relative to the current directory), else ``root / default``."""
        return Path(given) if given is not None else self.root / default


def find_project(explicit: str | None, start: Path | None = None) -> Project:
    """The definition to read: ``explicit``, else the nearest checkout's, else the installed one.

    Symbolic links are resolved, so the package folder of an editable install (whose
    ``connector.yaml`` links to the checkout's) leads to the checkout itself.
    """
    if explicit is not None:
        chosen = Path(explicit)
        return Project(chosen, chosen.resolve().parent, installed=False)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / DEFINITION_NAME
        if candidate.is_file():
            found = candidate.resolve()
            return Project(found, found.parent, installed=False)
    return Project(default_definition_path(), here, installed=True)
