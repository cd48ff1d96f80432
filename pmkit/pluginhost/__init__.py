"""The plugin host: hook specifications, finding and loading plugins, isolating failures.

Named ``pluginhost`` so it cannot be confused with ``pmkit_builtins`` (the
built-in plugins, which load through it exactly as third-party plugins do).
"""
