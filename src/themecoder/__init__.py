"""themecoder: qualitative interview analysis for Norwegian theses."""
__version__ = "0.1.0"
