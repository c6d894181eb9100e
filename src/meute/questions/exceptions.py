from meute.core.exceptions import MeuteError


class QuestionError(MeuteError):
    """A question, answer, comment, article or obligation cannot be created or changed as asked."""
