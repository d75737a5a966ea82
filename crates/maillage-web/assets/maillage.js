// Maillage — the script of every page. Without it every page still works: the navigation simply stays open.
// 1. The menu button of the header on phones (hidden until this script shows it).
// 2. Wide tables scroll inside their own box: a table not yet in one is put in one, and a box that scrolls is
//    made reachable by the keyboard (a focusable region named after its table's caption).
(function () {
  "use strict";

  function menu() {
    var button = document.querySelector(".menu-bouton");
    var items = document.getElementById("menu-principal");
    if (!button || !items) { return; }
    var header = button.closest(".entete");
    header.classList.add("menu-actif");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-ouvert", open);
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        header.classList.remove("menu-ouvert");
        button.focus();
      }
    });
  }

  // A region's name: its table's caption, else the heading above it; two regions of a page never share one.
  function nameOf(box) {
    var clean = function (e) { return e ? e.textContent.replace(/\s+/g, " ").trim() : ""; };
    var text = clean(box.querySelector("caption"));
    if (!text) {
      var headings = [].slice.call(document.querySelectorAll("main h2, main h3")).filter(function (h) {
        return h.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING;
      });
      text = clean(headings[headings.length - 1]) || "Tableau";
    }
    var taken = [].slice.call(document.querySelectorAll("[role=region][aria-label]")).map(function (r) {
      return r.getAttribute("aria-label");
    });
    var name = text + " (défilement horizontal)";
    for (var n = 2; taken.indexOf(name) >= 0; n++) { name = text + " (" + n + ", défilement horizontal)"; }
    return name;
  }

  function scrollBoxes() {
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.closest(".defilement") || table.closest(".leaflet-container")) { return; }
      var box = document.createElement("div");
      box.className = "defilement";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
    document.querySelectorAll(".defilement").forEach(function (box) {
      if (box.hasAttribute("tabindex") || box.scrollWidth <= box.clientWidth + 1) { return; }
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label")) { box.setAttribute("aria-label", nameOf(box)); }
    });
  }

  menu();
  scrollBoxes();
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(scrollBoxes, 200);
  });
})();
