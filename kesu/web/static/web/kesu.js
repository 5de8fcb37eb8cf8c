/* kesu staff UI: small progressive enhancements. Everything works without it. */
(function () {
  "use strict";

  function humanSize(n) {
    if (n < 1024) return n + " B";
    if (n < 1024 * 1024) return (n / 1024).toFixed(0) + " KB";
    return (n / 1024 / 1024).toFixed(1) + " MB";
  }

  function listFiles(zone, input) {
    var list = zone.querySelector("ul.files");
    if (!list) return;
    list.textContent = "";
    Array.prototype.forEach.call(input.files, function (f) {
      var li = document.createElement("li");
      li.textContent = "" + f.name + " (" + humanSize(f.size) + ")";
      list.appendChild(li);
    });
  }

  // Drag-and-drop onto a .dropzone adds the files to its <input type=file>.
  function initDropzone(zone) {
    var input = zone.querySelector("input[type=file]");
    if (!input || zone.dataset.ready) return;
    zone.dataset.ready = "1";
    ["dragenter", "dragover"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      zone.addEventListener(t, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      var dt = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (f) { dt.items.add(f); });
      Array.prototype.forEach.call(e.dataTransfer.files, function (f) { dt.items.add(f); });
      input.files = dt.files;
      listFiles(zone, input);
    });
    input.addEventListener("change", function () { listFiles(zone, input); });
  }

  // <button data-confirm="..."> asks before submitting.
  function onClick(e) {
    var el = e.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) e.preventDefault();
  }

  // <button data-print> opens the print dialog (decision letter).
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-print]")) window.print();
  });

  // <select data-autosubmit> submits its form when changed.
  function onChange(e) {
    if (e.target.matches("[data-autosubmit]") && e.target.form) e.target.form.requestSubmit();
  }

  // Intake: organisation-only fields show when the complainant is an organisation.
  function syncKind(form) {
    var checked = form.querySelector("input[name=kind]:checked");
    var kind = checked ? checked.value : "person";
    form.querySelectorAll("[data-kind-only]").forEach(function (el) {
      var show = el.getAttribute("data-kind-only") === kind || el.querySelector(".errorlist");
      el.hidden = !show;
    });
  }

  function init(root) {
    root.querySelectorAll(".dropzone").forEach(initDropzone);
    var intake = root.querySelector ? root.querySelector("#intake-form") : null;
    if (intake) {
      syncKind(intake);
      intake.addEventListener("change", function (e) {
        if (e.target.name === "kind") syncKind(intake);
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (e) { init(e.target); });
  document.addEventListener("click", onClick);
  document.addEventListener("change", onChange);
})();
