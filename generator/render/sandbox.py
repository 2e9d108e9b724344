"""A Jinja2 sandbox with bounds: a project's own template may shape the page, but not run for ever, fill the
memory, read files through links, or reach Python.

Jinja2's sandbox already keeps templates away from Python internals and caps `range()`; it does not bound what
a template computes. Here every value a template builds (a string, a list) stays under `MAX_VALUE` items, all
the values one render builds under `MAX_BUILT_BYTES` together, every number handed to a filter or method under
`MAX_NUMBER`, the output under `MAX_OUTPUT` characters, and the whole render under `SECONDS` (checked at every
call, filter, operator, output chunk and loop iteration, and by a timer signal in the main thread).
"""

from __future__ import annotations

import os
import stat
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Concat
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from generator.content.limits import check_time, deadline
from generator.content.walk import FONT_SUFFIXES
from generator.render.sandboxgrow import joined_size, measured, text_size
from generator.render.templatefault import refuse_include

MAX_VALUE = 2_000_000  # characters of one string, items of one list: a handout's whole XML is far smaller
MAX_NUMBER = 100_000  # an integer argument (a width, a count): the same bound as Jinja2's range()
MAX_INT_BITS = 4_096  # an integer a template computes (100,000 ** 64, the largest power allowed, has 1,063)
MAX_OUTPUT = 10_000_000  # characters a template may produce
# Bytes of all the values one render builds, together (each under MAX_VALUE): what it keeps can be no more. A
# handout's template builds a few megabytes; 700 values of 2 MB each, kept in a list, took 1.4 GB (eighth pass).
MAX_BUILT_BYTES = 400_000_000
MAX_TEMPLATE_BYTES = 1_000_000  # one template file
# The Python a template compiles to (the shipped ones: 16,000 and 30,000 characters). Python compiles it inside C,
# where no time bound runs: 27,000 empty macros (1 MB) compiled to 8 MB took `check` 97 s and 730 MB (thirtieth pass).
MAX_COMPILED = 500_000
# str methods whose result has no bound in their arguments' sizes (field widths, tab stops, translation tables).
UNBOUNDED_STR_METHODS = frozenset({"format", "format_map", "expandtabs", "translate", "maketrans"})
SECONDS = 10.0  # a handout renders in milliseconds


class TemplateLimit(SecurityError):
    """A template went past a bound (time, size, depth); the message says which."""


class _Built(threading.local):
    left: int = 0  # bytes the current render may still build; 0 outside a render (no bound)


_built = _Built()


def _sized(value: Any) -> Any:
    """`value`, unless it is a string or collection over the bound, or passes what the render may build."""
    if isinstance(value, (str, list, tuple, dict, set, frozenset, bytes)):
        if len(value) > MAX_VALUE:
            raise TemplateLimit(f"the template built a value of {len(value):,} items (at most {MAX_VALUE:,})")
        if _built.left:
            _built.left -= sys.getsizeof(value)
            if _built.left <= 0:
                raise TemplateLimit(f"the template built over {MAX_BUILT_BYTES // 1_000_000:,} MB of values in "
                                    "all (text joined, lists added); a handout's template needs a few")
    return value


def _check_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    check_time()
    for arg in (*args, *kwargs.values()):
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_NUMBER:
            raise TemplateLimit(f"the number {arg} is too large for a template (at most {MAX_NUMBER:,})")
        if isinstance(arg, float) and abs(arg) > MAX_NUMBER:
            raise TemplateLimit(f"the number {arg:g} is too large for a template (at most {MAX_NUMBER:,})")


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _length(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else len(str(value))


def _bounded_replace(value: Any, old: Any, new: Any, *rest: Any) -> None:
    """A replacement that would grow past the bound is refused before it is made."""
    if isinstance(value, str) and isinstance(old, str) and isinstance(new, str):
        count = value.count(old) if old else len(value) + 1
        if len(value) + count * max(len(new) - len(old), 0) > MAX_VALUE:
            raise TemplateLimit(f"a replacement would build a value over {MAX_VALUE:,} characters")


def _guard_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _check_args(args, kwargs)
        size, args, kwargs = measured(name, function, args, kwargs, MAX_VALUE)
        if size > MAX_VALUE:
            what = {"indent": "indenting this text", "join": "joining these values"}.get(name, f"the filter {name}")
            raise TemplateLimit(f"{what} would build over {MAX_VALUE:,} characters")
        values = [a for a in args if isinstance(a, (str, list, tuple))]
        if name == "replace" and len(args) >= 3:
            _bounded_replace(*[a for a in args if not isinstance(a, (jinja2.runtime.Context,
                                                                     jinja2.nodes.EvalContext))][:3])
        if name == "indent" and values and isinstance(values[0], str):
            width = next((a for a in args[1:] if isinstance(a, int)), 4)
            if len(values[0]) + values[0].count("\n") * (abs(width) if isinstance(width, int) else 4) > MAX_VALUE:
                raise TemplateLimit(f"indenting this text would build over {MAX_VALUE:,} characters")
        if name in ("join", "sum") and values:
            sequence = values[0]
            if isinstance(sequence, (list, tuple)) and sum(_length(v) for v in sequence) > MAX_VALUE:
                raise TemplateLimit(f"joining these values would build over {MAX_VALUE:,} characters")
        return _sized(function(*args, **kwargs))

    for attribute in ("jinja_pass_arg",):  # keep how Jinja2 passes the context or environment
        if hasattr(function, attribute):
            setattr(guarded, attribute, getattr(function, attribute))
    guarded.__name__ = getattr(function, "__name__", name)
    return guarded


def _guard_test(function: Callable[..., Any]) -> Callable[..., Any]:
    """A test (`is eq(x)`, `is in(y)`) of values measured first: it compares them inside C, past the time bound."""
    def guarded(*args: Any, **kwargs: Any) -> Any:
        check_time()
        for value in (*args, *kwargs.values()):
            BoundedSandbox.comparable(value)
        return function(*args, **kwargs)

    for attribute in ("jinja_pass_arg",):
        if hasattr(function, attribute):
            setattr(guarded, attribute, getattr(function, attribute))
    return guarded


def _printable(value: Any) -> Any:
    """A value printed with {{ }}, once its text is known to stay under the bound (a list listed many times)."""
    if not isinstance(value, str) and text_size(value, MAX_VALUE) > MAX_VALUE:
        raise TemplateLimit(f"printing this value would build over {MAX_VALUE:,} characters")
    return value


class _Buffer(list):  # type: ignore[type-arg]
    """What a macro or a captured block collects before joining it: bounded as it grows (a macro writing a
    million characters a thousand times held all of them, 1 GB, before the join could refuse them)."""

    size = 0

    def append(self, piece: Any) -> None:
        self.size += len(piece) if isinstance(piece, str) else 0
        if self.size > MAX_VALUE:
            raise TemplateLimit(f"a block or macro built text over {MAX_VALUE:,} characters")
        check_time()
        super().append(piece)

    def extend(self, pieces: Any) -> None:
        for piece in pieces:
            self.append(piece)


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles `a ~ b` to a concatenation that checks the result's size before building it, and the buffers of
    macros and captured blocks to lists bounded as they grow."""

    def buffer(self, frame: Frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.bounded_buffer()")

    def visit_Concat(self, node: Concat, frame: Frame) -> None:  # noqa: N802 - Jinja2's name
        if frame.eval_ctx.volatile:
            escape = "context.eval_ctx.volatile"
        else:
            escape = "True" if frame.eval_ctx.autoescape else "False"
        self.write("environment.bounded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(f"), {escape})")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox with bounds on time, sizes, numbers and output."""

    code_generator_class = _BoundedCodeGenerator

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        # Every `for` loop iterates through bounded_iter, which checks the time: a loop that calls nothing is
        # bounded too, also where no timer signal can fire (a render outside the main thread, e.g. the desk).
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Call(nodes.EnvironmentAttribute("bounded_iter"), [loop.iter], [], None, None,
                                   lineno=loop.iter.lineno)
        # Python compares lists item by item inside C, where no time check runs: two lists each holding the one
        # before twice, 40 times over, compared for over 75 s (twenty-first pass). Each side is measured first.
        for compare in list(tree.find_all(nodes.Compare)):
            for holder in (compare, *compare.ops):
                holder.expr = nodes.Call(nodes.EnvironmentAttribute("comparable"), [holder.expr], [], None, None,
                                         lineno=holder.expr.lineno)
        return tree

    def _compile(self, source: str, filename: str) -> Any:
        if len(source) > MAX_COMPILED:
            raise TemplateLimit(f"it compiles to {len(source):,} characters of Python, more than the "
                                f"{MAX_COMPILED:,} a template may (the shipped ones: under 30,000); make it shorter")
        return super()._compile(source, filename)

    @staticmethod
    def comparable(value: Any) -> Any:
        """`value`, once it is known to hold few enough items to compare within the time bound."""
        if not isinstance(value, str) and text_size(value, MAX_VALUE) > MAX_VALUE:
            raise TemplateLimit(f"comparing a value of over {MAX_VALUE:,} items (as its lists are listed) would "
                                "take too long")
        return value

    @staticmethod
    def bounded_iter(iterable: Any) -> Iterator[Any]:
        """Items of a loop, the time checked every 256 of them."""
        for count, item in enumerate(iterable):
            if not count % 256:
                check_time()
            yield item

    bounded_buffer = _Buffer

    @staticmethod
    def concat(pieces: Any) -> str:
        """What a macro, a `{% set %}` block or `{% filter %}` block captures, bounded like any value."""
        return _sized(joined(pieces, MAX_VALUE, "a block or macro built text over {:,} characters"))
    intercepted_binops = frozenset({"*", "**", "+", "%", "//", "/"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, finalize=_printable, **kwargs)
        # `format` is '%' formatting, whose widths ('%999999999d') build any size: text is joined with '~'.
        self.filters = {name: _guard_filter(name, f) for name, f in self.filters.items() if name != "format"}
        self.tests = {name: _guard_test(f) for name, f in self.tests.items()}
        self.globals.pop("lipsum", None)  # lorem ipsum of any length: nothing a handout needs

    def guard_filters(self) -> None:
        """Guard filters added after construction (the project's own, e.g. `inline`)."""
        for name, function in list(self.filters.items()):
            if getattr(function, "__name__", "") != "guarded":
                self.filters[name] = _guard_filter(name, function)

    def bounded_concat(self, parts: tuple[Any, ...], escape: bool) -> str:
        check_time()
        if sum(text_size(p, MAX_VALUE) for p in parts) > MAX_VALUE:  # before str() of a list (twenty-first pass)
            raise TemplateLimit(f"joining text with '~' would build over {MAX_VALUE:,} characters")
        strings = [p if isinstance(p, str) else str(p) for p in parts]
        if sum(len(s) for s in strings) > MAX_VALUE:
            raise TemplateLimit(f"joining text with '~' would build over {MAX_VALUE:,} characters")
        return _sized(markup_join(parts) if escape else str_join(parts))

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        check_time()
        if operator == "*":
            if _integer(left) and _integer(right) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                # Squaring again and again doubles the digits each time: one multiplication could run for
                # minutes inside Python, where no time check or signal interrupts it.
                raise TemplateLimit(f"a product would have over {MAX_INT_BITS:,} bits; too large for a template")
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) \
                        and len(sequence) * count > MAX_VALUE:
                    raise TemplateLimit(f"repeating a value {count:,} times would build over {MAX_VALUE:,} items")
        elif operator == "**":
            if isinstance(right, (int, float)) and abs(right) > 64 or \
                    isinstance(left, (int, float)) and abs(left) > MAX_NUMBER:
                raise TemplateLimit("a power is too large for a template")
        elif operator == "+":
            if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)) \
                    and len(left) + len(right) > MAX_VALUE:
                raise TemplateLimit(f"adding these values would build over {MAX_VALUE:,} items")
        elif operator == "%" and isinstance(left, str):
            raise TemplateLimit("'%' formatting of text is not allowed in templates; use '~' to join text")
        return _sized(super().call_binop(context, operator, left, right))

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _check_args(args, kwargs)
        name = getattr(__obj, "__name__", "")
        owner = getattr(__obj, "__self__", None)
        if name in ("index", "count", "changed"):  # they compare their arguments inside C (twenty-first pass)
            for value in (*args, *kwargs.values()):
                __self.comparable(value)
        if isinstance(owner, str):
            if name == "replace":
                _bounded_replace(owner, *args)
            if name == "join" and len(args) == 1:  # the separator repeats once per item (twenty-first pass)
                size, items = joined_size(owner, args[0], MAX_VALUE)
                if size > MAX_VALUE:
                    raise TemplateLimit(f"joining these values would build over {MAX_VALUE:,} characters")
                args = (items,)
        return _sized(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        check_time()
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, str) and attr == "encode":  # bytes' join, replace, expandtabs: unbounded (21st pass)
            raise TemplateLimit("str.encode is not allowed in templates: a handout's template prints text, and "
                                "bytes escape the bounds text has")
        if isinstance(obj, str) and attr in UNBOUNDED_STR_METHODS:
            raise TemplateLimit(f"str.{attr} is not allowed in templates (it can build text of any size); "
                                "use '~' to join text")
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> None:
        """No str.format, wrapped or not: `is_safe_attribute` refuses it (its field widths build any size)."""
        return None

    def getitem(self, obj: Any, argument: Any) -> Any:
        check_time()
        return super().getitem(obj, argument)


class ProjectLoader(jinja2.BaseLoader):
    """Template files from folders, each a regular file inside its folder (links resolved), of bounded size."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = [Path(f) for f in folders]

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        refuse_include(template, self.folders)  # says why, unlike TemplateNotFound from:
        pieces = jinja2.loaders.split_template_path(template)  # refuses '..'
        if Path(template).suffix.lower() in FONT_SUFFIXES:  # hashed as a face only (21st pass)
            raise jinja2.TemplateError(f"{template}: a template named like a font file (.ttf, .ttc, .otf) is not "
                                       "read, since font files count only as the faces fonts.yaml names; "
                                       "rename it to end in .j2")
        for folder in self.folders:
            base = folder.resolve()
            candidate = base.joinpath(*pieces)
            try:
                resolved = candidate.resolve()
            except (OSError, RuntimeError):
                continue
            if not os.path.lexists(candidate):
                continue
            if not resolved.is_relative_to(base):
                raise jinja2.TemplateError(f"{template}: the template is a link leading outside {folder}; "
                                           "copy the file into the templates folder")
            text, version = _read_template(resolved, template)

            def uptodate(path: Path = resolved, seen: tuple[int, ...] = version) -> bool:
                try:
                    return _version(path.stat()) == seen
                except OSError:
                    return False

            return text, str(resolved), uptodate
        raise jinja2.TemplateNotFound(template)


def _version(info: os.stat_result) -> tuple[int, ...]:
    """What tells a template file changed: a copy or `touch` can restore its size and modification time, not its
    change time and inode (eighth pass: the desk kept rendering an edited template's old compile)."""
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _read_template(path: Path, name: str) -> tuple[str, tuple[int, ...]]:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise jinja2.TemplateError(f"{name}: cannot read the template ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise jinja2.TemplateError(f"{name}: the template is not a regular file (a device, a pipe?)")
        data = handle.read(MAX_TEMPLATE_BYTES + 1)
    if len(data) > MAX_TEMPLATE_BYTES:
        raise jinja2.TemplateError(f"{name}: the template is larger than {MAX_TEMPLATE_BYTES:,} bytes")
    try:
        return data.decode("utf-8"), _version(info)
    except UnicodeDecodeError:
        raise jinja2.TemplateError(f"{name}: the template is not UTF-8 text") from None


def render_bounded(template: jinja2.Template, **context: Any) -> str:
    """Render within the time and output bounds."""
    from generator.content.limits import TimeLimit
    from generator.render import renderbudget

    outer, _built.left, limit = _built.left, MAX_BUILT_BYTES, renderbudget.allowed(SECONDS)
    try:
        with renderbudget.timed(), deadline(max(0.0, limit), "the template"):
            return joined(template.generate(**context), MAX_OUTPUT, "the template produced over {:,} characters")
    except TimeLimit:
        if limit < SECONDS and (spent := renderbudget.exhausted()):  # check's renders together, not this one
            raise TemplateLimit(spent) from None
        raise
    finally:
        _built.left = outer


def joined(pieces: Any, limit: int, message: str) -> str:
    """Text pieces joined, refused (`message` with the limit) once they pass `limit` characters, the time bound
    checked at every piece."""
    items, size = [], 0
    for piece in pieces:
        size += len(piece)
        if size > limit:
            raise TemplateLimit(message.format(limit))
        items.append(piece)
        check_time()
    return "".join(items)
