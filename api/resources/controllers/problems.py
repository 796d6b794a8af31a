"""``/problems``: what each kind of error means; a problem's ``type`` links here."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import Parameter

from ...errors import NotFound
from ...http.problems import KINDS, PROBLEMS_PATH, ProblemType, error_responses, problem_type
from ..params import ex

CodePath = Annotated[
    str,
    Parameter(description="A problem's `code`.", examples=ex("not_found", "an unknown guide")),
]


class ProblemController(Controller):
    path = PROBLEMS_PATH
    tags = ["problems"]

    @get(
        "/",
        operation_id="listProblemTypes",
        summary="List the kinds of error",
        responses=error_responses(),
        sync_to_thread=False,
    )
    def list_problem_types(self) -> list[ProblemType]:
        """Every kind of error the API answers with, by `code`; needs no API key."""
        return [problem_type(code) for code in KINDS]

    @get(
        "/{code:str}",
        operation_id="getProblemType",
        summary="What a kind of error means",
        responses=error_responses(404),
        sync_to_thread=False,
    )
    def get_problem_type(self, code: CodePath) -> ProblemType:
        """What the errors whose `type` is this URL mean, and what to do about them."""
        if code not in KINDS:
            raise NotFound(f"no kind of problem {code!r}; the list is at {PROBLEMS_PATH}")
        return problem_type(code)
