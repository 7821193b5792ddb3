"""Rendering the report page from a context of display strings.

The template ships inside the package (``pipeline/report/templates``) so an installed wheel can
render without the source tree. Autoescaping is always on: unit texts come from third-party
documents and must never be able to inject markup into a page researchers open in a browser.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import jinja2

TEMPLATE = "index.html.j2"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    """Built once: loading is the slow part, and a finished Environment is safe to share."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(context: Mapping[str, object], template: str = TEMPLATE) -> str:
    """The whole page; StrictUndefined makes a context/template mismatch fail loudly in tests."""
    return _environment().get_template(template).render(**context)
