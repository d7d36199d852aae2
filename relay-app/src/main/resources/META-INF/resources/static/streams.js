// Keeps the live badges and viewer counts of the stream list current.
(function () {
  'use strict';

  var list = document.getElementById('streams');
  if (!list) {
    return;
  }

  function refresh() {
    fetch('/api/streams', { credentials: 'same-origin', cache: 'no-store' }).then(function (response) {
      if (response.status === 401) {
        location.assign('/login');
        return null;
      }
      return response.ok ? response.json() : null;
    }).then(function (streams) {
      (streams || []).forEach(function (s) {
        var item = list.querySelector('[data-stream="' + CSS.escape(s.id) + '"]');
        if (!item) {
          return;
        }
        var badge = item.querySelector('[data-role="badge"]');
        badge.textContent = s.live ? 'live' : 'offline';
        badge.classList.toggle('live', s.live);
        badge.classList.toggle('offline', !s.live);
        item.querySelector('[data-role="viewers"]').textContent = String(s.viewers);
      });
    }, function () {
      // relay unreachable for a moment: keep what we show and try again
    });
  }

  setInterval(refresh, 5000);
}());
