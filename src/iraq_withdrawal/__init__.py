"""iraq-withdrawal: a hand-curated dataset of Arabic news reporting on the US-led coalition's withdrawal from Iraq."""

__version__ = "0.1.0"

__all__ = ["__version__"]
