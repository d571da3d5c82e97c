"""Holding out the last weeks of purchases and measuring every model on them (issue 3)."""

from recommender.evaluation.report import write_report
from recommender.evaluation.runner import Evaluation, evaluate, evaluate_split, measure
from recommender.evaluation.split import GroundTruth, holdout_split, validation_split

__all__ = [
    "Evaluation",
    "GroundTruth",
    "evaluate",
    "evaluate_split",
    "holdout_split",
    "measure",
    "validation_split",
    "write_report",
]
