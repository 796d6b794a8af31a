"""Route handlers, one module per resource group; ``CONTROLLERS`` lists them all."""

from .bulk import BulkController
from .decks import DeckController
from .guides import GuideController
from .health import HealthController
from .index import IndexController
from .problems import ProblemController
from .questions import QuestionController
from .search import SearchController
from .topics import TopicController

CONTROLLERS = [
    IndexController,
    GuideController,
    TopicController,
    QuestionController,
    SearchController,
    BulkController,
    DeckController,
    HealthController,
    ProblemController,
]

__all__ = ["CONTROLLERS"]
