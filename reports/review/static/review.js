// Keyboard-first review: j/k next/previous finding (or queue row), c confirm, d dismiss (type a
// reason, Enter), f fix (edit the wording, Enter), n next article, m mark the selected text as
// missed damage (type what was meant, Enter saves), Escape leaves a field (or cancels the mark).
(function () {
  "use strict";
  const page = document.body.dataset.page;
  const EDITOR_KEY = "qa.editor";
  const typing = (el) => el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT");

  function setupArticle() {
    const items = Array.from(document.querySelectorAll("li.finding"));
    const marks = Array.from(document.querySelectorAll("mark.hl")).filter((m) => m.dataset.findings);
    const marking = setupMarking();
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
        if (ev.key === "Escape" && marking.open()) { marking.cancel(); return; }
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
        case "m": if (!marking.start()) return; break;
        case "Escape": if (!marking.open()) return; marking.cancel(); break;
        default: return;
      }
      ev.preventDefault();
    });
  }

  // Marking missed damage: the selection's offsets are counted in code points (Python's str indices)
  // from the start of the headline or body; the server checks the text at them before storing.
  function setupMarking() {
    const form = document.getElementById("mark-form");
    const roots = [["title", document.querySelector(".headline")], ["body", document.querySelector(".text .body")]];
    const codePoints = (s) => Array.from(s).length;
    const field = (id) => document.getElementById(id);
    function offset(root, node, at) {
      const range = document.createRange();
      range.setStart(root, 0);
      range.setEnd(node, at);
      return range.toString().length;
    }
    function start() {
      const sel = window.getSelection();
      if (!form || !sel || sel.rangeCount === 0 || sel.isCollapsed) return false;
      const range = sel.getRangeAt(0);
      for (const [name, root] of roots) {
        if (!root || !root.contains(range.startContainer) || !root.contains(range.endContainer)) continue;
        const text = root.textContent;
        let a = offset(root, range.startContainer, range.startOffset);
        let b = offset(root, range.endContainer, range.endOffset);
        while (a < b && /\s/.test(text[a])) a++;
        while (b > a && /\s/.test(text[b - 1])) b--;
        if (a >= b) return false;
        const picked = text.slice(a, b);
        field("mark-field").value = name;
        field("mark-start").value = String(codePoints(text.slice(0, a)));
        field("mark-end").value = String(codePoints(text.slice(0, a)) + codePoints(picked));
        field("mark-text").value = picked;
        field("mark-shown").textContent = picked;
        form.hidden = false;
        field("mark-meant").focus();
        return true;
      }
      return false;
    }
    function cancel() {
      form.hidden = true; // not form.reset(): that would also blank the editor's name filled in from this browser
      ["mark-meant", "mark-note", "mark-text"].forEach((id) => { field(id).value = ""; });
      field("mark-button").focus();
    }
    if (form) {
      const button = field("mark-button");
      button.addEventListener("mousedown", (ev) => ev.preventDefault()); // keep the text selection
      button.addEventListener("click", () => { start(); });
      field("mark-cancel").addEventListener("click", cancel);
      form.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" && ev.target.tagName === "SELECT") { ev.preventDefault(); form.requestSubmit(); }
      });
    }
    return { start, cancel, open: () => Boolean(form && !form.hidden) };
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
