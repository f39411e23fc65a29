"""Safe, size-limited, streaming XML: records are handed over one at a time, then freed.

The parser is lxml's pull parser (the feeding twin of `iterparse`): bytes are counted and
checked for a DTD *before* libxml2 sees them, and no entity is resolved, no DTD loaded and no
network reached. Elements are matched by local name, whatever their namespace.
"""

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import BinaryIO, Literal

from lxml import etree

from payroll_adapters.model import Problem
from payroll_adapters.streams import StreamError, chunks

_DTD_MARKS = tuple(
    mark.encode(encoding)
    for mark in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
_LONGEST_MARK = max(len(mark) for mark in _DTD_MARKS)


def local(element: etree._Element) -> str:
    """An element's name without its namespace."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def line_of(element: etree._Element) -> int | None:
    """The line an element starts on (lxml's stubs type `sourceline` loosely)."""
    line = getattr(element, "sourceline", None)
    return line if isinstance(line, int) else None


def elements(parent: etree._Element) -> list[etree._Element]:
    """Child elements only (no comments, processing instructions or entities)."""
    return [child for child in parent if isinstance(child.tag, str)]


def text(element: etree._Element | None) -> str | None:
    """Stripped text of an element; None when absent, empty or xsi:nil."""
    if element is None:
        return None
    value = (element.text or "").strip()
    if not value:
        return None
    for name in element.keys():  # noqa: SIM118 - iterating an element gives its children
        if str(name).endswith("}nil") and str(element.get(name)).strip() in ("true", "1"):
            return None
    return value


def child(parent: etree._Element, name: str) -> etree._Element | None:
    """The first child element with local name `name`."""
    for candidate in elements(parent):
        if local(candidate) == name:
            return candidate
    return None


def child_path(path: str, parent: etree._Element, element: etree._Element) -> str:
    """`path` extended by `element`, indexed like XPath when it has same-named siblings."""
    name = local(element)
    if len(parent) == 1:
        return f"{path}/{name}"
    same = list(parent.iterchildren(f"{{*}}{name}"))
    if len(same) > 1:
        return f"{path}/{name}[{same.index(element) + 1}]"
    return f"{path}/{name}"


def named(path: str, parent: etree._Element, name: str) -> list[tuple[etree._Element, str]]:
    """The children called `name` with their paths, in one pass (rows can be many)."""
    found = [candidate for candidate in elements(parent) if local(candidate) == name]
    if len(found) == 1:
        return [(found[0], f"{path}/{name}")]
    return [(element, f"{path}/{name}[{index}]") for index, element in enumerate(found, 1)]


def path_within(node: "Node", element: etree._Element) -> str:
    """The path of an element inside a record (or the record itself), from the root."""
    chain = []
    current: etree._Element | None = element
    while current is not None and current is not node.element:
        chain.append(current)
        current = current.getparent()
    path, parent = node.path, node.element
    for step in reversed(chain):
        path, parent = child_path(path, parent, step), step
    return path


@dataclass(frozen=True)
class Node:
    """A record element handed to an adapter, with where it was found."""

    element: etree._Element
    name: str
    path: str
    line: int | None


class _Open:
    __slots__ = ("counts", "index", "name")

    def __init__(self, name: str, index: int) -> None:
        self.name = name
        self.index = index
        self.counts: dict[str, int] = {}


def _malformed(error: etree.LxmlError) -> Problem:
    line = getattr(error, "lineno", None) or None
    message = str(error)
    code = "xml_encoding" if "encoding" in message.lower() or "utf-8" in message.lower() else ""
    return Problem(code or "xml_malformed", "", line=line, params=(str(line or 1),), fatal=True)


def _refused() -> StreamError:
    return StreamError(Problem("doctype_refused", "", fatal=True))


def _parser(
    events: tuple[Literal["start", "end"], ...], tag: Collection[str] | None = None
) -> etree.XMLPullParser:
    """A pull parser that resolves no entity, loads no DTD and reaches no network."""
    return etree.XMLPullParser(
        events=events,
        tag=tag,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


class _Streaming:
    """Feeding the parser: the size limit, the DTD refusal and broken input, for both streams."""

    def __init__(self, stream: BinaryIO, *, max_bytes: int) -> None:
        self._stream = stream
        self._max_bytes = max_bytes
        self.root_element: etree._Element | None = None

    def _new_parser(self) -> etree.XMLPullParser:
        raise NotImplementedError

    def _events(self, parser: etree.XMLPullParser) -> Iterator[Node]:
        raise NotImplementedError

    def _closed(self, root: etree._Element | None) -> None:
        """Called with the parsed root once the input has ended."""

    def __iter__(self) -> Iterator[Node]:
        parser = self._new_parser()
        tail = b""
        for chunk in chunks(self._stream, self._max_bytes):
            if self.root_element is None:
                window = (tail + chunk).upper()
                if any(mark in window for mark in _DTD_MARKS):
                    raise _refused()
                tail = window[-_LONGEST_MARK:]
            yield from self._fed(parser, chunk)
        if self.root_element is None and not tail:
            raise StreamError(Problem("empty_file", "", fatal=True))
        yield from self._fed(parser, None)

    def _fed(self, parser: etree.XMLPullParser, chunk: bytes | None) -> Iterator[Node]:
        try:
            if chunk is None:
                self._closed(parser.close())
            else:
                parser.feed(chunk)
        except etree.LxmlError as error:
            # Records completed before the error are whole; hand them over first.
            yield from self._events(parser)
            raise StreamError(_malformed(error)) from None
        yield from self._events(parser)

    def _check_root(self, root: etree._Element, expected: str | None) -> None:
        docinfo = root.getroottree().docinfo
        if getattr(docinfo, "doctype", "") or getattr(docinfo, "internalDTD", None):
            raise _refused()
        if expected is not None and local(root) != expected:
            raise StreamError(Problem("wrong_root", "", params=(expected,), fatal=True))


class XmlStream(_Streaming):
    """Yields each outermost `records` element once it is complete.

    Everything outside a record is freed as soon as it ends, and a record (with its already
    handled predecessors) right after the adapter is done with it, so memory stays flat however
    many records a file holds. Raises StreamError for a refused, broken or too large input.
    `repeated` names elements whose path always carries an index ("person[1]").
    """

    def __init__(
        self,
        stream: BinaryIO,
        *,
        max_bytes: int,
        records: Collection[str],
        repeated: Collection[str] = (),
        root: str | None = None,
    ) -> None:
        super().__init__(stream, max_bytes=max_bytes)
        self._records = frozenset(records)
        self._repeated = frozenset(repeated)
        self._root = root
        self._stack: list[_Open] = []
        self._open_records = 0

    def _new_parser(self) -> etree.XMLPullParser:
        return _parser(("start", "end"))

    def _events(self, parser: etree.XMLPullParser) -> Iterator[Node]:
        for event, element in parser.read_events():
            if not isinstance(element, etree._Element):
                continue
            if event == "start":
                self._start(element)
                continue
            name = self._stack[-1].name
            is_record = name in self._records
            if is_record:
                self._open_records -= 1
                if self._open_records == 0:
                    yield Node(element, name, self.path(), line_of(element))
            if self._open_records == 0:
                _release(element)
            self._stack.pop()

    def _start(self, element: etree._Element) -> None:
        name = local(element)
        if not self._stack:
            self._check_root(element, self._root)
            self.root_element = element
            self._stack.append(_Open(name, 1))
        else:
            counts = self._stack[-1].counts
            counts[name] = counts.get(name, 0) + 1
            self._stack.append(_Open(name, counts[name]))
        if name in self._records:
            self._open_records += 1

    def path(self) -> str:
        """Path of the element being handled, from the root ("/paxml/personal/person[3]")."""
        parts = []
        for level in self._stack:
            indexed = level.index > 1 or level.name in self._repeated
            parts.append(f"{level.name}[{level.index}]" if indexed else level.name)
        return "/" + "/".join(parts)


class TopLevelStream(_Streaming):
    """Yields each child of the root named in `records` once it is complete, for flat files of
    many small records (AGI: thousands of forms side by side under one root).

    libxml2 is asked to report only the root and the records (a tag filter), not every element
    as XmlStream does, so reading costs little more than parsing. Only the root's children are
    records: an element with a record's name deeper down is part of what holds it. A record is
    freed, with what came before it, once the adapter is done with it, and whatever else builds
    up outside records is cut back after every chunk, so memory stays flat.
    """

    def __init__(
        self,
        stream: BinaryIO,
        *,
        max_bytes: int,
        records: Collection[str],
        root: str,
        repeated: Collection[str] = (),
    ) -> None:
        super().__init__(stream, max_bytes=max_bytes)
        self._records = frozenset(records)
        self._repeated = frozenset(repeated)
        self._root = root
        self._counts: dict[str, int] = {}

    def _new_parser(self) -> etree.XMLPullParser:
        tags = [f"{{*}}{name}" for name in (self._root, *sorted(self._records))]
        return _parser(("start", "end"), tags)

    def _closed(self, root: etree._Element | None) -> None:
        if self.root_element is None and root is not None:
            self._check_root(root, self._root)

    def _events(self, parser: etree.XMLPullParser) -> Iterator[Node]:
        root = self.root_element
        for event, element in parser.read_events():
            if not isinstance(element, etree._Element):
                continue
            if root is None:
                # The first event is the root's start, unless the root has another name.
                root = element.getroottree().getroot()
                self._check_root(root, self._root)
                self.root_element = root
            if event == "start" or element.getparent() is not root:
                continue
            name = local(element)
            index = self._counts[name] = self._counts.get(name, 0) + 1
            step = f"{name}[{index}]" if index > 1 or name in self._repeated else name
            yield Node(element, name, f"/{self._root}/{step}", line_of(element))
            _release(element)
        if root is not None:
            self._trim(root)

    def _trim(self, root: etree._Element) -> None:
        """Drop what has ended outside records: down the open branch, each element's earlier
        siblings (a record is only released whole, by the events)."""
        parent = root
        while len(parent):
            last = parent[-1]
            while last.getprevious() is not None:
                del parent[0]
            if parent is root and isinstance(last.tag, str) and local(last) in self._records:
                return
            parent = last


def _release(element: etree._Element) -> None:
    """Free an element's subtree and the siblings handled before it."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
