"""Commands whose single-valued options may each be given once: Click keeps the last of a repeated one."""

from __future__ import annotations

import click


class OnceCommand(click.Command):
    """A command that refuses an option given twice unless it takes many values (a build's `--lang`) or none (a
    flag): `build --out /srv/print --out output` wrote to `output` and said nothing of the first folder, `print
    --lang en --lang es` printed the Spanish, `approve --reviewer A --reviewer B` recorded B (34th pass)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not ctx.resilient_parsing:
            _, _, order = self.make_parser(ctx).parse_args(args=list(args))
            seen: set[str] = set()
            for param in order:
                if not isinstance(param, click.Option) or param.multiple or param.count or param.is_flag:
                    continue
                if (param.name or "") in seen:
                    names = " / ".join(param.opts + param.secondary_opts)
                    raise click.UsageError(f"{names} was given more than once; give it once, with the value you "
                                           "mean", ctx)
                seen.add(param.name or "")
        return super().parse_args(ctx, args)


class OnceGroup(click.Group):
    """A group of OnceCommands (`translate`)."""

    command_class = OnceCommand
