// Copy buttons, select-all boxes, auto-submitting menus, one-time links. No inline scripts (CSP-friendly).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", async () => {
      const target = document.getElementById(button.dataset.copy);
      const text = target.value !== undefined ? target.value : target.textContent;
      try {
        await navigator.clipboard.writeText(text.trim());
      } catch (error) {
        const range = document.createRange();
        range.selectNodeContents(target);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
        document.execCommand("copy");
      }
      const label = button.textContent;
      button.textContent = button.dataset.copied || "OK";
      setTimeout(() => { button.textContent = label; }, 2000);
    });
  });
  document.querySelectorAll("[data-copy-all]").forEach((button) => {
    button.addEventListener("click", async () => {
      const container = document.getElementById(button.dataset.copyAll);
      const lines = [...container.querySelectorAll("[data-item]")].map((row) => {
        const value = row.querySelector("[data-value]");
        const text = value ? (value.value !== undefined ? value.value : value.textContent) : "";
        return `${row.dataset.label}: ${text.trim()}`;
      });
      await navigator.clipboard.writeText(lines.join("\n"));
      const label = button.textContent;
      button.textContent = button.dataset.copied || "OK";
      setTimeout(() => { button.textContent = label; }, 2000);
    });
  });
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  document.querySelectorAll("[data-select-all]").forEach((box) => {
    box.addEventListener("change", () => {
      document.querySelectorAll(`input[name="${box.dataset.selectAll}"]`).forEach((item) => {
        item.checked = box.checked;
      });
    });
  });
  // A one-time link keeps its secret part after "#", which browsers never send to the server:
  // it travels only in the form's POST body, together with the PIN.
  // It is kept in this tab's sessionStorage too, so a reload or a change of language (which
  // may come back without the "#…") still finds it; the pages that close a link forget it.
  document.querySelectorAll("[data-from-fragment]").forEach((input) => {
    const key = `handoff:${window.location.pathname}`;
    input.value = decodeURIComponent(window.location.hash.slice(1));
    if (input.value) {
      sessionStorage.setItem(key, input.value);
    } else {
      input.value = sessionStorage.getItem(key) || "";
    }
    if (!input.value) {
      document.querySelectorAll("[data-fragment-missing]").forEach((note) => { note.hidden = false; });
      input.form.querySelectorAll("button").forEach((button) => { button.disabled = true; });
    }
  });
  if (document.querySelector("[data-forget-fragment]")) {
    sessionStorage.removeItem(`handoff:${window.location.pathname}`);
  }
  // On a phone the main menu folds behind one button; without this script it stays unfolded.
  document.querySelectorAll("[data-menu-toggle]").forEach((button) => {
    const menu = document.getElementById(button.getAttribute("aria-controls"));
    const setOpen = (open) => {
      button.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    };
    button.hidden = false;
    menu.classList.add("foldable");
    button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
    menu.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && button.offsetParent !== null) {
        setOpen(false);
        button.focus();
      }
    });
  });
  // Warnings beside a field as it is left (a shared or carrier email, a hint that is the code):
  // the server compares with the firm's other records. Without scripts they show after saving.
  document.querySelectorAll("form[data-warnings]").forEach((form) => {
    form.addEventListener("focusout", async (event) => {
      const name = event.target.name;
      const box = name && form.querySelector(`[data-warnings-for="${name}"]`);
      if (!box || box.dataset.checked === event.target.value) return;
      box.dataset.checked = event.target.value;
      const data = new FormData(form);
      data.set("field", name);
      try {
        const response = await fetch(form.dataset.warnings, { method: "POST", body: data });
        if (!response.ok) return;
        const result = await response.json();
        box.replaceChildren(...result.warnings.map((text) => {
          const line = document.createElement("p");
          line.className = "message warning";
          line.textContent = text;
          return line;
        }));
      } catch (error) {
        delete box.dataset.checked;
      }
    });
  });
  document.querySelectorAll("[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
});
