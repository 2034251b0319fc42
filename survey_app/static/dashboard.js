// Live response rate: refresh the figures every few seconds without reloading.
// Without JavaScript the page still shows the figures as of its last load.
(function () {
  var box = document.getElementById("live-figures");
  if (!box || !window.fetch) { return; }
  var note = document.getElementById("live-note");
  if (note && note.dataset.live) { note.textContent = note.dataset.live; }
  var last = null;
  function refresh() {
    fetch(box.dataset.source, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && data.html !== last) {
          last = data.html;
          box.innerHTML = data.html;
        }
      })
      .catch(function () {})
      .then(function () { setTimeout(refresh, 4000); });
  }
  setTimeout(refresh, 4000);
})();
