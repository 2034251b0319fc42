"""Questionnaire definitions (YAML) and their loader."""
from .loader import QuestionnaireError, available, from_content, load_file, parse
from .model import Item, Questionnaire

__all__ = ["Item", "Questionnaire", "QuestionnaireError", "available", "from_content", "load_file", "parse"]
