// Show a secret in place or copy it without showing it, through the reveal endpoint (which
// records every value it gives out); clear the clipboard 30 s after a copy, as password managers do.
// Without this script the "Show" buttons open a page with the value.
document.addEventListener("DOMContentLoaded", () => {
  const CLEAR_AFTER_MS = 30 * 1000;
  let clearTimer = null;

  const csrfToken = () => document.querySelector("[name=csrfmiddlewaretoken]").value;

  async function toClipboard(text) {
    await navigator.clipboard.writeText(text);
    clearTimeout(clearTimer);
    // Only a page in front may write to the clipboard; a page in the background leaves it alone.
    clearTimer = setTimeout(() => {
      if (document.hasFocus()) { navigator.clipboard.writeText("").catch(() => {}); }
    }, CLEAR_AFTER_MS);
  }

  function confirmCopied(button) {
    const label = button.textContent;
    button.textContent = button.dataset.copied || label;
    setTimeout(() => { button.textContent = label; }, 2000);
  }

  // Ask for one value. null when identity must be confirmed first (then, if go, go there:
  // the confirmation page leads back to this value).
  async function askValue(url, field, purpose, go) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken());
    body.append("field", field);
    body.append("purpose", purpose);
    const response = await fetch(url, {
      method: "POST", body, headers: { "X-Fragment": "1" }, credentials: "same-origin",
    });
    if (response.redirected) {
      if (go) { window.location.assign(response.url); }
      return null;
    }
    const holder = document.createElement("div");
    holder.innerHTML = await response.text();
    return { ok: response.ok, holder };
  }

  function showNote(after, holder) {
    after.parentElement.querySelectorAll("[data-secret-note]").forEach((note) => note.remove());
    const note = holder.firstElementChild;
    note.dataset.secretNote = "";
    after.after(note);
  }

  async function showInPlace(form, go) {
    const answer = await askValue(form.action, form.elements.field.value, "show", go);
    if (!answer) { return; }
    if (!answer.ok) { showNote(form, answer.holder); return; }
    const place = form.closest("dd") || form.parentElement;
    place.replaceChildren(...answer.holder.childNodes);
    place.querySelector("[data-copy-shown]")?.focus();
  }

  document.querySelectorAll("[data-secret-copy], [data-copy-note]").forEach((item) => { item.hidden = false; });

  document.querySelectorAll("form[data-secret-form]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      showInPlace(form, true);
    });
  });

  document.addEventListener("click", async (event) => {
    const shown = event.target.closest("[data-copy-shown]");
    if (shown) {
      await toClipboard(document.getElementById(shown.dataset.copyShown).textContent.trim());
      confirmCopied(shown);
      return;
    }
    const copy = event.target.closest("[data-secret-copy]");
    if (copy) {
      event.preventDefault();
      const answer = await askValue(copy.dataset.url, copy.dataset.field, "copy", true);
      if (!answer) { return; }
      const value = answer.holder.querySelector("[data-revealed]");
      if (!answer.ok || !value) { showNote(copy, answer.holder); return; }
      await toClipboard(value.textContent.trim());
      confirmCopied(copy);
    }
  });

  // Back from confirming identity: show the value that was asked for, once.
  const address = new URL(window.location.href);
  const asked = address.searchParams.get("reveal");
  if (asked) {
    address.searchParams.delete("reveal");
    window.history.replaceState(null, "", address);
    const input = document.querySelector(`form[data-secret-form] input[name=field][value="${CSS.escape(asked)}"]`);
    if (input) { showInPlace(input.form, false); }
  }
});
