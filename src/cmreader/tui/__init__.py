"""The cmreader terminal app (Textual): import cmreader.tui.app for CmreaderApp and run_app."""
