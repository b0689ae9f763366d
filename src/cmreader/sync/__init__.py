"""Live WordPress sites: the REST client, the outbox's publisher, and the pull."""
