"""Excel workbooks, built with the shared kit in :mod:`inspect_cli.render.xlsx.kit`."""
