// Board of a campaign: copy a private link, confirm before revoking one.
document.addEventListener("click", function (event) {
  var copy = event.target.closest("[data-copy-target]");
  if (copy) {
    var input = document.getElementById(copy.getAttribute("data-copy-target"));
    input.select();
    if (navigator.clipboard) navigator.clipboard.writeText(input.value);
    copy.textContent = "Copié";
  }
  var confirmButton = event.target.closest("[data-confirm]");
  if (confirmButton && !window.confirm(confirmButton.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
