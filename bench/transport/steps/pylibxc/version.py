"""The libxc major version this binding reports to Hotcent (Debian bookworm's libxc9 is libxc 6)."""
__version__ = "6.0.0"
