"""The API's views: ``resources`` (one viewset per resource), ``reports`` (summary and
timeline) and ``service`` (root and health)."""
