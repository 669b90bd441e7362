// qa report: finding details on hover/focus/click, findings list → text, filters and search.
// Everything works from the DOM the server rendered (escaped); nothing here writes HTML strings.
(function () {
  "use strict";
  var pop = document.getElementById("pop");
  var form = document.getElementById("filters");
  var shown = document.getElementById("shown");
  var articles = Array.prototype.slice.call(document.querySelectorAll("#articles > .article"));
  var pinned = null;   // the mark whose details stay open after a click or Enter
  var current = [];    // elements outlined as the current finding

  function articleOf(el) { return el.closest(".article"); }
  function findingsOf(mark) { return mark.getAttribute("data-f").split(" "); }
  function itemOf(section, n) { return section.querySelector('.finding[data-n="' + n + '"]'); }
  function firstMark(section, n) { return section.querySelector('mark[data-f~="' + n + '"]'); }

  function mark(els) {
    current.forEach(function (el) { el.classList.remove("current"); });
    current = els.filter(Boolean);
    current.forEach(function (el) { el.classList.add("current"); });
  }

  function show(markEl, pin) {
    var section = articleOf(markEl);
    var items = findingsOf(markEl).map(function (n) { return itemOf(section, n); })
      .filter(function (li) { return li && !li.classList.contains("off"); });
    if (!items.length) { return; }
    pop.replaceChildren();
    var head = document.createElement("h3");
    head.textContent = items.length === 1 ? "Finding" : items.length + " overlapping findings";
    pop.appendChild(head);
    items.forEach(function (li) {
      var sev = li.querySelector(".sev").cloneNode(true);
      var detail = li.querySelector(".detail").cloneNode(true);
      detail.insertBefore(sev, detail.firstChild);
      pop.appendChild(detail);
    });
    var box = markEl.getBoundingClientRect();
    pop.hidden = false;
    var left = Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - pop.offsetWidth - 8);
    pop.style.left = Math.max(8, left) + "px";
    pop.style.top = (window.scrollY + box.bottom + 6) + "px";
    markEl.setAttribute("aria-describedby", "pop");
    if (pin) { pinned = markEl; }
    mark([markEl].concat(items));
  }

  function hide(force) {
    if (pinned && !force) { return; }
    if (pinned) { pinned.removeAttribute("aria-describedby"); }
    pinned = null;
    pop.hidden = true;
    mark([]);
  }

  document.addEventListener("click", function (ev) {
    var m = ev.target.closest("mark.hl");
    if (m && !m.classList.contains("off")) { hide(true); show(m, true); return; }
    var go = ev.target.closest(".goto");
    if (go) {
      var li = go.closest(".finding");
      var target = firstMark(articleOf(li), li.getAttribute("data-n"));
      if (target) {
        target.scrollIntoView({ block: "center" });
        target.focus({ preventScroll: true });
        hide(true);
        show(target, true);
      }
      return;
    }
    if (!ev.target.closest("#pop")) { hide(true); }
  });
  document.addEventListener("mouseover", function (ev) {
    var m = ev.target.closest && ev.target.closest("mark.hl");
    if (m && !pinned && !m.classList.contains("off")) { show(m, false); }
  });
  document.addEventListener("mouseout", function (ev) {
    var m = ev.target.closest && ev.target.closest("mark.hl");
    if (m && !pinned) { hide(false); }
  });
  document.addEventListener("focusin", function (ev) {
    var m = ev.target.closest && ev.target.closest("mark.hl");
    if (m && !m.classList.contains("off")) { hide(true); show(m, false); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && !pop.hidden) {
      var back = pinned || document.activeElement;
      hide(true);
      if (back && back.focus) { back.focus(); }
    } else if ((ev.key === "Enter" || ev.key === " ") && ev.target.matches && ev.target.matches("mark.hl")) {
      ev.preventDefault();
      hide(true);
      show(ev.target, true);
    }
  });

  // Filters: verdict hides articles; severity, category and checker hide findings (and articles left
  // with none); search hides articles whose headline and text do not contain the words.
  var texts = new Map();
  function textOf(section) {
    var t = texts.get(section);
    if (t === undefined) {
      t = (section.querySelector("h2").textContent + "\n" + section.querySelector(".text").textContent).toLowerCase();
      texts.set(section, t);
    }
    return t;
  }
  function apply() {
    hide(true);
    var f = new FormData(form);
    var verdict = f.get("verdict"), sev = f.get("sev"), cat = f.get("cat"), checker = f.get("checker");
    var words = String(f.get("q") || "").toLowerCase().split(/\s+/).filter(Boolean);
    var byFinding = Boolean(sev || cat || checker);
    var count = 0;
    articles.forEach(function (section) {
      var visible = !verdict || section.getAttribute("data-verdict") === verdict;
      if (visible && words.length) {
        var text = textOf(section);
        visible = words.every(function (w) { return text.indexOf(w) >= 0; });
      }
      var kept = 0;
      var off = new Set();
      section.querySelectorAll(".finding").forEach(function (li) {
        var ok = (!sev || li.getAttribute("data-sev") === sev) && (!cat || li.getAttribute("data-cat") === cat)
          && (!checker || li.getAttribute("data-checker") === checker);
        li.classList.toggle("off", !ok);
        if (ok) { kept += 1; } else { off.add(li.getAttribute("data-n")); }
      });
      section.querySelectorAll("mark.hl").forEach(function (m) {
        var allOff = findingsOf(m).every(function (n) { return off.has(n); });
        m.classList.toggle("off", allOff);
        if (allOff) { m.removeAttribute("tabindex"); } else { m.setAttribute("tabindex", "0"); }
      });
      if (byFinding && !kept) { visible = false; }
      section.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = count + " of " + articles.length + " articles";
  }
  form.addEventListener("input", apply);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  document.documentElement.setAttribute("data-ready", "1");
})();
