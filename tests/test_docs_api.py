"""docs/api.md's examples run, as written, against the real data."""

import doctest
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def test_api_doc_examples_run():
    text = DOC.read_text(encoding="utf-8")
    assert text.count(">>>") >= 10, "the doc has examples"
    result = doctest.testfile(str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
                              verbose=False)
    assert result.attempted >= 10
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in docs/api.md failed (see output)"
