"""Stand-ins for outside services we cannot reach (SMS gateway; later payments).

Each runs as its own process on loopback and speaks a protocol documented in
docs/sandboxes.md. They import neither Django nor `backend`.
"""
