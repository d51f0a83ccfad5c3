// The /ingest page: extract candidates, highlight them in the text, decide on each, submit. No libraries.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const vi = document.querySelector(".ingest-page").dataset.lang === "vi";
  let current = null; // the last extraction: {text, rows, ...}

  function fields() {
    const v = (id) => $(id).value.trim() || null;
    return { text: $("text").value, title: v("title"), published: v("published"), publisher: v("publisher"),
             source_url: v("source_url"), lang: v("doc-lang") };
  }

  async function post(path, body) {
    const r = await fetch(path, { method: "POST", body: JSON.stringify(body), headers: {
      "Content-Type": "application/json", "Accept": "application/json",
      "Authorization": "Bearer " + $("token").value.trim() } });
    const type = r.headers.get("Content-Type") || "";
    const payload = type.includes("json") ? await r.json() : await r.text();
    return { status: r.status, payload };
  }

  function highlight(text, rows) {
    // figures first, then organisations, zones: non-overlapping marks; projects are listed in the table only
    const order = { figure: 0, organisation: 1, zone: 2 };
    const spans = rows.filter((r) => r.kind in order)
      .sort((a, b) => order[a.kind] - order[b.kind] || a.start - b.start);
    const kept = [];
    for (const s of spans) {
      const a = +s.start, b = +s.end;
      if (!kept.some((k) => a < k.end && k.start < b)) kept.push({ start: a, end: b, row: s });
    }
    kept.sort((x, y) => x.start - y.start);
    const box = $("highlighted");
    box.textContent = "";
    let at = 0;
    for (const k of kept) {
      box.append(document.createTextNode(text.slice(at, k.start)));
      const m = document.createElement("mark");
      m.className = "cand " + k.row.kind;
      m.dataset.row = k.row.row;
      m.id = "mark-" + k.row.row;
      m.title = k.row.kind + (k.row.indicator ? " " + k.row.indicator : "") + (k.row.iri ? " " + k.row.iri : "");
      m.textContent = text.slice(k.start, k.end);
      box.append(m);
      at = k.end;
    }
    box.append(document.createTextNode(text.slice(at)));
  }

  function table(rows) {
    const body = $("candidates").querySelector("tbody");
    body.textContent = "";
    for (const r of rows) {
      const tr = document.createElement("tr");
      tr.id = "row-" + r.row;
      tr.dataset.kind = r.kind;
      const cells = [r.row, r.kind, r.quote, r.kind === "figure" ? r.value + " " + r.unit : "",
                     r.indicator, r.period, r.kind === "figure" ? (r.area_iri || r.area) : r.iri, r.status];
      for (const c of cells) { const td = document.createElement("td"); td.textContent = c || ""; tr.append(td); }
      const td = document.createElement("td");
      for (const d of ["accept", "reject"]) {
        const label = document.createElement("label");
        const input = document.createElement("input");
        input.type = "radio"; input.name = "decision-" + r.row; input.value = d; input.id = d + "-" + r.row;
        input.addEventListener("change", () => {
          const m = $("mark-" + r.row);
          if (m) m.dataset.decision = d;
          tr.dataset.decision = d;
        });
        label.append(input, " " + (vi ? (d === "accept" ? "nhận" : "loại") : d));
        td.append(label, " ");
        if (r.decision === d) {  // marked up front by the sheet (the reason is the row's note)
          input.checked = true; tr.dataset.decision = d;
          const m = $("mark-" + r.row);
          if (m) m.dataset.decision = d;
        }
      }
      if (r.note) tr.title = r.note;
      tr.append(td);
      body.append(tr);
    }
    $("candidates").hidden = rows.length === 0;
    $("submit").hidden = rows.length === 0;
  }

  $("extract").addEventListener("click", async () => {
    $("ingest-status").textContent = vi ? "Đang tìm…" : "Extracting…";
    $("ingest-result").textContent = "";
    const { status, payload } = await post("/ingest/extract", fields());
    if (status !== 200) { $("ingest-status").textContent = status + ": " + payload; return; }
    current = payload;
    highlight(payload.text, payload.rows);
    table(payload.rows);
    $("ingest-status").textContent = (vi ? "Số liệu: " : "Figures: ") + payload.facts.length +
      (vi ? " · thực thể: " : " · entities: ") + payload.entities.length;
  });

  $("submit").addEventListener("click", async () => {
    if (!current) return;
    const decisions = [];
    for (const r of current.rows) {
      const chosen = document.querySelector(`input[name="decision-${r.row}"]:checked`);
      if (chosen) decisions.push({ row: r.row, decision: chosen.value, quote: r.quote });
    }
    const { status, payload } = await post("/ingest/accept", { ...fields(), decisions });
    $("ingest-result").dataset.status = status;
    $("ingest-result").textContent = status + "\n" + (typeof payload === "string" ? payload
      : JSON.stringify(payload, null, 2));
  });
})();
