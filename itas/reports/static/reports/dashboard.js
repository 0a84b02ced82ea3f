/* Dashboard charts with the vendored ECharts; every chart's numbers are also in a table. */
(function () {
  var el = document.getElementById("chart-data");
  if (!el || !window.echarts) return;
  var data = JSON.parse(el.textContent);
  var decal = { show: true };
  function make(id, option) {
    var node = document.getElementById(id);
    if (!node) return;
    var chart = echarts.init(node, null, { renderer: "svg" });
    option.aria = { enabled: true, decal: decal };
    option.textStyle = { fontFamily: "Sarabun, sans-serif" };
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
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
  if (tall) tall.style.height = Math.max(260, 22 * data.places.length + 80) + "px";
  placeChart("chart-places", data.places);
  placeChart("chart-kinds", data.kinds);
})();
