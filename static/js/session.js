// Warns a minute before the session ends and lets the person carry on.
// The server ends a session after a stretch without activity and a fixed time after the
// login; the page learns both from <meta> tags (templates/accounts/_session_clock.html).
// Requests this page makes that count as activity (the sheet's autosave) announce
// themselves with a "session:activity" event; background polling does not.
(function () {
  "use strict";
  function seconds(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? Number(el.content) : NaN;
  }
  var idle = seconds("session-idle-seconds");
  var absolute = seconds("session-absolute-seconds");
  var warnAhead = seconds("session-warning-seconds") || 60;
  var box = document.getElementById("session-warning");
  if (!box || !(idle >= 0) || !(absolute >= 0)) return;
  var form = box.querySelector("form");
  var idleText = box.querySelector('p[data-reason="idle"]');
  var absoluteText = box.querySelector('p[data-reason="absolute"]');
  var idleLength = idle; // every activity restarts the same stretch
  var absoluteEnd = Date.now() + absolute * 1000;
  var warnTimer = null;
  var endTimer = null;

  function leave() {
    // A plain GET of this page: the server sees the ended session and shows the login
    // page with the reason (a reload could repeat a POST).
    window.location.assign(window.location.href.split("#")[0]);
  }

  function warn(byAbsolute) {
    idleText.hidden = byAbsolute;
    form.hidden = byAbsolute;
    absoluteText.hidden = !byAbsolute;
    box.hidden = false;
  }

  function schedule(idleSeconds) {
    var now = Date.now();
    var idleEnd = now + idleSeconds * 1000;
    var byAbsolute = absoluteEnd <= idleEnd;
    var end = Math.min(idleEnd, absoluteEnd);
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    box.hidden = true;
    warnTimer = window.setTimeout(function () { warn(byAbsolute); },
      Math.max(0, end - now - warnAhead * 1000));
    endTimer = window.setTimeout(leave, Math.max(0, end - now) + 1000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch", Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) return leave();
        if (!response.ok) return; // the server is busy: the warning stays, try again
        return response.json().then(function (left) {
          absoluteEnd = Date.now() + left.absolute_seconds * 1000;
          schedule(left.idle_seconds);
        });
      })
      .catch(function () { /* offline: the warning stays, try again */ });
  });

  document.addEventListener("session:activity", function () { schedule(idleLength); });
  schedule(idle);
})();
