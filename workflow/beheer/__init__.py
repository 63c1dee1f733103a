"""Acts on the whole installation: setting it up (init) and applying a new version of the
definitions, with a preview and re-planning."""
