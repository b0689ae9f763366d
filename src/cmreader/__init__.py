"""cmreader: a terminal reader for blog comments that knows what still waits for your answer."""

__version__ = "0.1.0"
