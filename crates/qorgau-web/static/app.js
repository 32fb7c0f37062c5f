// Qorgau's only script: small improvements to pages that work without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // A form sent twice (double click, slow network) would make two cases.
  for (const form of document.querySelectorAll("form[method=post]")) {
    form.addEventListener("submit", () => {
      for (const b of form.querySelectorAll("button[type=submit]")) b.disabled = true;
    });
  }
});
