/* Maillage — import page: sends the file with a progress bar, then follows the import by polling its JSON status.
   Without this script the form posts normally and the follow-up page refreshes itself. The CSRF token travels in
   the x-csrf-token header (and stays the first field of the form). */
(function () {
  "use strict";

  var formulaire = document.getElementById("formulaire-import");
  var etat = document.getElementById("import-etat");
  if (!formulaire || !etat || !window.FormData || !window.XMLHttpRequest) { return; }

  function vider() { while (etat.firstChild) { etat.removeChild(etat.firstChild); } }

  // A refusal is shown as the pages show errors (the error box of the layout), so that it reads as one.
  function refus(texte, lien) {
    vider();
    var boite = document.createElement("div");
    boite.className = "message erreur";
    boite.setAttribute("role", "alert");
    var p = document.createElement("p");
    var fort = document.createElement("strong");
    fort.textContent = "Erreur : ";
    p.appendChild(fort);
    p.appendChild(document.createTextNode(texte.replace(/^Erreur : /, "")));
    boite.appendChild(p);
    etat.appendChild(boite);
    if (lien) { afficher_lien(lien); }
  }

  function afficher_lien(lien) {
    var a = document.createElement("a");
    a.href = lien;
    a.textContent = "Voir le détail de l'import";
    var q = document.createElement("p");
    q.appendChild(a);
    etat.appendChild(q);
  }

  function afficher(texte, barre, lien) {
    vider();
    var p = document.createElement("p");
    p.textContent = texte;
    etat.appendChild(p);
    if (barre) {
      var b = document.createElement("progress");
      b.max = 100;
      if (barre.valeur !== null) { b.value = barre.valeur; }
      b.setAttribute("aria-label", barre.nom);
      etat.appendChild(b);
    }
    if (lien) { afficher_lien(lien); }
  }

  function suivre(url, taille) {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.etat === "refuse") {
          refus(s.message, s.page);
          return;
        }
        if (s.etat === "termine") {
          afficher(s.message, null, s.page);
          return;
        }
        var part = taille > 0 && s.octets_lus > 0 ? Math.min(100, Math.round(s.octets_lus * 100 / taille)) : null;
        afficher(s.message, { valeur: part, nom: "Progression de l'import" }, s.page);
        window.setTimeout(function () { suivre(url, taille); }, 1000);
      })
      .catch(function () { afficher("Le suivi de l'import a échoué ; rechargez la page.", null, null); });
  }

  formulaire.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var donnees = new FormData(formulaire);
    var fichier = formulaire.querySelector("input[type=file]").files[0];
    var taille = fichier ? fichier.size : 0;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", formulaire.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("x-csrf-token", formulaire.querySelector("input[name=_csrf]").value);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        afficher("Envoi du fichier : " + Math.round(e.loaded * 100 / e.total) + " %",
          { valeur: Math.round(e.loaded * 100 / e.total), nom: "Envoi du fichier" }, null);
      }
    });
    xhr.addEventListener("load", function () {
      var corps = {};
      try { corps = JSON.parse(xhr.responseText); } catch (e) { corps = {}; }
      if (xhr.status === 202 && corps.suivi) {
        afficher("Fichier reçu ; import en cours…", { valeur: null, nom: "Progression de l'import" }, corps.page);
        suivre(corps.suivi, taille);
      } else {
        refus(corps.erreur || ("le serveur a répondu " + xhr.status), null);
      }
    });
    xhr.addEventListener("error", function () { refus("l'envoi du fichier a échoué.", null); });
    afficher("Envoi du fichier…", { valeur: 0, nom: "Envoi du fichier" }, null);
    xhr.send(donnees);
  });
})();
