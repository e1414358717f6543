"""The formats of ``advisor recommend``'s report, by name. Each format has its own module
(``text``, ``markdown``, ``json``, ``sarif``) with a subclass of
:class:`~advisor.report.formats.base.Formatter` that renders a :class:`~advisor.explain.result.Result`."""

from __future__ import annotations

from advisor.report.formats.base import Formatter
from advisor.report.formats.json import JsonFormatter
from advisor.report.formats.markdown import MarkdownFormatter
from advisor.report.formats.sarif import SarifFormatter
from advisor.report.formats.text import TextFormatter

FORMATTERS: dict[str, type[Formatter]] = {
    f.name: f for f in (TextFormatter, MarkdownFormatter, JsonFormatter, SarifFormatter)
}
