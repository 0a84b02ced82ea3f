/* Dashboard charts with the vendored ECharts; every chart's numbers are also in a table. */
(function () {
  var el = document.getElementById("chart-data");
  if (!el || !window.echarts) return;
  var data = JSON.parse(el.textContent);
  var decal = { show: true };
  // Tooltips are built as elements, never as HTML text: ECharts' own tooltip HTML carries
  // style="..." attributes, which the Content-Security-Policy refuses (a colour set through
  // element.style, as here, is allowed).
  function tip(title, rows) {
    var box = document.createElement("div");
    if (title) {
      var strong = document.createElement("strong");
      strong.textContent = title;
      box.appendChild(strong);
    }
    rows.forEach(function (r) {
      var line = document.createElement("div");
      if (typeof r.color === "string") {
        var dot = document.createElement("span");
        dot.className = "chart-tip-dot";
        dot.style.backgroundColor = r.color;
        line.appendChild(dot);
      }
      line.appendChild(document.createTextNode(r.text));
      box.appendChild(line);
    });
    return box;
  }
  function number(v) {
    return typeof v === "number" ? v.toLocaleString(undefined, { maximumFractionDigits: 2 }) : String(v == null ? "–" : v);
  }
  function defaultTip(p) {
    var list = Array.isArray(p) ? p : [p];
    if (!list.length) return "";
    var title = Array.isArray(p) ? list[0].axisValueLabel : list[0].name;
    return tip(title, list.map(function (q) {
      return { color: q.color, text: (q.seriesName && Array.isArray(p) ? q.seriesName + ": " : "") + number(q.value) };
    }));
  }
  function make(id, option) {
    var node = document.getElementById(id);
    if (!node) return;
    if (option.tooltip && !option.tooltip.formatter) option.tooltip.formatter = defaultTip;
    var chart = echarts.init(node, null, { renderer: "svg" });
    // ECharts writes its own English description into aria-label; keep the page's Thai one.
    option.aria = Object.assign({ enabled: true, decal: decal, label: { description: node.getAttribute("aria-label") } }, option.aria);
    option.textStyle = { fontFamily: "Sarabun, sans-serif" };
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }
  var L = JSON.parse(document.getElementById("chart-labels").textContent);
  make("chart-grades", {
    tooltip: {}, grid: { left: 40, right: 10, top: 20, bottom: 30 },
    xAxis: { type: "category", data: data.grades.map(function (r) { return r[0]; }) },
    yAxis: { type: "value", name: L.agencies },
    series: [{ type: "bar", data: data.grades.map(function (r) { return r[1]; }), label: { show: true, position: "top" } }]
  });
  make("chart-histogram", {
    tooltip: {}, grid: { left: 40, right: 10, top: 20, bottom: 50 },
    xAxis: { type: "category", data: data.histogram.map(function (r) { return r[0]; }), axisLabel: { rotate: 45 } },
    yAxis: { type: "value", name: L.agencies },
    series: [{ type: "bar", data: data.histogram.map(function (r) { return r[1]; }) }]
  });
  make("chart-indicators", {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 40, right: 10, top: 30, bottom: 30 },
    xAxis: { type: "category", data: data.indicators.map(function (r) { return r[0]; }) },
    yAxis: { type: "value", min: 0, max: 100 },
    series: [
      { name: L.thisYear, type: "bar", data: data.indicators.map(function (r) { return r[1]; }) },
      { name: L.lastYear, type: "bar", data: data.indicators.map(function (r) { return r[2]; }) }
    ]
  });
  function placeChart(id, rows) {
    var names = rows.map(function (r) { return r[0]; }).reverse();
    make(id, {
      tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { left: 110, right: 20, top: 30, bottom: 30 },
      yAxis: { type: "category", data: names, axisLabel: { interval: 0, fontSize: 11 } },
      xAxis: { type: "value", min: 0, max: 100 },
      series: [
        { name: L.average, type: "bar", data: rows.map(function (r) { return r[1]; }).reverse() },
        { name: L.passRate, type: "bar", data: rows.map(function (r) { return r[2]; }).reverse(),
          markLine: { symbol: "none", data: [{ xAxis: data.goal, name: L.goal }], label: { formatter: L.goal } } }
      ]
    });
  }
  var tall = document.getElementById("chart-places");
  if (tall) {
    tall.style.height = Math.max(260, 22 * data.places.length + 80) + "px";
    placeChart("chart-places", data.places);
  }
  if (data.map) provinceMap(document.getElementById("chart-map"), data.map);
  placeChart("chart-kinds", data.kinds);

  // The choropleth of the provinces: the vendored SVG (npm @svg-maps/thailand) registered as an
  // ECharts map. Its shapes carry the map's own ids; the server sends which id is which province
  // (itas.geo.svgmap), and each shape is named after its province here so ECharts can colour it.
  function provinceMap(node, rows) {
    if (!node) return;
    var byShape = {};
    rows.forEach(function (r) { byShape[r.shape] = r; });
    fetch(node.dataset.svg).then(function (res) { return res.text(); }).then(function (text) {
      var doc = new DOMParser().parseFromString(text, "image/svg+xml");
      Array.prototype.forEach.call(doc.querySelectorAll("path"), function (p) {
        var row = byShape[p.id];
        if (row) p.setAttribute("name", row.name);
        else if (p.id === "lksg") p.setAttribute("fill", "#cfe2ff");  // Songkhla lake
        else p.setAttribute("name", p.getAttribute("aria-label"));  // a province without results
        p.setAttribute("stroke", "#fff");
      });
      echarts.registerMap("thailand", { svg: new XMLSerializer().serializeToString(doc) });
      var byName = {};
      rows.forEach(function (r) { byName[r.name] = r; });
      var measures = {
        average: { min: 40, max: 100, title: L.average },
        pass_rate: { min: 0, max: 100, title: L.passRate }
      };
      function option(measure) {
        var m = measures[measure];
        return {
          aria: { decal: { show: false } },  // the colour scale is also in the table beside
          tooltip: {
            formatter: function (p) {
              var r = byName[p.name];
              if (!r) return tip(p.name, [{ text: L.noResults }]);
              return tip(r.name, [
                { text: L.average + ": " + (r.average === null ? "–" : r.average.toFixed(2)) },
                { text: L.passRate + ": " + (r.pass_rate === null ? "–" : r.pass_rate.toFixed(2)) },
                { text: L.agencies + ": " + r.assessed }
              ]);
            }
          },
          visualMap: {
            type: "continuous", min: m.min, max: m.max, calculable: false, text: [String(m.max), String(m.min)],
            left: 0, bottom: 10, itemHeight: 120, precision: 0,
            inRange: { color: ["#fff7bc", "#fec44f", "#d95f0e", "#7f2704"] }
          },
          series: [{
            type: "map", map: "thailand", roam: false, selectedMode: false, name: m.title,
            itemStyle: { areaColor: "#dee2e6", borderColor: "#fff" },
            emphasis: { label: { show: false }, itemStyle: { areaColor: "#0b5ed7" } },
            data: rows.map(function (r) { return { name: r.name, value: r[measure] }; })
          }]
        };
      }
      var chart = make(node.id, option("average"));
      chart.on("click", function (p) {
        var r = byName[p.name];
        if (r) window.location.href = r.url;
      });
      Array.prototype.forEach.call(document.querySelectorAll("input[name=map-measure]"), function (input) {
        input.addEventListener("change", function () {
          if (!input.checked) return;
          chart.setOption(option(input.value), { replaceMerge: ["series", "visualMap"] });
          node.setAttribute("aria-label", L["map_" + input.value]);
        });
      });
      node.dataset.ready = "1";
    });
  }
})();
