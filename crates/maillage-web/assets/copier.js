// Copy buttons: a button `data-copier="<id of a field>"` copies that field's text to the clipboard and says so
// in its status line (`data-copier-etat`, a live region). Without JavaScript the button stays hidden and the
// field can be selected and copied by hand.
"use strict";
document.querySelectorAll("button[data-copier]").forEach((button) => {
  const field = document.getElementById(button.dataset.copier);
  const status = document.getElementById(button.dataset.copierEtat || "");
  if (!field) return;
  button.hidden = false;
  const say = (text) => {
    if (status) status.textContent = text;
  };
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      say("Adresse copiée dans le presse-papiers.");
    } catch (_) {
      field.focus();
      field.select();
      say("Copie impossible ici : l'adresse est sélectionnée, copiez-la avec Ctrl+C.");
    }
  });
});
