"""Every report's frozen data model and the computation that builds it.

Renderers (``inspect_cli.render``) only format these models; nothing here prints.
Every number a report shows is computed in these modules. Percentages are whole
numbers rounded half up, of the row's own total, exactly as the published tables do.
"""
