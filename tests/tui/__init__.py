"""The reader through Pilot. A package, so its conftest (tui.conftest, the helpers its tests
import) is never taken for tests/conftest.py."""
