"""The web UI served by ``khabar serve``: Jinja2 pages, our own CSS and JS, SVG charts."""
