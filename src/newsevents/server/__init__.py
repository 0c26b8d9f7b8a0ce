"""The HTTP API and offline dashboard: ``app`` (FastAPI routes, pages, errors), ``queries`` (the
one read path behind JSON and HTML), ``models`` (response schemas), ``charts`` and ``highlight``
(server-side SVG and article markup), ``templates/`` and ``static/`` (built by ``web/build.mjs``)."""
