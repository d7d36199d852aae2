// The admin page's share links: for the camera whose "Share…" was pressed (admin.js sends picam:share), make a
// link (its URL shown once, with a copy button), list the links with their use, revoke one.
(function () {
  'use strict';

  var page = window.picamPage;
  var api = page.api;
  var el = page.el;
  var cell = page.cell;
  var button = page.button;
  var when = page.when;
  var run = page.run;
  var section = document.getElementById('share-section');
  var panel = document.getElementById('link-panel');
  var urlField = document.getElementById('link-url');
  var stream = null;

  function linksPath() {
    return '/api/admin/streams/' + encodeURIComponent(stream.id) + '/links';
  }

  function options(link) {
    var parts = [];
    if (link.pin) {
      parts.push('PIN');
    }
    if (link.maxViewers) {
      parts.push('at most ' + link.maxViewers);
    }
    if (link.recordings) {
      parts.push('recordings');
    }
    return parts.join(', ') || '—';
  }

  function render(links) {
    var body = document.getElementById('links-body');
    body.replaceChildren();
    if (!links.length) {
      var empty = el('tr');
      var note = el('td', 'No links yet for this camera.');
      note.colSpan = 6;
      empty.appendChild(note);
      body.appendChild(empty);
    }
    links.forEach(function (link) {
      var row = el('tr');
      row.dataset.link = String(link.id);
      row.appendChild(cell('Label', link.label));
      row.appendChild(cell('Expires', link.revokedAt ? 'revoked ' + when(link.revokedAt)
        : (link.active ? '' : 'expired ') + when(link.expiresAt)));
      row.appendChild(cell('Last used', link.lastUsedAt ? when(link.lastUsedAt) : 'never'));
      row.appendChild(cell('Watching now', String(link.viewersNow)));
      row.appendChild(cell('Options', options(link)));
      var actions = cell('Actions');
      if (link.active) {
        var revoke = button('Revoke', 'danger', function () {
          if (confirm('Revoke the link "' + link.label + '"? Whoever watches with it is cut off at once.')) {
            run(api('DELETE', '/api/admin/links/' + link.id), 'Link "' + link.label + '" revoked').then(refresh);
          }
        });
        revoke.setAttribute('aria-label', 'Revoke ' + link.label);
        actions.appendChild(revoke);
      }
      row.appendChild(actions);
      body.appendChild(row);
    });
  }

  function refresh() {
    if (stream) {
      run(api('GET', linksPath())).then(function (links) {
        if (links) {
          render(links);
        }
      });
    }
  }

  document.addEventListener('picam:share', function (event) {
    stream = event.detail;
    document.getElementById('share-stream').textContent = stream.name;
    var recordings = document.getElementById('link-recordings');
    recordings.checked = false;
    recordings.disabled = !(stream.recording && stream.recording.enabled);
    hide();
    section.hidden = false;
    refresh();
    document.getElementById('link-label').focus();
  });

  function hide() {
    panel.hidden = true;
    urlField.value = '';
  }

  document.getElementById('new-link').addEventListener('submit', function (event) {
    event.preventDefault();
    var form = event.target;
    var body = { label: form.label.value, expiresInHours: Number(form.hours.value), recordings: form.recordings.checked };
    if (form.pin.value) {
      body.pin = form.pin.value;
    }
    if (form.maxViewers.value) {
      body.maxViewers = Number(form.maxViewers.value);
    }
    run(api('POST', linksPath(), body), 'Link created: copy it now, it is not shown again').then(function (created) {
      if (created) {
        urlField.value = created.url;
        panel.hidden = false;
        urlField.focus();
        urlField.select();
        form.reset();
      }
      refresh();
    });
  });

  document.getElementById('copy-link').addEventListener('click', function () {
    page.copy(urlField, 'The link');
  });
  document.getElementById('hide-link').addEventListener('click', hide);
}());
