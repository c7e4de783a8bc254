"""A reader's browser opens the site: nothing errors, nothing leaves 127.0.0.1."""

from __future__ import annotations

import pytest


def julio_path(dev_site):
    (path,) = [p for p in dev_site.output.glob("articles/*/index.html") if "julio" in str(p)]
    return "/" + path.parent.relative_to(dev_site.output).as_posix() + "/"


ICON_DRAWN = """async () => {
  const link = document.querySelector('link[rel=icon][type="image/svg+xml"]');
  const image = new Image();
  image.src = link.href;
  try {
    await image.decode();
  } catch (error) {
    return { href: link.href.slice(0, 40), error: String(error), width: 0 };
  }
  return { href: link.href.slice(0, 40), width: image.naturalWidth };
}"""


@pytest.mark.parametrize("which", ["home", "julio"])
def test_page_loads_cleanly(which, page, dev_site, dev_server):
    path = "/" if which == "home" else julio_path(dev_site)
    response = page.goto(dev_server.url + path)
    page.wait_for_load_state("networkidle")
    assert response.ok
    # The inlined SVG icon (a data: URL) is an image the page's CSP lets in
    # (img-src 'self' data:): drawn like the tab draws it, with no error.
    drawn = page.evaluate(ICON_DRAWN)
    assert drawn["width"] > 0, drawn
    assert page.watch.console_errors == []
    assert page.watch.page_errors == []
    assert page.watch.outside_requests() == []
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#content", "the first Tab reaches the skip link"
    box = page.locator("a[href='#content']").first.bounding_box()
    viewport = page.viewport_size
    assert box and 0 <= box["y"] < viewport["height"] and box["x"] >= 0, (
        "the focused skip link is on screen"
    )


def test_home_links_to_the_julio_story(page, dev_site, dev_server):
    page.goto(dev_server.url + "/")
    page.locator(f"a[href*='{julio_path(dev_site).strip('/').split('/')[-1]}']").first.click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text().strip()
    assert "julio" in page.url
