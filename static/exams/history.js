// A student's ranks across exams (exams/student_history.html): lower is better, so the axis is reversed.
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
        {label: data.class_label, data: data.class_rank, borderColor: "#198754", backgroundColor: "#198754", spanGaps: true}
      ]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: {y: {reverse: true, beginAtZero: false, ticks: {precision: 0}}}
    }
  });
})();
