"""`make site`: one chapter's page built in fast mode (about 10 s on a quiet 2-core machine: the notebook runs)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.in_handout import needs_solutions
from tools import build_site


@needs_solutions
def test_one_chapter_s_page_has_its_headings_pictures_navigation_and_no_error(tmp_path: Path):
    everything = build_site.chapters()
    chapter = next(c for c in everything if c.label == "01")
    assert [c.label for c in everything][:2] == ["primer", "00"] and chapter.title == "Linear regression"
    assert chapter.teaches and chapter.minutes.endswith("min")  # from the README's chapter table
    (page,) = build_site.build(tmp_path, fast=True, only=["01"], echo=False)
    text = page.read_text(encoding="utf-8")

    notebook = json.loads(chapter.notebook.read_text(encoding="utf-8"))
    headings = [
        line[3:].strip()
        for cell in notebook["cells"]
        if cell["cell_type"] == "markdown"
        for line in "".join(cell["source"]).splitlines()
        if line.startswith("## ")
    ]
    assert len(headings) >= 5
    found = [title for _, title in build_site.sections(text)]
    assert [re.sub(r"[`*]", "", h) for h in headings] == found  # every section, in order, in the page's contents

    images = re.findall(r"<img [^>]*src=\"([^\"]{0,30})", text)
    assert len(images) >= 5 and all(src.startswith("data:image/png;base64,") for src in images)  # inlined
    assert "Traceback" not in text and 'data-mime-type="application/vnd.jupyter.stderr"' not in text
    assert "<title>01 Linear regression</title>" in text
    before, after = everything[everything.index(chapter) - 1], everything[everything.index(chapter) + 1]
    assert f"<a href='{before.page}'>" in text and f"<a href='{after.page}'>" in text
    assert text.count("class='course-nav") == 2  # at the top and at the bottom

    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert f"<a href='{chapter.page}'>01 · Linear regression</a>" in index and "fast mode" in index
    assert (tmp_path / ".nojekyll").is_file()
