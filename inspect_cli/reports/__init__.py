"""Every report's frozen data model and the computation that builds it.

Renderers (``inspect_cli.render``) only format these models; nothing here prints.
"""
