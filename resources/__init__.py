"""Shipped resources: model weights with their cards, the demo project, presets."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent
