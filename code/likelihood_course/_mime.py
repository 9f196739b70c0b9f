"""The MIME types of the course's interactive outputs (see `explorers`, `selfcheck` and
`site_render`): the course site renders them; everything else shows the fallbacks beside them."""

EXPLORER = "application/vnd.likelihood-course.explorer+json"
QUESTION = "application/vnd.likelihood-course.question+json"
ANSWERS = "application/vnd.likelihood-course.answers+json"
