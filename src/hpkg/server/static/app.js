// hpkg query page: run SPARQL against /sparql (or a named query with its parameters against /api/NAME), show
// the results as a table, offer downloads, and draw numeric columns as a bar chart (a small hand-written SVG
// chart). Two named queries get their own picture, drawn with the vendored d3 (static/vendor/d3, no CDN):
// fdi-province-rank a horizontal bar per province, fdi-by-province-2025 a choropleth map of the 34 units of
// 1 July 2025 from the server's GeoJSON (/geo/provinces-2025.geojson; no tiles, no network).
"use strict";
(function () {
  const page = document.querySelector(".query-page");
  const lang = page.dataset.lang;
  const base = page.dataset.base;
  const T = JSON.parse(document.getElementById("strings").textContent);
  const named = JSON.parse(document.getElementById("named-queries-data").textContent);
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query");
  const status = document.getElementById("status");
  const table = document.getElementById("results");
  const errorBox = document.getElementById("error");
  const rowCount = document.getElementById("row-count");
  const chart = document.getElementById("chart");
  const controls = document.getElementById("chart-controls");
  const paramsBox = document.getElementById("params");
  const legendBox = document.getElementById("map-legend");
  const SVG = "http://www.w3.org/2000/svg";
  const DEFAULTS = { year: "2023" };
  let current = null;  // the named query being run with its parameters, or null for the editor's text
  const NUMERIC = /#(integer|decimal|double|float|long|int|short|byte|nonNegativeInteger|positiveInteger|unsignedInt|unsignedLong)$/;
  const numberFormat = new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-US", { maximumFractionDigits: 2 });

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function paramValues() {
    const values = {};
    paramsBox.querySelectorAll("input[data-param]").forEach((i) => { if (i.value !== "") values[i.dataset.param] = i.value; });
    return values;
  }
  function downloadUrl(fmt) {
    if (current) return `/api/${current.name}.${fmt}?` + new URLSearchParams(paramValues()).toString();
    return "/sparql?" + new URLSearchParams({ query: editor.value, format: fmt }).toString();
  }
  function showParams(q) {
    paramsBox.replaceChildren();
    const params = (q && q.params) || [];
    paramsBox.hidden = !params.length;
    if (!params.length) return;
    paramsBox.appendChild(el("span", { class: "k" }, T.parameters + ": "));
    params.forEach((p) => {
      const id = "param-" + p.name;
      paramsBox.append(el("label", { for: id }, p.name + (p.required ? " *" : "") + " "),
        el("input", { id: id, "data-param": p.name, value: DEFAULTS[p.name] || "", size: 8,
                      ...(p.required ? { required: "" } : {}) }), " ");
    });
  }
  function linkFor(iri) {
    return iri.startsWith(base) ? "/id/" + iri.slice(base.length) : iri;
  }
  function isNumber(b) {
    return b && b.type === "literal" && b.datatype && NUMERIC.test(b.datatype);
  }

  function showError(message) {
    errorBox.hidden = false;
    errorBox.textContent = message;
  }

  function renderTable(vars, rows) {
    table.replaceChildren();
    const head = el("thead");
    const tr = el("tr");
    vars.forEach((v) => tr.appendChild(el("th", {}, v)));
    head.appendChild(tr);
    const body = el("tbody");
    rows.forEach((row) => {
      const r = el("tr");
      vars.forEach((v) => {
        const b = row[v];
        const td = el("td", isNumber(b) ? { class: "num" } : {});
        if (!b) { /* unbound */ }
        else if (b.type === "uri") td.appendChild(el("a", { href: linkFor(b.value) }, b.value));
        else if (isNumber(b)) td.textContent = numberFormat.format(Number(b.value));
        else td.textContent = b.value + (b["xml:lang"] ? " @" + b["xml:lang"] : "");
        r.appendChild(td);
      });
      body.appendChild(r);
    });
    table.append(head, body);
  }

  // Which columns to draw: the numeric ones of the same kind as the first (percentages apart from
  // amounts) and of comparable size (within 1000x), so 4.35 billion USD is not drawn beside 4 350 000 000.
  function defaultSeries(numeric, rows) {
    if (!numeric.length) return [];
    const isPct = (v) => /percent|pct|share|ratio/i.test(v);
    const maxOf = (v) => Math.max(...rows.map((r) => (r[v] ? Math.abs(Number(r[v].value)) : 0)));
    const first = numeric[0];
    const m0 = maxOf(first) || 1;
    return numeric.filter((v) => isPct(v) === isPct(first) && maxOf(v) <= m0 * 1000 && maxOf(v) >= m0 / 1000);
  }

  function renderChart(vars, rows) {
    chart.replaceChildren();
    controls.replaceChildren();
    legendBox.replaceChildren();
    if (current && current.name === "fdi-province-rank" && rows.length) return drawRank(rows);
    if (current && current.name === "fdi-by-province-2025") return drawMap(rows);
    const numeric = vars.filter((v) => rows.some((r) => r[v]) && rows.every((r) => !r[v] || isNumber(r[v])));
    const categories = vars.filter((v) => !numeric.includes(v));
    if (!numeric.length || !rows.length) {
      chart.appendChild(el("p", { class: "muted" }, T.no_chart));
      return;
    }
    const xSel = el("select", { id: "chart-x" });
    categories.forEach((v) => xSel.appendChild(el("option", { value: v }, v)));
    xSel.appendChild(el("option", { value: "" }, "#"));
    const chosen = new Set(defaultSeries(numeric, rows));
    const boxes = el("span", { class: "series" });
    numeric.forEach((v) => {
      const id = "series-" + v;
      const cb = el("input", { type: "checkbox", id: id, value: v });
      cb.checked = chosen.has(v);
      const label = el("label", { for: id }, v);
      boxes.append(cb, label);
    });
    controls.append(el("label", { for: "chart-x" }, T.x_axis + ": "), xSel, " ", el("span", {}, T.y_axis + ": "), boxes);
    const draw = () => {
      const series = numeric.filter((v) => document.getElementById("series-" + v).checked);
      drawBars(rows, xSel.value, series);
    };
    controls.addEventListener("change", draw);
    draw();
  }

  function drawBars(rows, xVar, series) {
    chart.replaceChildren();
    if (!series.length) return;
    const palette = ["#1f6f8b", "#e07b39", "#5b9a45", "#b0413e", "#7d5ba6", "#c9a227"];
    const W = 720, H = 340, M = { top: 20, right: 20, bottom: 70, left: 70 };
    const values = rows.flatMap((r) => series.map((s) => (r[s] ? Number(r[s].value) : 0)));
    const max = Math.max(0, ...values), min = Math.min(0, ...values);
    const span = max - min || 1;
    const plotW = W - M.left - M.right, plotH = H - M.top - M.bottom;
    const y = (v) => M.top + plotH * (max - v) / span;
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img", class: "bar-chart",
      "aria-label": series.join(", ") });
    const ticks = 5;
    for (let i = 0; i <= ticks; i++) {
      const v = min + span * i / ticks;
      root.appendChild(svg("line", { x1: M.left, x2: W - M.right, y1: y(v), y2: y(v), class: "grid" }));
      root.appendChild(svg("text", { x: M.left - 6, y: y(v) + 4, "text-anchor": "end", class: "tick" }, numberFormat.format(v)));
    }
    const groupW = plotW / rows.length;
    const barW = Math.max(4, (groupW * 0.8) / series.length);
    rows.forEach((r, i) => {
      const gx = M.left + i * groupW + groupW * 0.1;
      series.forEach((s, j) => {
        const v = r[s] ? Number(r[s].value) : 0;
        const top = y(Math.max(v, 0)), bottom = y(Math.min(v, 0));
        const rect = svg("rect", { x: gx + j * barW, y: top, width: barW - 2, height: Math.max(1, bottom - top),
          fill: palette[j % palette.length], class: "bar" });
        rect.appendChild(svg("title", {}, `${s}: ${numberFormat.format(v)}`));
        root.appendChild(rect);
        root.appendChild(svg("text", { x: gx + j * barW + (barW - 2) / 2, y: top - 4, "text-anchor": "middle", class: "value" },
          numberFormat.format(v)));
      });
      const label = xVar && r[xVar] ? r[xVar].value : String(i + 1);
      root.appendChild(svg("text", { x: M.left + i * groupW + groupW / 2, y: H - M.bottom + 18, "text-anchor": "middle",
        class: "category" }, label.length > 40 ? label.slice(0, 39) + "…" : label));
    });
    root.appendChild(svg("line", { x1: M.left, x2: W - M.right, y1: y(0), y2: y(0), class: "axis" }));
    series.forEach((s, j) => {
      const lx = M.left + j * 190, ly = H - 22;
      root.appendChild(svg("rect", { x: lx, y: ly - 10, width: 12, height: 12, fill: palette[j % palette.length] }));
      root.appendChild(svg("text", { x: lx + 16, y: ly, class: "legend" }, s));
    });
    chart.appendChild(root);
  }

  const numberOf = (b) => (b ? Number(b.value) : NaN);
  const compact = new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-US", { notation: "compact", maximumFractionDigits: 1 });
  const usd = (v) => numberFormat.format(Math.round(v)) + " USD";

  // fdi-province-rank: one horizontal bar per row, in the table's order (rank 1 at the top).
  function drawRank(rows) {
    const W = 760, bar = 16, M = { top: 24, right: 90, bottom: 10, left: 190 };
    const H = M.top + M.bottom + bar * rows.length;
    const key = (r, i) => i + ". " + (r.province ? r.province.value : r.code.value);
    const y = d3.scaleBand().domain(rows.map(key)).range([M.top, H - M.bottom]).padding(0.15);
    const x = d3.scaleLinear().domain([0, d3.max(rows, (r) => numberOf(r.fdi_registered_usd)) || 1]).nice()
      .range([M.left, W - M.right]);
    const root = d3.select(chart).append("svg").attr("viewBox", `0 0 ${W} ${H}`).attr("width", W).attr("height", H)
      .attr("class", "rank-chart").attr("role", "img").attr("aria-label", "fdi_registered_usd");
    root.append("g").attr("class", "axis x").attr("transform", `translate(0,${M.top})`)
      .call(d3.axisTop(x).ticks(6).tickFormat((v) => compact.format(v)));
    root.append("g").attr("class", "axis y").attr("transform", `translate(${M.left},0)`)
      .call(d3.axisLeft(y).tickFormat((k) => k.replace(/^\d+\. /, "")));
    const g = root.append("g").selectAll("g").data(rows).join("g");
    g.append("rect").attr("class", "bar").attr("fill", "#1f6f8b")
      .attr("x", x(0)).attr("y", (r, i) => y(key(r, i))).attr("height", y.bandwidth())
      .attr("width", (r) => Math.max(1, x(numberOf(r.fdi_registered_usd) || 0) - x(0)))
      .append("title").text((r) => `${r.rank ? r.rank.value + ". " : ""}${r.province ? r.province.value : ""}: ${usd(numberOf(r.fdi_registered_usd))}`);
    g.append("text").attr("class", "value").attr("x", (r) => x(numberOf(r.fdi_registered_usd) || 0) + 4)
      .attr("y", (r, i) => y(key(r, i)) + y.bandwidth() - 3).text((r) => compact.format(numberOf(r.fdi_registered_usd)));
  }

  // fdi-by-province-2025: the 34 units coloured by fdi_registered_usd in five quantile classes, with a legend.
  let geojson = null;
  async function drawMap(rows) {
    if (!geojson) {
      const resp = await fetch("/geo/provinces-2025.geojson", { headers: { Accept: "application/geo+json" } });
      if (!resp.ok) { showError(`${T.error} ${resp.status}: ${await resp.text()}`); return; }
      geojson = await resp.json();
    }
    chart.replaceChildren();
    legendBox.replaceChildren();
    const byCode = new Map(rows.filter((r) => r.code).map((r) => [r.code.value, r]));
    const values = rows.map((r) => numberOf(r.fdi_registered_usd)).filter((v) => !Number.isNaN(v));
    const colours = d3.schemeBlues[5];
    const scale = d3.scaleQuantile().domain(values.length ? values : [0, 1]).range(colours);
    const W = 520, H = 860;
    // planar lon/lat (the units lie between 8° and 24° N): winding-order agnostic, fitted to the box
    const projection = d3.geoIdentity().reflectY(true).fitSize([W, H], geojson);
    const path = d3.geoPath(projection);
    const root = d3.select(chart).append("svg").attr("viewBox", `0 0 ${W} ${H}`).attr("width", W).attr("height", H)
      .attr("class", "map").attr("role", "img").attr("aria-label", T.map_legend);
    root.append("g").selectAll("path").data(geojson.features).join("path")
      .attr("class", "unit").attr("d", path).attr("stroke", "#fff").attr("stroke-width", 0.6)
      .attr("data-code", (f) => f.properties.code)
      .attr("fill", (f) => { const r = byCode.get(f.properties.code); return r ? scale(numberOf(r.fdi_registered_usd)) : "#d9d9d9"; })
      .append("title").text((f) => {
        const r = byCode.get(f.properties.code);
        const name = (lang === "en" && f.properties.name_en) || f.properties.name;
        return `${name} (${f.properties.code}): ` + (r ? usd(numberOf(r.fdi_registered_usd)) : T.no_data);
      });
    // the legend: the class breaks of the quantile scale
    const breaks = [d3.min(values), ...scale.quantiles(), d3.max(values)];
    const legend = el("ul", { class: "map-legend", id: "legend" });
    legend.appendChild(el("li", { class: "title" }, T.map_legend));
    colours.forEach((c, i) => {
      if (!values.length) return;
      const li = el("li", { class: "class" });
      li.append(el("span", { class: "swatch", style: `background:${c}` }),
        `${compact.format(breaks[i])} – ${compact.format(breaks[i + 1])}`);
      legend.appendChild(li);
    });
    const none = el("li", { class: "class" });
    none.append(el("span", { class: "swatch", style: "background:#d9d9d9" }), T.no_data);
    legend.appendChild(none);
    legendBox.appendChild(legend);
  }

  async function run() {
    errorBox.hidden = true;
    status.textContent = T.running;
    table.replaceChildren();
    chart.replaceChildren();
    controls.replaceChildren();
    legendBox.replaceChildren();
    rowCount.textContent = "";
    document.getElementById("download-csv").href = downloadUrl("csv");
    document.getElementById("download-json").href = downloadUrl("json");
    const started = performance.now();
    let resp;
    try {
      const accept = "application/sparql-results+json, text/turtle;q=0.9";
      resp = current
        ? await fetch(`/api/${current.name}?` + new URLSearchParams(paramValues()).toString(), { headers: { Accept: accept } })
        : await fetch("/sparql", {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: accept },
          body: new URLSearchParams({ query: editor.value }),
        });
    } catch (e) {
      status.textContent = "";
      showError(T.error + ": " + e);
      return;
    }
    const ms = Math.round(performance.now() - started);
    const type = resp.headers.get("content-type") || "";
    if (!resp.ok) {
      status.textContent = "";
      showError(`${T.error} ${resp.status}: ${await resp.text()}`);
      return;
    }
    if (type.startsWith("text/turtle")) {
      const pre = el("pre", { class: "rdf" }, await resp.text());
      table.replaceChildren(el("caption", {}, "Turtle"));
      chart.appendChild(pre);
      status.textContent = `${ms} ms`;
      return;
    }
    const data = await resp.json();
    if ("boolean" in data) {
      renderTable(["boolean"], [{ boolean: { type: "literal", value: String(data.boolean) } }]);
      status.textContent = `${ms} ms`;
      return;
    }
    const vars = data.head.vars, rows = data.results.bindings;
    renderTable(vars, rows);
    rowCount.textContent = `(${rows.length} ${rows.length === 1 ? T.row : T.rows})`;
    status.textContent = `${ms} ms`;
    renderChart(vars, rows);
  }

  form.addEventListener("submit", (ev) => { ev.preventDefault(); run(); });
  document.querySelectorAll("button.named-query").forEach((btn) => {
    btn.addEventListener("click", () => {
      const q = named.find((n) => n.name === btn.dataset.name);
      if (!q) return;
      editor.value = q.sparql;
      current = q.params && q.params.length ? q : null;
      if (q.name === "fdi-province-rank" || q.name === "fdi-by-province-2025") current = q;
      showParams(q);
      document.querySelectorAll("button.named-query").forEach((b) => b.classList.remove("active"));
      btn.classList.add("active");
      history.replaceState(null, "", `?lang=${lang}&q=${encodeURIComponent(q.name)}`);
      // the language switch keeps the question (the page is drawn again in the other language)
      document.querySelectorAll("a.lang[hreflang]").forEach((a) => {
        a.href = `/?lang=${a.hreflang}&q=${encodeURIComponent(q.name)}`;
      });
      run();
    });
  });
  editor.addEventListener("input", () => { current = null; showParams(null); });
  const preset = new URLSearchParams(location.search).get("q");
  if (preset) document.getElementById("q-" + preset)?.click();
})();
