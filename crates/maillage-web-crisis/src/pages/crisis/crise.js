// Maillage — crisis module: live progress of phone campaigns. Progressive enhancement: the page shows the figures
// of its loading time; this script refreshes them every 15 seconds, and when the page comes back to the front,
// from the JSON API. No other effect.
(function () {
  "use strict";
  var blocks = document.querySelectorAll("[data-progression]");
  if (!blocks.length || !window.fetch) { return; }
  function refresh() {
    fetch("/api/v1/crise/appels", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || !data.campagnes) { return; }
        blocks.forEach(function (block) {
          var id = Number(block.getAttribute("data-progression"));
          var c = data.campagnes.find(function (x) { return x.id === id; });
          if (!c) { return; }
          var p = c.progression;
          block.querySelectorAll("[data-compte]").forEach(function (el) {
            var key = el.getAttribute("data-compte");
            if (key in p) { el.textContent = String(p[key]); }
          });
          var bar = block.querySelector("progress");
          if (bar) { bar.max = p.total || 1; bar.value = p.faits; bar.textContent = p.pourcentage + " %"; }
          var pct = block.querySelector("[data-pourcentage]");
          if (pct) { pct.textContent = p.pourcentage; }
          var at = block.querySelector("[data-heure]");
          if (at) { at.textContent = new Date().toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" }); }
        });
      })
      .catch(function () { /* offline for a moment: the next refresh will try again */ });
  }
  setInterval(refresh, 15000);
  // Coming back to the page (another app, another tab): refresh at once.
  window.addEventListener("focus", refresh);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { refresh(); } });
})();
