/* Maillage — the observatory map (Leaflet, served by the binary; its background tiles are drawn by Maillage
   from the OpenStreetMap extract it imported, /carte/fond and /carte/noms: nothing fetched from the internet).
   Draws the choropleth the page describes (its legend and table are in the page itself), QPV outlines, points
   of care and isochrones, from the GeoJSON endpoints named in the data- attributes of #carte.
   Accessibility: every zone can be reached with the keyboard (Tab) and read (Entrée opens its details); class
   numbers are written on the map, so nothing is said by colour alone. Texts go through textContent only. */
(function () {
  "use strict";

  var conteneur = document.getElementById("carte");
  var etat = document.getElementById("carte-etat");
  if (!conteneur || typeof L === "undefined") { return; }

  function dire(texte) { if (etat) { etat.textContent = texte; } }

  function element(balise, classe, texte) {
    var e = document.createElement(balise);
    if (classe) { e.className = classe; }
    if (texte !== undefined && texte !== null) { e.textContent = String(texte); }
    return e;
  }

  /* A tooltip's content: a text node, built when shown. Leaflet reads a string given to bindTooltip as markup,
     which would make markup of a zone name read from an imported file: never a string here. */
  function bulle(texte) {
    return function () { return element("span", null, texte); };
  }

  function lire(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) {
        return r.json().catch(function () { return {}; }).then(function (corps) {
          throw new Error(corps.erreur || ("réponse " + r.status));
        });
      }
      return r.json();
    });
  }

  function nombre(v) {
    return Number(v).toLocaleString("fr-FR", { maximumFractionDigits: 0 });
  }

  var carte = L.map(conteneur, {
    zoomSnap: 0.25,
    attributionControl: false,
    keyboard: true,
    preferCanvas: false
  });
  carte.setView([46.6, 2.4], 6);
  /* Background: streets, water and places under the zones, their names above them (a pane over the zones that
     lets clicks through). Tiles are SVG in <img>, drawn by the server. */
  var tuiles = { minZoom: 9, maxZoom: 18, tileSize: 256, className: "fond-tuile" };
  L.tileLayer("/carte/fond/{z}/{x}/{y}.svg", tuiles).addTo(carte);
  carte.createPane("noms");
  carte.getPane("noms").style.zIndex = 450;
  carte.getPane("noms").style.pointerEvents = "none";
  L.tileLayer("/carte/noms/{z}/{x}/{y}.svg", L.extend({ pane: "noms" }, tuiles)).addTo(carte);
  var superpositions = {};
  var controle = L.control.layers(null, {}, { collapsed: false, position: "topright" }).addTo(carte);

  /* Zones of the choropleth. */
  function styleZone(f, couleurs) {
    var p = f.properties;
    if (p.secret) {
      return { color: "#1b1b1b", weight: 1.5, dashArray: "4 3", fillColor: "#ffffff", fillOpacity: 0.6 };
    }
    /* Translucent, so that streets and the river show through (the server's printed maps do the same). */
    if (p.classe) {
      return { color: "#1b1b1b", weight: 1, fillColor: couleurs[p.classe - 1].couleur, fillOpacity: 0.6 };
    }
    return { color: "#1b1b1b", weight: 1, fillColor: "#d9d9d9", fillOpacity: 0.6 };
  }

  function details(p, donnees) {
    var boite = element("div", "carte-bulle");
    boite.appendChild(element("strong", null, p.nom));
    boite.appendChild(element("div", null, (donnees.titre || "") ));
    var valeur = element("div");
    valeur.appendChild(element("span", null, "Valeur : "));
    valeur.appendChild(element("strong", null, p.affichage + (p.valeur !== null && donnees.unite ? " (" + donnees.unite + ")" : "")));
    boite.appendChild(valeur);
    if (p.classe) { boite.appendChild(element("div", null, "Classe " + p.classe)); }
    if (p.secret) { boite.appendChild(element("div", null, "Valeur cachée (secret statistique)")); }
    if (p.population !== null && p.population !== undefined) {
      boite.appendChild(element("div", null, "Population : " + nombre(p.population)));
    }
    var lien = element("a", null, "Fiche de la zone");
    lien.href = p.lien;
    boite.appendChild(lien);
    return boite;
  }

  function etiquette(p) {
    var marque = p.secret ? "S" : (p.classe ? String(p.classe) : null);
    if (!marque || !p.centre) { return null; }
    var span = element("span", null, marque);
    return L.marker([p.centre[1], p.centre[0]], {
      icon: L.divIcon({ className: "etiquette-classe", html: span, iconSize: null }),
      interactive: false,
      keyboard: false
    });
  }

  function zones(donnees) {
    var couleurs = donnees.legende || [];
    var etiquettes = L.layerGroup();
    var couche = L.geoJSON(donnees, {
      style: function (f) { return styleZone(f, couleurs); },
      onEachFeature: function (f, calque) {
        var p = f.properties;
        calque.bindTooltip(bulle(p.nom + " : " + p.affichage), { sticky: true });
        calque.bindPopup(function () { return details(p, donnees); });
        var e = etiquette(p);
        if (e) { etiquettes.addLayer(e); }
        calque.on("add", function () {
          var chemin = calque.getElement();
          if (!chemin) { return; }
          chemin.setAttribute("tabindex", "0");
          chemin.setAttribute("role", "button");
          chemin.setAttribute("aria-label", p.nom + " : " + p.affichage + (p.classe ? ", classe " + p.classe : ""));
          chemin.addEventListener("keydown", function (ev) {
            if (ev.key === "Enter" || ev.key === " ") {
              ev.preventDefault();
              calque.openPopup(p.centre ? [p.centre[1], p.centre[0]] : undefined);
            }
          });
          chemin.addEventListener("focus", function () {
            calque.openTooltip(p.centre ? [p.centre[1], p.centre[0]] : undefined);
          });
          chemin.addEventListener("blur", function () { calque.closeTooltip(); });
        });
      }
    });
    couche.addTo(carte);
    etiquettes.addTo(carte);
    if (couche.getLayers().length > 0) {
      carte.fitBounds(couche.getBounds(), { padding: [12, 12] });
    }
    controle.addOverlay(etiquettes, "Numéros de classe");
    return couche.getLayers().length;
  }

  /* QPV outlines: thick dashes, no fill. */
  function qpv(donnees) {
    if (!donnees.features.length) { return 0; }
    var couche = L.geoJSON(donnees, {
      style: { color: "#7a0019", weight: 3, dashArray: "8 5", fill: false },
      interactive: false
    });
    couche.addTo(carte);
    controle.addOverlay(couche, "Contours des QPV (tirets)");
    return donnees.features.length;
  }

  /* Isochrones: one band per duration (5, 10, 15 minutes...), outlined in its own colour and dash, lightly
     filled, the largest first so the smallest stay on top; a legend names each band (not by colour alone: each
     band has its own line). */
  var BANDES = [
    { couleur: "#1a9850", tirets: null },
    { couleur: "#d98a00", tirets: "8 4" },
    { couleur: "#b2182b", tirets: "2 4" },
    { couleur: "#5e3c99", tirets: "12 4 2 4" }
  ];
  function bande(minutes, toutes) {
    var i = toutes.indexOf(minutes);
    return BANDES[Math.max(0, Math.min(i, BANDES.length - 1))];
  }
  function legendeIsochrones(minutes) {
    var cible = document.getElementById("legende-isochrones");
    if (!cible || !minutes.length) { return; }
    cible.textContent = "";
    cible.appendChild(element("p", "legende-titre", "Isochrones (temps de trajet)"));
    var liste = element("ul", "legende-isochrones");
    minutes.forEach(function (m) {
      var b = bande(m, minutes);
      var item = element("li");
      var trait = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      trait.setAttribute("width", "36"); trait.setAttribute("height", "12"); trait.setAttribute("aria-hidden", "true");
      var ligne = document.createElementNS("http://www.w3.org/2000/svg", "line");
      ligne.setAttribute("x1", "2"); ligne.setAttribute("y1", "6"); ligne.setAttribute("x2", "34"); ligne.setAttribute("y2", "6");
      ligne.setAttribute("stroke", b.couleur); ligne.setAttribute("stroke-width", "3");
      if (b.tirets) { ligne.setAttribute("stroke-dasharray", b.tirets); }
      trait.appendChild(ligne);
      item.appendChild(trait);
      item.appendChild(element("span", null, " " + m + " minutes"));
      liste.appendChild(item);
    });
    cible.appendChild(liste);
    cible.hidden = false;
  }
  function isochrones(donnees) {
    if (!donnees.features.length) { return 0; }
    donnees.features.sort(function (a, b) { return b.properties.minutes - a.properties.minutes; });
    var minutes = [];
    donnees.features.forEach(function (f) {
      if (minutes.indexOf(f.properties.minutes) < 0) { minutes.push(f.properties.minutes); }
    });
    minutes.sort(function (a, b) { return a - b; });
    var couche = L.geoJSON(donnees, {
      style: function (f) {
        var b = bande(f.properties.minutes, minutes);
        return { color: b.couleur, weight: 2.5, dashArray: b.tirets, fillColor: b.couleur, fillOpacity: 0.06 };
      },
      onEachFeature: function (f, calque) {
        var p = f.properties;
        var texte = p.libelle + " : " + p.minutes + " min (" + (p.profil === "pieton" ? "à pied" : "en voiture") + ")";
        if (p.population_couverte !== null && p.population_couverte !== undefined) {
          texte += ", " + nombre(p.population_couverte) + " habitants";
        }
        calque.bindTooltip(bulle(texte), { sticky: true });
      }
    });
    controle.addOverlay(couche, "Isochrones (5, 10, 15 minutes)");
    couche.on("add", function () { legendeIsochrones(minutes); });
    legendeIsochrones(minutes);
    return donnees.features.length;
  }

  /* Zonage médecins of the ARS: communes and QPV filled with the colour of their zonage (legend under the map),
     offered in the layer menu, not shown at first. */
  function zonage(donnees) {
    if (!donnees.features.length) { return 0; }
    var couche = L.geoJSON(donnees, {
      style: function (f) {
        return { color: "#333", weight: 1, fillColor: f.properties.couleur, fillOpacity: 0.6 };
      },
      onEachFeature: function (f, calque) {
        var p = f.properties;
        var jour = p.arrete.split("-").reverse().join("/");
        calque.bindTooltip(bulle(p.nom + " : " + p.libelle + ", arrêté du " + jour), { sticky: true });
      }
    });
    controle.addOverlay(couche, "Zonage médecins (ARS)");
    return donnees.features.length;
  }

  /* Practice sites: circles sized by headcount; named only for roles allowed (the server decides). */
  function professionnels(donnees) {
    var couche = L.geoJSON(donnees, {
      pointToLayer: function (f, latlng) {
        var n = f.properties.effectif || 1;
        return L.circleMarker(latlng, {
          radius: Math.min(4 + Math.sqrt(n) * 2, 16),
          color: "#1b1b1b", weight: 1.5, fillColor: "#f2b134", fillOpacity: 0.95
        });
      },
      onEachFeature: function (f, calque) {
        var p = f.properties;
        calque.bindPopup(function () {
          var boite = element("div", "carte-bulle");
          if (donnees.mode === "agrege") {
            boite.appendChild(element("strong", null, p.zone));
            boite.appendChild(element("div", null, "Professionnels : " + p.affichage));
            return boite;
          }
          if (p.lieu) { boite.appendChild(element("strong", null, p.lieu)); }
          boite.appendChild(element("div", null, p.effectif + " professionnel" + (p.effectif > 1 ? "s" : "")));
          if (p.professionnels) {
            var liste = element("ul");
            p.professionnels.forEach(function (x) {
              liste.appendChild(element("li", null,
                [x.civilite, x.prenom, x.nom].filter(Boolean).join(" ") + " — " + x.profession));
            });
            boite.appendChild(liste);
          }
          return boite;
        });
        calque.bindTooltip(bulle(donnees.mode === "agrege" ? (p.zone + " : " + p.affichage) : (p.effectif + (Number(p.effectif) > 1 ? " professionnels" : " professionnel"))));
      }
    });
    // Counts by zone sit on the zone's centre, under its class number: offered, not shown at first.
    if (donnees.mode !== "agrege") { couche.addTo(carte); }
    var nom = donnees.mode === "agrege" ? "Professionnels par zone (cercles)" : "Lieux d'exercice (cercles)";
    controle.addOverlay(couche, nom);
    return donnees.features.length;
  }

  /* Establishments: diamonds, hidden at first (they are many). */
  function etablissements(donnees) {
    if (!donnees.features.length) { return 0; }
    var couche = L.geoJSON(donnees, {
      pointToLayer: function (f, latlng) {
        return L.marker(latlng, {
          icon: L.divIcon({ className: "losange", html: element("span"), iconSize: [12, 12] }),
          title: f.properties.nom,
          alt: f.properties.nom,
          keyboard: false
        });
      },
      onEachFeature: function (f, calque) {
        var p = f.properties;
        calque.bindPopup(function () {
          var boite = element("div", "carte-bulle");
          boite.appendChild(element("strong", null, p.nom));
          if (p.libelle_categorie) { boite.appendChild(element("div", null, p.libelle_categorie)); }
          if (p.adresse) { boite.appendChild(element("div", null, p.adresse)); }
          boite.appendChild(element("div", null, "FINESS " + p.finess));
          return boite;
        });
      }
    });
    controle.addOverlay(couche, "Établissements (losanges)");
    return donnees.features.length;
  }

  dire("Chargement de la carte…");
  var d = conteneur.dataset;
  lire(d.zones).then(function (donnees) {
    var n = zones(donnees);
    return Promise.all([
      lire(d.qpv).then(qpv),
      lire(d.isochrones).then(isochrones),
      lire(d.professionnels).then(professionnels),
      lire(d.etablissements).then(etablissements),
      lire(d.zonage).then(zonage)
    ]).then(function (r) {
      conteneur.setAttribute("data-pret", "1");
      dire("Carte chargée : " + n + " zones, " + r[0] + " QPV, " + r[2] + " points de professionnels, " +
        r[3] + " établissements, " + r[1] + " isochrones. Utilisez Tab pour parcourir les zones, Entrée pour le détail.");
    });
  }).catch(function (e) {
    conteneur.setAttribute("data-pret", "erreur");
    dire("La carte n'a pas pu être chargée (" + e.message + ") ; le tableau ci-dessous donne les valeurs.");
  });
})();
