"""Build the course as a static website: every solution notebook run in full, with its outputs and pictures.

    python tools/build_site.py [--out site] [--fast] [--only 01 --only 03] [--timeout 1800]

Each solution notebook (the primer, then the chapters, found by name in ``notebooks/solutions/``) is run top to
bottom in a fresh kernel with nbclient, in full mode unless ``--fast`` is given, and written as one HTML page by
nbconvert (pictures inlined as data, so every page stands on its own). Each page gets a bar with the previous and
next chapter and the chapter's sections; ``index.html`` lists the chapters with what each teaches (from the
README's chapter table) and their sections. A cell that raises stops the build: the site never shows a broken
chapter. Interactive widgets are drawn as they were last shown, as plain HTML (their sliders and boxes with
their values, their pictures and text), so the page shows them without fetching a widget library. Open
``site/index.html``, or publish the folder as it is
(GitHub Pages, any web server).
"""

from __future__ import annotations

import argparse
import html
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "notebooks" / "solutions"
_README_ROW = re.compile(
    r"^\| *([^|]+?) *\| *\[([^\]]+)\]\(notebooks/([^)]+)\.ipynb\) *\| *([^|]+?) *\| *([^|]+?) *\|$"
)
_HEADING = re.compile(r'<h([12]) id="([^"]+)">(.*?)(?:<a class="anchor-link"[^>]*>.*?</a>)?</h\1>', re.DOTALL)


@dataclass
class Chapter:
    notebook: Path
    label: str  # "primer", "00", "01", ...
    title: str
    teaches: str
    minutes: str

    @property
    def page(self) -> str:
        return self.notebook.stem + ".html"


def solution_notebooks() -> list[Path]:
    """The solution notebooks in course order: the primer first, then the chapters."""
    return sorted(SOLUTIONS.glob("primer_*.ipynb")) + sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb"))


def chapters(only: list[str] | None = None) -> list[Chapter]:
    """Every chapter with its README row (title, what it teaches, time); ``only`` picks some by label."""
    rows = {}
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        match = _README_ROW.match(line.strip())
        if match:
            label, title, stem, teaches, minutes = match.groups()
            rows[stem] = (label, title, teaches, minutes)
    found = []
    for notebook in solution_notebooks():
        label = notebook.stem.split("_")[0]
        _, title, teaches, minutes = rows.get(notebook.stem, (label, notebook.stem, "", ""))
        found.append(Chapter(notebook, label, title, teaches, minutes))
    if only:
        wanted = {o if o == "primer" else f"{int(o):02d}" if o.isdigit() else o for o in only}
        unknown = wanted - {c.label for c in found}
        if unknown:
            raise SystemExit(
                f"No chapter {', '.join(sorted(unknown))}: the chapters are {', '.join(c.label for c in found)}."
            )
        found = [c for c in found if c.label in wanted]
    return found


def run_notebook(path: Path, *, fast: bool, timeout: int, tries: int = 2, stall_seconds: float = 120.0) -> object:
    """``path`` run top to bottom in a fresh kernel in its own folder (a cell that raises stops it).

    nbclient now and then waits forever for a cell whose kernel has long finished (seen here on chapter 01's
    widget cell, in full-mode builds): a cell whose kernel stays idle for ``stall_seconds``
    (course_utils.kernel_watch), or that runs past ``timeout`` seconds, gets the notebook run once more in a fresh
    kernel before the build stops. A second run has not hung here.
    """
    import nbformat
    from nbclient.exceptions import CellTimeoutError

    from course_utils.kernel_watch import KernelStalled, StallWatchingClient

    env = dict(os.environ)
    env["COURSE_FAST"] = "1" if fast else "0"
    env["COURSE_PROGRESS"] = "0"
    env["COURSE_EXPECT_CHECKS"] = "passed"  # a solution whose check does not pass stops the build
    env.pop("MPLBACKEND", None)  # the kernel's own inline backend, so that every figure becomes a picture
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    for attempt in range(1, tries + 1):
        notebook = nbformat.read(path, as_version=4)
        client = StallWatchingClient(
            notebook,
            timeout=timeout,
            stall_seconds=stall_seconds,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        try:
            client.execute(env=env, cwd=str(path.parent))
            return notebook
        except (CellTimeoutError, KernelStalled) as error:
            if attempt == tries:
                raise
            why = error if isinstance(error, KernelStalled) else f"a cell ran past {timeout} s"
            print(f"{path.name}: {why}; running the notebook again in a fresh kernel.", file=sys.stderr)
    raise AssertionError("unreachable")


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_WIDGET_NOTE = "interactive in the notebook; here as it was last drawn"


def _output_html(output: dict) -> str:
    """One saved output (of an Output widget) as HTML: a picture, HTML, or text."""
    data = output.get("data", {})
    if output.get("output_type") == "stream":
        return f"<pre>{html.escape(''.join(output.get('text', '')))}</pre>"
    if "image/png" in data:
        return f"<img src='data:image/png;base64,{''.join(data['image/png']).strip()}'>"
    if "image/svg+xml" in data:
        return "".join(data["image/svg+xml"])
    if "text/html" in data:
        return "".join(data["text/html"])
    if "text/plain" in data:
        return f"<pre>{html.escape(''.join(data['text/plain']))}</pre>"
    return ""


def _widget_html(model_id: str, state: dict, depth: int = 0) -> str:
    """The widget ``model_id`` drawn from the notebook's saved widget state as static HTML."""
    model = state.get(model_id)
    if model is None or depth > 20:
        return ""
    name, values = model.get("model_name", ""), model.get("state", {})
    esc = html.escape
    label = f"<b>{esc(str(values['description']))}</b> " if values.get("description") else ""

    def child(ref: object) -> str:
        return _widget_html(str(ref).removeprefix("IPY_MODEL_"), state, depth + 1)

    if name in ("VBoxModel", "HBoxModel", "BoxModel", "GridBoxModel"):
        direction = "row" if name == "HBoxModel" else "column"
        inner = "".join(child(ref) for ref in values.get("children", []))
        return f"<div style='display:flex;flex-direction:{direction};gap:0.3em 1.2em;flex-wrap:wrap'>{inner}</div>"
    if name in ("HTMLModel", "HTMLMathModel"):
        return f"<div>{label}{values.get('value', '')}</div>"
    if name == "OutputModel":
        return "<div>" + "".join(_output_html(output) for output in values.get("outputs", [])) + "</div>"
    if name == "ButtonModel":
        return f"<button disabled>{esc(str(values.get('description', '')))}</button>"
    if "_options_labels" in values and values.get("index") is not None:  # dropdowns, selection sliders, toggles
        index = values["index"]
        chosen = values["_options_labels"][index] if isinstance(index, int) else index
        return f"<div>{label}{esc(str(chosen))}</div>"
    if "value" in values and not isinstance(values["value"], (dict, list)):  # sliders, text and number boxes
        shown = values["value"]
        if isinstance(shown, float) and values.get("readout_format"):
            try:
                shown = format(shown, values["readout_format"])
            except ValueError:
                pass
        return f"<div>{label}{esc(str(shown))}</div>"
    return f"<div>{label}</div>" if label else ""


def freeze_widgets(notebook: object) -> int:
    """Replace each widget output by a static drawing of its saved state (an HTML output, marked as such), and
    drop the widget state, so that nbconvert's page neither needs nor fetches a widget library. Returns how many
    widget outputs were drawn."""
    saved = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    frozen = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                continue
            drawn = _widget_html(view.get("model_id", ""), saved)
            output["data"] = {
                "text/html": f"<div class='frozen-widget' title='{_WIDGET_NOTE}' style='border-left:3px solid #90caf9;"
                f"padding-left:0.6em'>{drawn}<div style='color:#757575;font-size:smaller'>({_WIDGET_NOTE})</div></div>"
            }
            frozen += 1
    notebook.metadata.pop("widgets", None)
    return frozen


def sections(body: str) -> list[tuple[str, str]]:
    """The chapter's numbered sections (its ``##`` headings) as (anchor, text)."""
    found = []
    for level, anchor, text in _HEADING.findall(body):
        if level == "2":
            found.append((anchor, html.unescape(re.sub(r"<[^>]+>", "", text)).replace("¶", "").strip()))
    return found


def _nav(chapter: Chapter, everything: list[Chapter], toc: list[tuple[str, str]]) -> str:
    esc = html.escape
    index = everything.index(chapter)
    before = everything[index - 1] if index > 0 else None
    after = everything[index + 1] if index + 1 < len(everything) else None
    links = ["<a href='index.html'>GPT from scratch: all chapters</a>"]
    if before:
        links.insert(0, f"<a href='{before.page}'>← {esc(before.label)} {esc(before.title)}</a>")
    if after:
        links.append(f"<a href='{after.page}'>{esc(after.label)} {esc(after.title)} →</a>")
    contents = "".join(f"<li><a href='#{esc(anchor, quote=True)}'>{esc(text)}</a></li>" for anchor, text in toc)
    return (
        "<nav class='course-nav' style='font-family:system-ui,sans-serif;padding:0.6em 1em;background:#f5f5f5;"
        "border-bottom:1px solid #ddd'><style>.course-nav a{color:#1565c0}</style>"
        + " · ".join(links)
        + (f"<details><summary>This chapter's sections</summary><ol>{contents}</ol></details>" if contents else "")
        + "</nav>"
    )


def render_page(notebook: object, chapter: Chapter, everything: list[Chapter]) -> tuple[str, list[tuple[str, str]]]:
    """The chapter's HTML page (nbconvert's lab template, pictures inlined) with the course's navigation."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(notebook)
    toc = sections(body)
    body = re.sub(
        r"<title>.*?</title>",
        f"<title>{html.escape(chapter.label)} {html.escape(chapter.title)}</title>",
        body,
        count=1,
    )
    nav = _nav(chapter, everything, toc)
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, body, count=1)
    body = body.replace(
        "</body>", nav.replace("class='course-nav'", "class='course-nav course-nav-bottom'") + "</body>", 1
    )
    return body, toc


def render_index(built: list[tuple[Chapter, list[tuple[str, str]]]], fast: bool) -> str:
    esc = html.escape
    items = []
    for chapter, toc in built:
        contents = "".join(f"<li><a href='{chapter.page}#{esc(a, quote=True)}'>{esc(t)}</a></li>" for a, t in toc)
        items.append(
            f"<li><h2><a href='{chapter.page}'>{esc(chapter.label)} · {esc(chapter.title)}</a>"
            f"{f' <small>({esc(chapter.minutes)})</small>' if chapter.minutes else ''}</h2>"
            f"<p>{esc(chapter.teaches)}</p><details><summary>Sections</summary><ol>{contents}</ol></details></li>"
        )
    mode = " (built in fast mode: small data and short training)" if fast else ""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>GPT from scratch</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:52em;margin:2em auto;padding:0 1em;color:#222}"
        "ul.chapters{list-style:none;padding:0} a{color:#1565c0} h2{margin-bottom:0.2em}"
        "small{color:#666;font-weight:normal}</style>"
        "</head><body><h1>GPT from scratch</h1>"
        "<p>An open course in Jupyter notebooks: from fitting a straight line, through embeddings, dot products, "
        "softmax and attention, to a GPT built, trained and sampled from. These pages are the solution notebooks as "
        f"they ran{mode}, with their outputs and pictures; to work the exercises yourself, get the course from "
        "its repository and run it (see its README).</p>"
        f"<ul class='chapters'>{''.join(items)}</ul>"
        f"<p><small>Built {time.strftime('%Y-%m-%d')}.</small></p></body></html>"
    )


def build(
    out: Path,
    *,
    fast: bool = False,
    only: list[str] | None = None,
    timeout: int = 1800,
    stall_seconds: float = 120.0,
    echo: bool = True,
) -> list[Path]:
    """Run and write every chapter's page (or ``only`` some) and the index into ``out``; return the pages.

    ``timeout``: the seconds a cell may run; ``stall_seconds``: how long a cell's kernel may stay idle before the
    notebook is run again (see :func:`run_notebook`)."""
    everything = chapters()
    chosen = chapters(only)
    out.mkdir(parents=True, exist_ok=True)
    (out / ".nojekyll").write_text("")  # GitHub Pages: serve the files as they are
    written, built = [], []
    for chapter in chosen:
        started = time.monotonic()
        notebook = run_notebook(chapter.notebook, fast=fast, timeout=timeout, stall_seconds=stall_seconds)
        freeze_widgets(notebook)
        page, toc = render_page(notebook, chapter, everything)
        (out / chapter.page).write_text(page, encoding="utf-8")
        written.append(out / chapter.page)
        built.append((chapter, toc))
        if echo:
            print(f"{chapter.page}: {len(toc)} sections ({time.monotonic() - started:.0f} s)")
    (out / "index.html").write_text(render_index(built, fast), encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="where the site goes (default: site/)")
    parser.add_argument("--fast", action="store_true", help="fast mode (small data, short training): for trying")
    parser.add_argument("--only", action="append", help="build only this chapter (00, 01, ..., primer); repeatable")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds a cell may take (default 1800)")
    args = parser.parse_args(argv)
    if not SOLUTIONS.is_dir():
        raise SystemExit("The site is built from the solution notebooks, which this copy of the course does not have.")
    pages = build(args.out, fast=args.fast, only=args.only, timeout=args.timeout)
    print(f"Wrote {len(pages)} pages and index.html to {args.out}: open {args.out / 'index.html'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
