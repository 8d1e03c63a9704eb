// The quick search in the header: results appear under the box while typing.
// Without this script the form simply opens the results page.
document.addEventListener("DOMContentLoaded", () => {
  const WAIT_MS = 250;
  document.querySelectorAll("[data-quick-search]").forEach((form) => {
    const input = form.querySelector("input[name=q]");
    const results = form.querySelector(".quick-search-results");
    let timer = null;
    let asked = 0;
    const close = () => { results.hidden = true; };
    const show = async () => {
      const query = input.value.trim();
      if (!query) { close(); return; }
      const number = ++asked;
      const url = `${form.action}?${new URLSearchParams({ q: query })}`;
      const response = await fetch(url, { headers: { "X-Fragment": "1" }, credentials: "same-origin" });
      // A slower answer to an earlier query must not replace a newer one.
      if (number !== asked || !response.ok) { return; }
      results.innerHTML = await response.text();
      results.hidden = false;
    };
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(show, WAIT_MS);
    });
    input.addEventListener("focus", () => { if (input.value.trim() && results.innerHTML) { results.hidden = false; } });
    form.addEventListener("keydown", (event) => {
      if (event.key === "Escape") { close(); input.focus(); return; }
      // The arrow keys walk from the box through the results and back.
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") { return; }
      const links = [...results.querySelectorAll("a")];
      if (results.hidden || !links.length) { return; }
      event.preventDefault();
      const at = links.indexOf(document.activeElement);
      const next = event.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) { input.focus(); } else { links[Math.min(next, links.length - 1)].focus(); }
    });
    document.addEventListener("click", (event) => {
      if (!form.contains(event.target)) { close(); }
    });
  });
});
