// A student's ranks across exams (exams/student_history.html): lower is better, so the axes are reversed.
(function () {
  var canvas = document.getElementById("history-chart");
  if (!canvas || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(canvas.dataset.chart);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        {label: data.grade_label, data: data.grade_rank, borderColor: "#0d6efd", backgroundColor: "#0d6efd", spanGaps: true},
        {label: data.class_label, data: data.class_rank, borderColor: "#198754", backgroundColor: "#198754", spanGaps: true,
         yAxisID: "y1"}
      ]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      // Two scales: a rank among a thousand and a rank among fifty would flatten each other on one.
      scales: {
        y: {reverse: true, beginAtZero: false, ticks: {precision: 0}, title: {display: true, text: data.grade_label}},
        y1: {reverse: true, beginAtZero: false, position: "right", grid: {drawOnChartArea: false}, ticks: {precision: 0},
             title: {display: true, text: data.class_label}}
      }
    }
  });
})();
