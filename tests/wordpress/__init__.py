"""A real WordPress for the sync's tests (site.py), and a proxy that misbehaves on demand
(proxy.py)."""
