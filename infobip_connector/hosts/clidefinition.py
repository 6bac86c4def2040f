"""The commands that read a definition: ``definition``, ``schema``, and ``schemas`` and ``docs``,
which write a checkout's files from its own connector.yaml."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from .clijson import dump_json

if TYPE_CHECKING:
    from ..component import Component
    from ..definition.model import Action
    from ..definition.project import Project


def chosen_project(args: argparse.Namespace, *, installed_by_default: bool) -> Project:
    """The definition a command reads: ``--definition``, a checkout's, or the installed one."""
    from ..definition.project import Project, find_project

    if installed_by_default and args.definition is None:
        from ..definition.model import default_definition_path

        path = default_definition_path()
        return Project(path, Path.cwd(), installed=True)
    return find_project(args.definition)


def loaded_component(project: Project) -> Component:
    """The component of ``project``'s definition, loaded now so a broken file is a usage error."""
    from ..component import Component
    from ..definition.model import DefinitionError

    component = Component(project.definition)
    try:
        component.definition  # noqa: B018 (loads and checks the file)
    except DefinitionError as exc:
        raise UsageError([{"path": str(project.definition), "message": str(exc)}]) from None
    return component


def cmd_definition(args: argparse.Namespace) -> None:
    component = loaded_component(chosen_project(args, installed_by_default=True))
    dump_json(component.definition_json(), pretty=not args.compact)


def cmd_schema(args: argparse.Namespace) -> None:
    component = loaded_component(chosen_project(args, installed_by_default=True))
    if args.action == "connection":
        if args.output:
            raise UsageError(
                [
                    {
                        "path": "--output",
                        "message": "applies to actions only: the connection has one schema",
                    }
                ]
            )
        dump_json(component.connection_schema(), pretty=not args.compact)
        return
    check_action(component, args.action)
    schema = (
        component.output_schema(args.action) if args.output else component.input_schema(args.action)
    )
    dump_json(schema, pretty=not args.compact)


def cmd_schemas(args: argparse.Namespace) -> None:
    project = chosen_project(args, installed_by_default=False)
    schemas = loaded_component(project).schemas()
    folder = project.path(args.dir, "schemas")
    problems = []
    for name, schema in schemas.items():
        text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        target = folder / name
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        if args.check:
            state = "missing" if current is None else "out of date"
            problems.append(
                {"path": str(target), "message": f"{state}; run `infobip-connector schemas`"}
            )
        else:
            folder.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    if args.check:
        # A schema left over from a renamed or removed action is as wrong as a stale one.
        problems += [
            {"path": str(extra), "message": f"not derived from {project.describe()}; remove it"}
            for extra in sorted(folder.glob("*.json"))
            if extra.name not in schemas
        ]
    from ..definition.compiled import sync_checked_copy

    problems += sync_checked_copy(project.root, project.definition, check=args.check)
    if problems:
        raise _out_of_sync(problems, project)
    verb = "checked" if args.check else "wrote"
    print(f"{verb} {len(schemas)} schemas in {folder} from {project.describe()}")


def cmd_docs(args: argparse.Namespace) -> None:
    from ..definition.reference import render_reference

    project = chosen_project(args, installed_by_default=False)
    text = render_reference(loaded_component(project).definition)
    target = project.path(args.output, "docs/reference.md")
    if args.check:
        if not target.exists():
            state = "missing"
        elif target.read_text(encoding="utf-8") != text:
            state = "out of date"
        else:
            print(f"{target} is up to date with {project.describe()}")
            return
        problem = {"path": str(target), "message": f"{state}; run `infobip-connector docs`"}
        raise _out_of_sync([problem], project)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target} from {project.describe()}")


def _out_of_sync(problems: list[dict[str, str]], project: Project) -> UsageError:
    shown = "; ".join(f"{p['path']}: {p['message']}" for p in problems)
    return UsageError(problems, f"not in sync with {project.describe()}: {shown}")


def has_options(action: Action) -> bool:
    from ..definition.model import walk

    return any(prop.optionsFrom is not None for _, prop in walk(action.as_property()))


def check_action(component: Component, name: str) -> None:
    if name not in component.action_names:
        raise UsageError(
            [
                {
                    "path": "action",
                    "message": f"unknown action {name!r}; "
                    f"one of: {', '.join(component.action_names)}",
                }
            ]
        )
