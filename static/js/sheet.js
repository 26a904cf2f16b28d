// Keyboard entry and saving without leaving the field.
// Enter moves to the next scoring field; a changed field saves the form in the background.
// A refused item is marked at its field (aria-invalid, the message beside it) and takes the
// focus back; the sticky bar counts the items not saved yet.
(function () {
  const form = document.getElementById("sheet-form");
  if (!form) return;
  const status = document.getElementById("save-status");
  const version = document.getElementById("sheet-version");
  const unsaved = document.getElementById("unsaved");
  const own = (el) => el && el.form === form;
  // Enter jumps between the scoring fields; Tab also reaches the note boxes.
  const inputs = () =>
    Array.from(form.querySelectorAll("input:not([type=hidden]):not([type=file]), select")).filter(own);
  let timer = null;
  let saving = false;
  let again = false;
  let lastField = null;
  // item key → how many edits it has had; an item is saved once a save sent that many
  const edits = new Map();
  const saved = new Map();

  // Items the server page already reports as not saved (a refused post without script).
  form.querySelectorAll("tr.item [aria-invalid=true]").forEach((el) => {
    const key = itemKey(el);
    if (key) edits.set(key, 1);
  });

  function itemKey(el) {
    const row = el.closest("tr.item");
    return row ? row.id.replace(/^item-/, "") : null;
  }

  function pending() {
    let n = 0;
    edits.forEach((count, key) => { if ((saved.get(key) || 0) < count) n += 1; });
    return n;
  }

  function showUnsaved() {
    if (!unsaved) return;
    const n = pending();
    unsaved.textContent = n ? "有 " + n + " 项未保存" : "";
  }

  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.target.tagName === "TEXTAREA" || event.isComposing) return;
    if (!own(event.target) || event.target.tagName === "BUTTON") return;
    event.preventDefault();
    const list = inputs();
    const next = list[list.indexOf(event.target) + (event.shiftKey ? -1 : 1)];
    if (next) { next.focus(); if (next.select) next.select(); }
  });

  function show(text, bad) {
    status.textContent = text;
    status.className = bad ? "errors" : "muted";
  }

  function editingCell(row) {
    return row.querySelector("td.c-score [name$='-note']")?.closest("td") || null;
  }

  function clearMarks(row) {
    row.classList.remove("invalid");
    row.querySelectorAll("[aria-invalid=true]").forEach((el) => {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
    });
    row.querySelectorAll(".field-error").forEach((el) => el.remove());
  }

  // Mark the refused items at their fields; the field last changed, or else the first
  // refused one, takes the focus.
  function markRefused(byItem) {
    form.querySelectorAll("tr.item").forEach(clearMarks);
    let focus = null;
    Object.keys(byItem || {}).forEach((key) => {
      const row = document.getElementById("item-" + key);
      const cell = row && editingCell(row);
      if (!cell) return;
      row.classList.add("invalid");
      const id = "err-" + key;
      const message = document.createElement("p");
      message.className = "field-error";
      message.id = id;
      message.textContent = byItem[key].join("；");
      const fields = Array.from(cell.querySelectorAll("input:not([type=hidden]):not([type=file]), select")).filter(own);
      fields.forEach((el) => {
        el.setAttribute("aria-invalid", "true");
        el.setAttribute("aria-describedby", id);
      });
      const last = fields.length ? fields[fields.length - 1].closest("label") : null;
      if (last) last.after(message); else cell.prepend(message);
      if (!focus) focus = fields.includes(lastField) ? lastField : fields[0];
      else if (fields.includes(lastField)) focus = lastField;
    });
    if (focus) { focus.focus(); if (focus.select) focus.select(); }
  }

  async function save() {
    if (saving) { again = true; return; }
    saving = true;
    const sent = new Map(edits);
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
        sent.forEach((count, key) => saved.set(key, count));
        markRefused({});
        const total = document.getElementById(form.dataset.side + "-total");
        if (total && data.total) total.textContent = data.total;
        show(data.changed ? "已保存 " + new Date().toLocaleTimeString("zh-CN") : "没有修改，无需保存", false);
      } else if (data.conflict && data.conflict.length) {
        show("未保存：其他人刚修改了这张表。" + data.conflict.join("；") + " 请刷新页面。", true);
      } else if (data.by_item && Object.keys(data.by_item).length) {
        const n = Object.keys(data.by_item).length;
        show("未保存：有 " + n + " 项填写有误，已在该项旁标出。", true);
        markRefused(data.by_item);
      } else {
        show("未保存：" + data.errors.join("；"), true);
      }
    } catch (err) {
      show("未保存：网络连接出现问题，请稍后点击“保存”。", true);
    } finally {
      saving = false;
      showUnsaved();
      if (again) { again = false; save(); }
    }
  }

  function edited(event) {
    if (!own(event.target)) return; // the file pickers belong to the upload forms
    const key = itemKey(event.target);
    if (key) edits.set(key, (edits.get(key) || 0) + 1);
    lastField = event.target;
    showUnsaved();
    return key;
  }

  // A file chosen for an item is uploaded at once (its own small form, outside this one).
  form.classList.add("js");
  form.addEventListener("change", async (event) => {
    const picker = event.target;
    if (picker.type !== "file" || own(picker) || !picker.form || !picker.files.length) return;
    // The upload reloads the page: what was typed is saved first.
    clearTimeout(timer);
    if (pending()) await save();
    if (pending()) {
      picker.value = "";
      show("请先改正标出的项目并保存，再上传附件。", true);
      return;
    }
    const chosen = picker.closest(".file-add")?.querySelector(".file-chosen");
    if (chosen) chosen.textContent = "正在上传 " + picker.files[0].name + "…";
    if (picker.form.requestSubmit) picker.form.requestSubmit(); else picker.form.submit();
  });

  form.addEventListener("input", edited);
  form.addEventListener("change", (event) => {
    if (!own(event.target)) return;
    if (event.target.type === "checkbox" || event.target.tagName === "SELECT") edited(event);
    else lastField = event.target;
    clearTimeout(timer);
    timer = setTimeout(save, 300);
  });
})();
