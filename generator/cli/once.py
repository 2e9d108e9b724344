"""Options that take one value may be given once: Click keeps the last of several, unsaid (thirty-fourth pass:
`print tiny --lang en --lang es` printed the Spanish; `approve --reviewer A --reviewer B` recorded B)."""

from __future__ import annotations

import click


def _repeated(command: click.Command, ctx: click.Context, args: list[str]) -> str:
    """The first option taking one value that `args` give more than once ("" if none)."""
    _, _, order = command.make_parser(ctx).parse_args(args=list(args))
    seen: set[str] = set()
    for param in order:
        if not isinstance(param, click.Option) or param.multiple or param.count or param.is_flag:
            continue
        if param.name in seen:
            return " / ".join(param.opts + param.secondary_opts)
        seen.add(param.name or "")
    return ""


class OnceCommand(click.Command):
    """A command refusing an option that takes one value given twice: a usage error, exit 2."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if option := _repeated(self, ctx, args):
            raise click.UsageError(f"{option} is given more than once; it takes one value: give it once", ctx)
        return super().parse_args(ctx, args)


class OnceGroup(click.Group):
    """A group whose commands and subgroups refuse a repeated one-value option."""

    command_class = OnceCommand


OnceGroup.group_class = OnceGroup
