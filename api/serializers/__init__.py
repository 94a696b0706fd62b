"""Serializers: ``resources`` for reading, ``inputs`` for writing, ``brief`` for related
rows, ``figures`` for money."""
