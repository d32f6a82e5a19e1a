"""HTML reports: self-contained pages rendered from the jinja2 templates in templates/."""
