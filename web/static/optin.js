// The opt-in's Web Push part: offered only where the browser can take pushes. On a tap it asks
// for permission, registers the service worker, subscribes with the branch's key and hands the
// subscription to the server. A message pushed while the page is open is shown in it too.
(function () {
  var box = document.getElementById("push");
  var pushed = document.getElementById("pushed");
  var number = document.querySelector("#optin details");
  function noPush() { if (number) number.open = true; }  // the number is the way here
  if (!("serviceWorker" in navigator)) return noPush();
  navigator.serviceWorker.addEventListener("message", function (event) {
    var message = event.data && event.data.antreanPush;
    if (!message || !pushed) return;
    pushed.textContent = "";
    var title = document.createElement("b");
    title.textContent = message.title || "";
    pushed.appendChild(title);
    pushed.appendChild(document.createTextNode(" " + (message.text || message.body || "")));
    pushed.hidden = false;
  });
  if (!box) return;
  if (!("PushManager" in window) || !("Notification" in window)) return noPush();
  var button = box.querySelector("button");
  var note = box.querySelector("p");
  box.hidden = false;

  function say(key, warn) {
    note.textContent = box.getAttribute("data-" + key);
    note.className = warn ? "warn" : "muted";
  }

  function serverKey(text) {  // base64url → bytes, as pushManager.subscribe takes it
    var raw = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    say("busy");
    Notification.requestPermission().then(function (answer) {
      if (answer !== "granted") throw "denied";
      return navigator.serviceWorker.register("/sw.js").then(function () {
        return navigator.serviceWorker.ready;
      });
    }).then(function (registration) {
      return fetch(box.getAttribute("data-key")).then(function (response) {
        if (!response.ok) throw "failed";
        return response.json();
      }).then(function (key) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true, applicationServerKey: serverKey(key.public_key),
        });
      });
    }).then(function (subscription) {
      return fetch(box.getAttribute("data-subscribe"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(subscription.toJSON()),
      });
    }).then(function (response) {
      if (!response.ok) throw "failed";
      button.hidden = true;
      say("on");
    }).catch(function (why) {
      button.disabled = false;
      say(why === "denied" ? "denied" : "failed", true);
    });
  });
})();
