"""Entry module: importing it registers every action (rasa-sdk also walks the package itself)."""
from actions.forms import ActionAskBudget, ActionAskProductType, ActionAskSection, ValidateShoppingForm  # noqa: F401
from actions.handoff import ActionHandoff  # noqa: F401
from actions import bag, piece_questions, recommend  # noqa: F401
from actions import shopping  # noqa: F401
from actions.session import ActionSessionStart  # noqa: F401
