// khabar web UI: a little behaviour of our own. No data is ever written as HTML here
// (textContent and classList only); pages work without this file.
"use strict";

function toggleLayers() {
  const text = document.getElementById("article-text");
  if (!text) return;
  for (const box of document.querySelectorAll("input[data-layer]")) {
    box.addEventListener("change", () => {
      text.classList.toggle("hide-" + box.dataset.layer, !box.checked);
    });
  }
}

function flash(el) {
  el.classList.add("flash");
  el.scrollIntoView({ block: "nearest", behavior: "smooth" });
  window.setTimeout(() => el.classList.remove("flash"), 1500);
}

function linkQuotes() {
  // Clicking a quote in the list shows it in the text, and clicking a quote in the text shows
  // its entry in the list (with the speaker).
  for (const item of document.querySelectorAll(".quote-item[data-quote]")) {
    item.addEventListener("click", (ev) => {
      if (ev.target.closest("a")) return;
      const span = document.getElementById(item.dataset.quote);
      if (span) flash(span);
    });
  }
  for (const span of document.querySelectorAll(".text .quote[id]")) {
    span.addEventListener("click", (ev) => {
      if (ev.target.closest("a")) return;
      const item = document.querySelector('.quote-item[data-quote="' + CSS.escape(span.id) + '"]');
      if (item) flash(item);
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  toggleLayers();
  linkQuotes();
});
