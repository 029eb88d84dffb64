"""Makes Tests/support (what the Python tests share, see carejourney.py there) importable by every Python test."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "support"))
