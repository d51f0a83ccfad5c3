// hpkg province page: the line chart of the total registered FDI by report, drawn with the vendored d3
// (static/vendor/d3) from the page's own data (#fdi-series, the table's "total" column). No network.
"use strict";
(function () {
  const box = document.getElementById("fdi-chart");
  const data = JSON.parse(document.getElementById("fdi-series").textContent);
  if (!box || !data.length) return;
  const lang = document.documentElement.lang;
  const T = JSON.parse(document.getElementById("strings").textContent);
  const full = new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-US", { maximumFractionDigits: 0 });
  const short = new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-US", { notation: "compact", maximumFractionDigits: 1 });
  const W = 720, H = 300, M = { top: 20, right: 20, bottom: 40, left: 70 };
  const x = d3.scalePoint().domain(data.map((d) => d.report)).range([M.left, W - M.right]).padding(0.5);
  const y = d3.scaleLinear().domain([0, d3.max(data, (d) => d.value) || 1]).nice().range([H - M.bottom, M.top]);
  const svg = d3.select(box).append("svg").attr("viewBox", `0 0 ${W} ${H}`).attr("width", W).attr("height", H)
    .attr("class", "line-chart").attr("role", "img").attr("aria-label", T.fdi_chart);
  svg.append("g").attr("class", "axis x").attr("transform", `translate(0,${H - M.bottom})`).call(d3.axisBottom(x));
  svg.append("g").attr("class", "axis y").attr("transform", `translate(${M.left},0)`)
    .call(d3.axisLeft(y).ticks(6).tickFormat((v) => short.format(v)));
  svg.append("path").datum(data).attr("class", "line").attr("fill", "none").attr("stroke", "#1f6f8b")
    .attr("stroke-width", 2.5).attr("d", d3.line().x((d) => x(d.report)).y((d) => y(d.value)));
  svg.append("g").selectAll("circle").data(data).join("circle").attr("class", "point")
    .attr("cx", (d) => x(d.report)).attr("cy", (d) => y(d.value)).attr("r", 4.5).attr("fill", "#e07b39")
    .append("title").text((d) => `${d.report}: ${full.format(d.value)} USD`);
})();
