"""The bundled sample class: synthetic submissions for the five lessons (see README.md)."""
