// The principal's dashboard (templates/inspections/dashboards/principal.html): one Chart.js chart per figure,
// drawn from the figures' numbers (json_script "dashboard-charts"); the table under each chart holds the same
// numbers and links each of them to the records behind it.
(function () {
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var charts = JSON.parse(source.textContent);
  var colours = ["#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#6c757d"];
  document.querySelectorAll("canvas[data-chart-key]").forEach(function (canvas) {
    var chart = charts[canvas.dataset.chartKey];
    if (!chart) {
      return;
    }
    var phone = window.matchMedia("(max-width: 576px)").matches;
    var horizontal = chart.type === "bar" && (phone || chart.labels.length > 12);
    if (horizontal) {
      // One bar a line, so that long names stay readable on a phone.
      canvas.parentElement.style.height = Math.max(200, 24 * chart.labels.length + 80) + "px";
    }
    new Chart(canvas, {
      type: chart.type,
      data: {
        labels: chart.labels,
        datasets: chart.datasets.map(function (set, index) {
          var colour = colours[index % colours.length];
          return {label: set.label, data: set.data, borderColor: colour, backgroundColor: colour, spanGaps: true};
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        // A legend of more lines than a phone can list is left out: the tooltips and the table name them.
        plugins: {legend: {display: chart.datasets.length <= (phone ? 6 : 16), position: phone ? "bottom" : "top",
                           labels: {boxWidth: 12}}},
        scales: {
          x: {stacked: chart.stacked, ticks: {autoSkip: true, maxRotation: 60}},
          y: {stacked: chart.stacked, beginAtZero: true}
        }
      }
    });
  });
})();
