"""The directory search, in three parts:

* :mod:`.queries`: the database side (the filtered distance search for the search page and
  the API, and the rows matching reads), a fixed number of queries however many programs match;
* :mod:`.ranking`: pure decisions over plain records (which programs a person can reach,
  which alternatives to offer, the fit score and its reasons), tested without a database;
* :mod:`.wording`: the translated words those reasons and the template tags use.

:mod:`.matching` joins queries and ranking for the assessment's result page. The names other
modules import are re-exported here.
"""

from programs.search.matching import Match, match_programs, score_program
from programs.search.queries import (
    PAGE_SIZE,
    Hit,
    SearchResults,
    as_querydict,
    base_queryset,
    distance_to,
    load_programs,
    search_programs,
)
from programs.search.ranking import (
    CANDIDATE_LIMIT,
    FLAG_FIRST,
    FLAG_NEEDS,
    FLAGS_WITH_MISSES,
    LEVELS_SERVING,
    STEP_DOWN,
    STEP_UP,
    Preferences,
    ranks_first,
)

__all__ = [
    "CANDIDATE_LIMIT",
    "FLAGS_WITH_MISSES",
    "FLAG_FIRST",
    "FLAG_NEEDS",
    "LEVELS_SERVING",
    "PAGE_SIZE",
    "STEP_DOWN",
    "STEP_UP",
    "Hit",
    "Match",
    "Preferences",
    "SearchResults",
    "as_querydict",
    "base_queryset",
    "distance_to",
    "load_programs",
    "match_programs",
    "ranks_first",
    "score_program",
    "search_programs",
]
