// Petrel's dashboard: draws the overview's charts with uPlot from the page's JSON block, and asks before a
// form marked data-confirm is sent. Everything else is plain HTML from the server.
(function () {
  "use strict";
  var SERIES = [
    { key: "accepted", label: "accepted", stroke: "#2563eb" },
    { key: "delivered", label: "delivered", stroke: "#16a34a" },
    { key: "deferred", label: "deferred", stroke: "#d97706" },
    { key: "bounced", label: "bounced", stroke: "#dc2626" }
  ];

  function draw(element, data) {
    var columns = [data.t];
    var series = [{}];
    SERIES.forEach(function (s) {
      columns.push(data[s.key]);
      series.push({ label: s.label, stroke: s.stroke, width: 2, points: { show: false } });
    });
    var width = Math.max(320, element.clientWidth || 800);
    new uPlot({ width: width, height: 220, series: series,
      scales: { y: { range: function (u, min, max) { return [0, Math.max(5, max)]; } } } }, columns, element);
  }

  function charts() {
    var block = document.getElementById("traffic");
    if (!block || typeof uPlot === "undefined") {
      return;
    }
    var traffic = JSON.parse(block.textContent);
    document.querySelectorAll("div.chart[data-series]").forEach(function (element) {
      draw(element, traffic[element.getAttribute("data-series")]);
    });
  }

  function confirmations() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          event.preventDefault();
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    charts();
    confirmations();
  });
})();
