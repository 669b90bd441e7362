// Keyboard-first review: j/k next/previous finding (or queue row), c confirm, d dismiss (type a
// reason, Enter), f fix (edit the wording, Enter), n next article, Escape leaves a field.
(function () {
  "use strict";
  const page = document.body.dataset.page;
  const EDITOR_KEY = "qa.editor";
  const typing = (el) => el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT");

  function setupArticle() {
    const items = Array.from(document.querySelectorAll("li.finding"));
    const marks = Array.from(document.querySelectorAll("mark.hl"));
    let current = -1;
    function select(i, focus = true) {
      if (!items.length) return;
      current = Math.max(0, Math.min(items.length - 1, i));
      const item = items[current];
      items.forEach((el, k) => el.classList.toggle("current", k === current));
      marks.forEach((m) => m.classList.toggle("current", m.dataset.findings.split(" ").includes(item.dataset.id)));
      if (focus) item.focus({ preventScroll: true });
      item.scrollIntoView({ block: "nearest" });
      const mark = marks.find((m) => m.classList.contains("current"));
      if (mark) mark.scrollIntoView({ block: "nearest" });
      history.replaceState(null, "", "#f-" + item.dataset.id);
    }
    const fromHash = items.findIndex((el) => "#" + el.id === location.hash);
    if (fromHash >= 0) select(fromHash);
    marks.forEach((m) => m.addEventListener("click", () => {
      const id = m.dataset.findings.split(" ")[0];
      select(items.findIndex((el) => el.dataset.id === id));
    }));
    items.forEach((el, k) => el.addEventListener("focusin", () => { if (current !== k) select(k, false); }));
    function currentItem() {
      if (current < 0) select(0);
      return items[current];
    }
    document.addEventListener("keydown", (ev) => {
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (typing(ev.target)) {
        if (ev.key === "Escape") { ev.target.blur(); if (current >= 0) items[current].focus(); }
        return;
      }
      const next = document.getElementById("next-article");
      switch (ev.key) {
        case "j": select(current + 1); break;
        case "k": select(current - 1); break;
        case "c": { const it = currentItem(); if (it) it.querySelector(".confirm-form").requestSubmit(); break; }
        case "d": { const it = currentItem(); if (it) it.querySelector(".reason").focus(); break; }
        case "f": { const it = currentItem(); if (it) { const w = it.querySelector(".wording"); w.focus(); w.select(); } break; }
        case "n": if (next) location.href = next.href; break;
        default: return;
      }
      ev.preventDefault();
    });
  }

  function setupQueue() {
    const links = Array.from(document.querySelectorAll("a.article-link"));
    let current = -1;
    function select(i) {
      if (!links.length) return;
      current = Math.max(0, Math.min(links.length - 1, i));
      links.forEach((a, k) => a.closest("tr").classList.toggle("current", k === current));
      links[current].focus();
    }
    document.addEventListener("keydown", (ev) => {
      if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) return;
      switch (ev.key) {
        case "j": select(current + 1); break;
        case "k": select(current - 1); break;
        case "n": {
          const row = document.querySelector("tr.queue-row td.decision:empty");
          const link = row ? row.closest("tr").querySelector("a.article-link") : links[0];
          if (link) location.href = link.href;
          break;
        }
        default: return;
      }
      ev.preventDefault();
    });
  }

  // The editor's name: from --editor or this browser's last choice (cookie, else localStorage); with
  // neither, the page asks once, and a decision waits until it is given.
  function setupEditor() {
    const form = document.getElementById("editor-form");
    const input = document.getElementById("editor");
    const ask = document.getElementById("editor-ask");
    if (!form || !input) return;
    const fill = (name) => document.querySelectorAll("input.editor-field").forEach((el) => { el.value = name; });
    let stored = null;
    try { stored = localStorage.getItem(EDITOR_KEY); } catch (e) { stored = null; }
    if (!input.value.trim() && stored) { input.value = stored; fill(stored); }
    const asking = () => {
      ask.hidden = false;
      document.body.classList.add("ask-editor");
      input.focus();
    };
    if (input.value.trim()) { ask.hidden = true; } else { asking(); }
    form.addEventListener("submit", () => {
      const name = input.value.trim();
      try { localStorage.setItem(EDITOR_KEY, name); } catch (e) { /* storage off: the cookie still remembers */ }
      fill(name);
    });
    document.addEventListener("submit", (ev) => {
      const field = ev.target.querySelector && ev.target.querySelector("input.editor-field");
      if (field && !field.value.trim()) { ev.preventDefault(); asking(); }
    }, true);
  }

  setupEditor();
  if (page === "article") setupArticle();
  if (page === "queue") setupQueue();
  document.body.dataset.ready = "1"; // keyboard handlers are in place (tests wait for this)
})();
