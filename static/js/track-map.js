// The track page's map: prerequisites light up around a node, arrow keys move between nodes,
// and a node opens its skill in a panel beside the map (its own URL, closed by Escape, the
// close button or Back). Without this file every node is a plain link to the skill's page.
(() => {
  "use strict";

  const map = document.querySelector(".track-map");
  const drawer = document.getElementById("skill-drawer");
  if (!map) return;
  const body = drawer ? drawer.querySelector(".drawer-body") : null;
  const trackUrl = window.location.pathname;
  let openSlug = null;

  const nodeOf = (slug) => document.getElementById(`node-${slug}`);
  const linkOf = (slug) => nodeOf(slug)?.querySelector(".map-node-link");
  const words = (value) => (value || "").split(" ").filter(Boolean);

  // Tracing: what a node needs and what it unlocks. -----------------------------------
  function clearTrace() {
    map.classList.remove("is-tracing");
    for (const node of map.querySelectorAll(".is-source, .is-prerequisite, .is-unlock")) {
      node.classList.remove("is-source", "is-prerequisite", "is-unlock");
      node.removeAttribute("data-trace");
    }
  }

  function trace(node) {
    clearTrace();
    const prerequisites = words(node.dataset.prerequisites).map(nodeOf).filter(Boolean);
    const unlocks = words(node.dataset.unlocks).map(nodeOf).filter(Boolean);
    if (!prerequisites.length && !unlocks.length) return;
    map.classList.add("is-tracing");
    node.classList.add("is-source");
    for (const other of prerequisites) {
      other.classList.add("is-prerequisite");
      other.dataset.trace = map.dataset.labelNeeded;
    }
    for (const other of unlocks) {
      other.classList.add("is-unlock");
      other.dataset.trace = map.dataset.labelUnlocks;
    }
  }

  map.addEventListener("pointerover", (event) => {
    const node = event.target.closest(".map-node");
    if (node) trace(node);
  });
  map.addEventListener("pointerleave", () => {
    const focused = document.activeElement?.closest?.(".map-node");
    if (focused && map.contains(focused)) trace(focused);
    else clearTrace();
  });
  map.addEventListener("focusin", (event) => {
    const node = event.target.closest(".map-node");
    if (node) trace(node);
  });
  map.addEventListener("focusout", (event) => {
    if (!map.contains(event.relatedTarget)) clearTrace();
  });

  // Arrow keys between nodes: left/right along the roadmap, up/down to the row above/below.
  map.addEventListener("keydown", (event) => {
    const link = event.target.closest(".map-node-link");
    if (!link || event.altKey || event.ctrlKey || event.metaKey) return;
    const links = [...map.querySelectorAll(".map-node-link")];
    const index = links.indexOf(link);
    let next = null;
    if (event.key === "ArrowRight") next = links[index + 1];
    else if (event.key === "ArrowLeft") next = links[index - 1];
    else if (event.key === "Home") next = links[0];
    else if (event.key === "End") next = links[links.length - 1];
    else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const here = link.getBoundingClientRect();
      const down = event.key === "ArrowDown";
      const candidates = links.filter((other) => {
        const box = other.getBoundingClientRect();
        return down ? box.top > here.bottom - 2 : box.bottom < here.top + 2;
      });
      const rowTop = down
        ? Math.min(...candidates.map((c) => c.getBoundingClientRect().top))
        : Math.max(...candidates.map((c) => c.getBoundingClientRect().top));
      const row = candidates.filter((c) => Math.abs(c.getBoundingClientRect().top - rowTop) < 4);
      next = row.sort(
        (a, b) =>
          Math.abs(a.getBoundingClientRect().left - here.left) -
          Math.abs(b.getBoundingClientRect().left - here.left),
      )[0];
    } else return;
    if (next) {
      event.preventDefault();
      next.focus();
      next.scrollIntoView({ block: "nearest" });
    }
  });

  // A tab leads to a part of the essay below the map: open its disclosure, also when the
  // page is opened at that address, and mark the tab whose part holds the address's target
  // as where the reader is (no tab when the address names none of them).
  const tabs = [...document.querySelectorAll(".track-tabs a[href^='#']")];
  function openTarget() {
    const id = decodeURIComponent(window.location.hash.slice(1));
    const target = id && document.getElementById(id);
    if (target instanceof HTMLDetailsElement) target.open = true;
    for (const tab of tabs) {
      const part = document.getElementById(decodeURIComponent(tab.hash.slice(1)));
      if (target && part && part.contains(target)) tab.setAttribute("aria-current", "location");
      else tab.removeAttribute("aria-current");
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // The panel. -------------------------------------------------------------------------
  if (!drawer || !body || typeof htmx === "undefined") return;

  function markCurrent(slug) {
    for (const node of map.querySelectorAll(".map-node.is-current")) {
      node.classList.remove("is-current");
    }
    if (slug) nodeOf(slug)?.classList.add("is-current");
  }

  // The language switch returns to the address shown: the skill's while its panel is open.
  function followAddress() {
    const next = document.querySelector(".language-switcher input[name='next']");
    if (next) next.value = window.location.pathname;
  }

  // On a phone the panel is a full-screen sheet: the page behind it is out of reach (inert)
  // until it closes. Beside the map on a wide screen, both stay usable.
  const sheet = window.matchMedia("(max-width: 40rem)");
  const behind = () => document.querySelectorAll("body > header, body > main, body > footer");
  function setSheet(open) {
    const modal = open && sheet.matches;
    for (const element of behind()) element.inert = modal;
    drawer.setAttribute("aria-modal", modal ? "true" : "false");
  }

  function show(slug, panelUrl) {
    openSlug = slug;
    followAddress();
    setSheet(true);
    drawer.hidden = false;
    document.body.classList.add("drawer-open");
    markCurrent(slug);
    // No settle delay: htmx binds the panel's buttons when it settles, and the title takes
    // the focus only once they work (a quick Enter would otherwise submit the plain form).
    htmx
      .ajax("GET", panelUrl, { target: body, swap: "innerHTML settle:0ms" })
      .then(() => {
        if (openSlug !== slug) return;
        body.scrollTop = 0;
        const title = body.querySelector("#panel-title");
        (title || body).focus({ preventScroll: true });
        const link = linkOf(slug);
        if (link) link.scrollIntoView({ block: "nearest" });
      });
  }

  function hide() {
    const slug = openSlug;
    openSlug = null;
    drawer.hidden = true;
    setSheet(false);
    document.body.classList.remove("drawer-open");
    body.replaceChildren();
    markCurrent(null);
    followAddress();
    // The node may have been redrawn by a status change: find it again by its id.
    const link = slug && linkOf(slug);
    if (link) link.focus();
  }

  function panelUrlOf(slug) {
    return linkOf(slug)?.dataset.panel;
  }

  function open(slug, event) {
    const link = linkOf(slug);
    if (!link || !link.dataset.panel) return;
    // A new tab, a new window or a download keep the browser's own meaning.
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    if (slug === openSlug) return;
    const state = { skillPanel: slug };
    if (openSlug) history.replaceState(state, "", link.getAttribute("href"));
    else history.pushState(state, "", link.getAttribute("href"));
    show(slug, link.dataset.panel);
  }

  map.addEventListener("click", (event) => {
    const node = event.target.closest(".map-node-link")?.closest(".map-node");
    if (node) open(node.dataset.skill, event);
  });

  // A prerequisite or an unlocked skill named in the panel opens in the panel too, when it
  // is on this map; other links lead away as usual.
  drawer.addEventListener("click", (event) => {
    const link = event.target.closest("a[href]");
    const match = link && link.getAttribute("href").match(/^\/skills\/([\w-]+)\/$/);
    if (match && match[1] !== openSlug && linkOf(match[1])) open(match[1], event);
  });

  // Closing goes back in history when the panel put an entry there, so Back and close agree.
  function close() {
    if (history.state && history.state.skillPanel) history.back();
    else {
      hide();
      history.replaceState(null, "", trackUrl);
    }
  }

  drawer.querySelector(".drawer-close").addEventListener("click", close);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !drawer.hidden) {
      event.preventDefault();
      close();
    }
  });

  window.addEventListener("popstate", (event) => {
    const slug = event.state && event.state.skillPanel;
    if (slug && panelUrlOf(slug)) show(slug, panelUrlOf(slug));
    else if (!drawer.hidden) hide();
  });

  // A status changed in the panel: the map behind it was redrawn (out of band); keep the
  // open node marked.
  document.body.addEventListener("htmx:afterSettle", () => {
    if (openSlug) markCurrent(openSlug);
  });
})();
