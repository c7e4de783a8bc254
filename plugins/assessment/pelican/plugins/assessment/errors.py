"""The assessment's errors are the widget core's: one type for every widget."""

from pelican_widget_blocks.errors import BlockBuildError as AssessmentBuildError
from pelican_widget_blocks.errors import BlockError as AssessmentError
from pelican_widget_blocks.errors import Problem, display_path

__all__ = ["AssessmentBuildError", "AssessmentError", "Problem", "display_path"]
