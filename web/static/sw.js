// Antrean's service worker: shows the messages the branch pushes about a ticket or booking,
// and opens its page when one is tapped. It handles no fetches, so pages load as without it.
self.addEventListener("push", function (event) {
  var message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (notJson) {
    message = { text: event.data.text() };
  }
  var url = message.url || "/";
  var shown = self.registration.showNotification(message.title || "Antrean", {
    body: message.text || message.body || "",
    tag: message.tag || url,
    data: { url: url },
  }).then(function () {
    // An open page says it too, in case the phone shows no banner while it is in front.
    return self.clients.matchAll({ type: "window", includeUncontrolled: true });
  }).then(function (pages) {
    pages.forEach(function (page) { page.postMessage({ antreanPush: message }); });
  });
  event.waitUntil(shown);
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = new URL(event.notification.data.url, self.location.origin).href;
  event.waitUntil(self.clients.matchAll({ type: "window" }).then(function (pages) {
    for (var i = 0; i < pages.length; i++) {
      if (pages[i].url === url && "focus" in pages[i]) return pages[i].focus();
    }
    return self.clients.openWindow(url);
  }));
});
