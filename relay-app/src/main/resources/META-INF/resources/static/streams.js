// Keeps the live badges and viewer counts of the stream list current.
(function (picam) {
  'use strict';

  var list = document.getElementById('streams');
  if (!list) {
    return;
  }

  function refresh() {
    fetch('/api/streams', { credentials: 'same-origin', cache: 'no-store' }).then(function (response) {
      if (response.status === 401 || response.status === 403) {
        picam.stills.clearAll();
        location.assign('/login?expired=1');
        return null;
      }
      return response.ok ? response.json() : null;
    }).then(function (streams) {
      if (streams) {
        picam.stills.keepOnly(streams.map(function (s) { return s.id; })); // access withdrawn: its still goes
      }
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
        showPlaceholder(item, s.live);
      });
    }, function () {
      // relay unreachable for a moment: keep what we show and try again
    });
  }

  // Without a still of its own, a tile says what there is to see: a live camera is one click from its picture;
  // "No picture yet" is only for a camera that is offline and this browser never saw.
  function showPlaceholder(item, live) {
    var placeholder = item.querySelector('[data-role="placeholder"]');
    if (!placeholder) {
      return; // a still is shown instead
    }
    placeholder.textContent = live ? 'Live now' : 'No picture yet';
    placeholder.classList.toggle('thumb-live', live);
  }

  // The last picture this browser saw of each camera (the player keeps one), with when it was taken.
  function showPreviews() {
    Array.prototype.forEach.call(list.querySelectorAll('[data-stream]'), function (item) {
      var still;
      try {
        still = JSON.parse(localStorage.getItem('picam.preview.' + item.dataset.stream) || 'null');
      } catch (e) {
        still = null;
      }
      if (!still || typeof still.image !== 'string' || still.image.indexOf('data:image/jpeg;base64,') !== 0) {
        return;
      }
      var box = item.querySelector('[data-role="preview"]');
      var img = document.createElement('img');
      img.src = still.image;
      img.alt = '';
      img.title = 'Seen ' + new Date(still.at).toLocaleString();
      box.replaceChildren(img);
    });
  }

  picam.stills.keepOnly(Array.prototype.map.call(list.querySelectorAll('[data-stream]'), function (item) {
    return item.dataset.stream;
  }));
  showPreviews();
  setInterval(refresh, 5000);
}(window.picam));
