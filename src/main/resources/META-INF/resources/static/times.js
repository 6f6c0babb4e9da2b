// Shows each <time datetime> the pages write (io.carteiro.web.TimeTemplateExtensions) in the browser's own time zone:
// relative while it is recent ("3 minutes ago", "in 2 hours"), else the date and time; the exact local time and the
// UTC time the server wrote are in the title, shown on hover. A file of its own: the Content-Security-Policy allows
// no inline script. Content htmx brings in later (campaign progress) is shown the same way.
(function () {
  'use strict';
  var lang = document.documentElement.lang || undefined;
  var relative = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(lang, {numeric: 'auto'}) : null;
  var dateTime = new Intl.DateTimeFormat(lang, {year: 'numeric', month: 'short', day: 'numeric',
    hour: '2-digit', minute: '2-digit'});
  var exact = new Intl.DateTimeFormat(lang, {year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
    minute: '2-digit', second: '2-digit', timeZoneName: 'short'});
  var UNITS = [['second', 60], ['minute', 60], ['hour', 24], ['day', 7]];

  function ago(date) {
    if (!relative) {
      return null;
    }
    var amount = (date.getTime() - Date.now()) / 1000;
    for (var i = 0; i < UNITS.length; i++) {
      if (Math.abs(amount) < UNITS[i][1]) {
        return relative.format(Math.round(amount), UNITS[i][0]);
      }
      amount /= UNITS[i][1];
    }
    return null;  // a week or more away: the date says more than "3 weeks ago"
  }

  function show(root) {
    var times = root.querySelectorAll ? root.querySelectorAll('time[datetime]') : [];
    for (var i = 0; i < times.length; i++) {
      var el = times[i];
      var date = new Date(el.getAttribute('datetime'));
      if (isNaN(date.getTime())) {
        continue;
      }
      if (!el.hasAttribute('data-utc')) {
        el.setAttribute('data-utc', el.getAttribute('title') || el.getAttribute('datetime'));
      }
      el.textContent = ago(date) || dateTime.format(date);
      el.setAttribute('title', exact.format(date) + ' (' + el.getAttribute('data-utc') + ')');
    }
  }

  document.addEventListener('DOMContentLoaded', function () { show(document); });
  document.addEventListener('htmx:load', function (event) { show(event.target); });
  // "3 minutes ago" stays true while the page is open
  setInterval(function () { show(document); }, 30000);
})();
