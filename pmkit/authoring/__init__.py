"""Authoring a course: the scaffold of ``pmkit new``, YAML recreated from a JSON export,
and the JSON Schemas editors use to check content files as they are typed."""
