// Polls the JSON status of a background job and updates the page until the job has finished.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "1") return;
  var url = box.dataset.statusUrl;
  var bar = box.querySelector(".job-progress");
  var delay = 1000;

  function set(name, value) {
    var el = box.querySelector('[data-field="' + name + '"]');
    if (el) el.textContent = value == null ? "" : value;
    return el;
  }

  function show(status) {
    set("state_label", status.state_label);
    set("stage", status.finished ? "" : status.stage);
    set("done", status.done);
    set("total", status.total);
    set("percent", status.percent);
    bar.querySelector(".bar").style.width = status.percent + "%";
    bar.setAttribute("aria-valuenow", status.percent);
    var error = set("error", status.error);
    if (error) error.hidden = !status.error;
    var summary = set("summary", status.summary);
    if (summary) summary.hidden = !status.summary;
    if (status.state === "done" && status.link) {
      var link = box.querySelector("[data-link]");
      link.querySelector("a").href = status.link;
      link.hidden = false;
    }
    if (status.state === "failed" && box.dataset.own === "1" && !box.querySelector("form")) {
      window.location.reload();  // offers 重新提交, which needs the page's own form
      return;
    }
    if (status.state === "failed") bar.classList.add("failed");
    if (status.download_url) {
      var download = box.querySelector("[data-download]");
      download.querySelector("a").href = status.download_url;
      if (status.pages) set("pages-text", "共 " + status.pages + " 页");
      download.hidden = false;
    }
  }

  function poll() {
    // Marked as background: polling is not the person's activity and must not keep an
    // idle session alive (accounts.session_clock.BACKGROUND_HEADER).
    fetch(url, {
      headers: { Accept: "application/json", "X-Background-Request": "1" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (response.status === 401) {
          window.location.assign(window.location.href.split("#")[0]); // session ended
          return new Promise(function () {});
        }
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (status) {
        show(status);
        delay = 1000;
        if (!status.finished) window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);  // server busy or offline: back off, keep trying
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
