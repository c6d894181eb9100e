// A checkbox with data-select-all="NAME" ticks or unticks every checkbox named NAME in its form.
document.querySelectorAll("input[data-select-all]").forEach(function (box) {
  box.addEventListener("change", function () {
    box.form.querySelectorAll('input[type=checkbox][name="' + box.dataset.selectAll + '"]').forEach(function (other) {
      other.checked = box.checked;
    });
  });
});
