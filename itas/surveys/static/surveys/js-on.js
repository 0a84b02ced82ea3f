// Before the page is drawn: the questionnaire shows one step at a time only when scripts run
// (questionnaire.css, .js). A file of its own, as the Content-Security-Policy allows no inline script.
document.documentElement.classList.add("js");
