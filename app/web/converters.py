"""URL converters: numbers in paths bounded as the database stores them."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

INT32_MAX = 2**31 - 1


class NumberConverter(IntegerConverter):
    """`<number:name>`: a positive PostgreSQL `integer`. A larger number can name nothing, so
    it is a 404 like any unknown path, never an out-of-range error from the database."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(url_map, min=1, max=INT32_MAX)
