// Keeps a ticket's status page live over server-sent events; without them, it reloads.
(function () {
  var box = document.getElementById("live");
  var note = document.getElementById("conn");
  if (!box || !note) return;
  if (!window.EventSource) {
    setTimeout(function () { location.reload(); }, 30000);
    return;
  }
  var source = new EventSource(box.getAttribute("data-events"));
  source.addEventListener("status", function (event) {
    var wasCalled = !!box.querySelector(".called");
    box.innerHTML = event.data;
    note.textContent = note.getAttribute("data-live");
    note.className = "muted";
    if (!wasCalled && box.querySelector(".called") && navigator.vibrate) {
      navigator.vibrate([400, 150, 400]);
    }
  });
  source.addEventListener("end", function () { source.close(); });
  source.onerror = function () {
    note.textContent = note.getAttribute("data-offline");
    note.className = "warn";
  };
})();
