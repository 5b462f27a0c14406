"""The project's demo: the site's structure, the demo content and the volume generator (project layer, no app)."""
