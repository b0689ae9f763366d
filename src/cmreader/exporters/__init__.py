"""Exporters: what the store holds, as the documented JSON contract or a Markdown document."""
