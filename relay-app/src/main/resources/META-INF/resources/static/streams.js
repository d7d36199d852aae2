// Keeps the live badges, viewer counts and pictures of the camera list current. The pictures are the relay's
// (GET /api/streams/{id}/snapshot.jpg, revalidated by ETag); an offline camera shows its last one, dimmed, with
// when it was taken.
(function () {
  'use strict';

  var list = document.getElementById('streams');
  if (!list) {
    return;
  }

  // Earlier versions kept stills of the cameras in this browser; pictures of someone's home do not linger here.
  try {
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var key = localStorage.key(i);
      if (key && key.indexOf('picam.preview.') === 0) {
        localStorage.removeItem(key);
      }
    }
  } catch (e) {
    // storage disabled: nothing kept
  }

  function refresh() {
    fetch('/api/streams', { credentials: 'same-origin', cache: 'no-store' }).then(function (response) {
      if (response.status === 401 || response.status === 403) {
        location.assign('/login?expired=1');
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
        item.dataset.live = String(s.live);
        item.querySelector('[data-role="viewers"]').textContent = String(s.viewers);
        showPicture(item);
      });
    }, function () {
      // relay unreachable for a moment: keep what we show and try again
    });
  }

  // The relay's latest picture of the camera; without one, the tile says what there is to see.
  function showPicture(item) {
    var live = item.dataset.live === 'true';
    var url = '/api/streams/' + encodeURIComponent(item.dataset.stream) + '/snapshot.jpg';
    fetch(url, { credentials: 'same-origin', cache: 'no-cache' }).then(function (response) {
      if (!response.ok || response.status === 204) { // 204: no picture yet
        showPlaceholder(item, live);
        return null;
      }
      var taken = response.headers.get('Last-Modified');
      var etag = response.headers.get('ETag');
      var box = item.querySelector('[data-role="preview"]');
      if (etag && box.dataset.etag === etag && box.dataset.live === String(live)) {
        return null; // the same picture as shown
      }
      return response.blob().then(function (blob) {
        var img = document.createElement('img');
        img.src = URL.createObjectURL(blob);
        img.alt = '';
        img.dataset.role = 'snapshot';
        var old = box.querySelector('img');
        if (old) {
          URL.revokeObjectURL(old.src);
        }
        var children = [img];
        if (!live && taken) {
          var seen = document.createElement('span');
          seen.className = 'thumb-seen';
          seen.dataset.role = 'seen';
          seen.textContent = 'Seen ' + new Date(taken).toLocaleString();
          children.push(seen);
        }
        img.title = taken ? 'Picture of ' + new Date(taken).toLocaleString() : '';
        box.classList.toggle('stale', !live);
        box.dataset.etag = etag || '';
        box.dataset.live = String(live);
        box.replaceChildren.apply(box, children);
      });
    }, function () {
      // relay unreachable for a moment
    });
  }

  // "Live now" for a live camera whose first picture is still being made; "No picture yet" only for an offline
  // camera the relay has not seen since it started.
  function showPlaceholder(item, live) {
    var box = item.querySelector('[data-role="preview"]');
    if (box.querySelector('img')) {
      return; // keep the last picture
    }
    var placeholder = box.querySelector('[data-role="placeholder"]');
    if (!placeholder) {
      placeholder = document.createElement('span');
      placeholder.dataset.role = 'placeholder';
      box.replaceChildren(placeholder);
    }
    placeholder.className = live ? 'thumb-empty thumb-live' : 'thumb-empty';
    placeholder.textContent = live ? 'Live now' : 'No picture yet';
  }

  Array.prototype.forEach.call(list.querySelectorAll('[data-stream]'), showPicture);
  setInterval(refresh, 5000);
}());
