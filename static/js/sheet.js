// Keyboard entry and saving without leaving the field.
// Enter moves to the next scoring field; a changed field saves the form in the background.
(function () {
  const form = document.getElementById("sheet-form");
  if (!form) return;
  const status = document.getElementById("save-status");
  const version = document.getElementById("sheet-version");
  // Enter jumps between the scoring fields; Tab also reaches the note boxes.
  const inputs = () => Array.from(form.querySelectorAll("input:not([type=hidden]), select"));
  let timer = null;
  let saving = false;
  let again = false;

  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.target.tagName === "TEXTAREA" || event.isComposing) return;
    event.preventDefault();
    const list = inputs();
    const next = list[list.indexOf(event.target) + (event.shiftKey ? -1 : 1)];
    if (next) { next.focus(); if (next.select) next.select(); }
  });

  function show(text, bad) {
    status.textContent = text;
    status.className = bad ? "errors" : "muted";
  }

  async function save() {
    if (saving) { again = true; return; }
    saving = true;
    show("正在保存…", false);
    try {
      const response = await fetch(window.location.href, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
      // A save is the person's activity: the session warning starts its count again.
      if (response.status !== 401) document.dispatchEvent(new CustomEvent("session:activity"));
      const data = await response.json();
      if (data.saved) {
        version.value = data.version;
        const total = document.getElementById(form.dataset.side + "-total");
        if (total && data.total) total.textContent = data.total;
        show("已保存 " + new Date().toLocaleTimeString("zh-CN"), false);
      } else if (data.conflict && data.conflict.length) {
        show("未保存：其他人刚修改了这张表。" + data.conflict.join("；") + " 请刷新页面。", true);
      } else {
        show("未保存：" + data.errors.join("；"), true);
      }
    } catch (err) {
      show("未保存：网络连接出现问题，请稍后点击“保存”。", true);
    } finally {
      saving = false;
      if (again) { again = false; save(); }
    }
  }

  form.addEventListener("change", () => {
    clearTimeout(timer);
    timer = setTimeout(save, 300);
  });
})();
