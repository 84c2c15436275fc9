"""The bundled sample class: synthetic submissions for every lesson (see README.md)."""
