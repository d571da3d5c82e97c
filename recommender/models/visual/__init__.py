"""The visual taste model (DVBPR on a fashion-pre-trained CNN): see `dvbpr.py`."""
from recommender.models.visual.dvbpr import VisualConfig, VisualModel

__all__ = ["VisualConfig", "VisualModel"]
