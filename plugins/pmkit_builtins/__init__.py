"""pmkit's built-in plugins. Each subpackage is one plugin and uses only
pmkit's public API, exactly as a third-party plugin would."""
