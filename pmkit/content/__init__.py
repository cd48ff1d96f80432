"""Course content: YAML with positions, schemas, model building, rules, the cache.

The typed model lives in :mod:`pmkit.content.model`; plugins reach it through
the public API (``pmkit.Course``, ``pmkit.Track``, …), never through here.
"""
