// Share links, on two pages with the same markup (#share-section): the admin page, for the camera whose "Share…" was
// pressed (admin.js sends picam:share), with every link of it and the "viewers may share" setting; and the player,
// for a viewer the camera lets share (its "Share" button), with the viewer's own links. Make a link (its URL shown
// once, with a copy button), list the links with their use, revoke one.
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
  var admin = section.dataset.scope === 'admin';
  var panel = document.getElementById('link-panel');
  var urlField = document.getElementById('link-url');
  var viewersMayShare = document.getElementById('viewers-may-share'); // the admin page's setting
  var stream = null;

  function linksPath() {
    return (admin ? '/api/admin/streams/' : '/api/streams/') + encodeURIComponent(stream.id) + '/links';
  }

  function revokePath(link) {
    return (admin ? '/api/admin/links/' : '/api/links/') + link.id;
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
    var columns = body.closest('table').querySelectorAll('thead th').length;
    body.replaceChildren();
    if (!links.length) {
      var empty = el('tr');
      var note = el('td', admin ? 'No links yet for this camera.' : 'You have made no links of this camera yet.');
      note.colSpan = columns;
      empty.appendChild(note);
      body.appendChild(empty);
    }
    links.forEach(function (link) {
      var row = el('tr');
      row.dataset.link = String(link.id);
      row.appendChild(cell('Label', link.label));
      if (admin) {
        row.appendChild(cell('Made by', link.createdBy || ''));
      }
      row.appendChild(cell('Expires', link.revokedAt ? 'revoked ' + when(link.revokedAt)
        : (link.active ? '' : 'expired ') + when(link.expiresAt)));
      row.appendChild(cell('Last used', link.lastUsedAt ? when(link.lastUsedAt) : 'never'));
      row.appendChild(cell('Watching now', String(link.viewersNow)));
      row.appendChild(cell('Options', options(link)));
      var actions = cell('Actions');
      if (link.active) {
        var revoke = button('Revoke', 'danger', function () {
          if (confirm('Revoke the link "' + link.label + '"? Whoever watches with it is cut off at once.')) {
            run(api('DELETE', revokePath(link)), 'Link "' + link.label + '" revoked').then(refresh);
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

  function hide() {
    panel.hidden = true;
    urlField.value = '';
  }

  // Shows the section for a camera: {id, name, recording?: {enabled}, viewersMayShare?}.
  function show(chosen) {
    stream = chosen;
    document.getElementById('share-stream').textContent = stream.name;
    var recordings = document.getElementById('link-recordings');
    recordings.checked = false;
    recordings.disabled = !!stream.recording && !stream.recording.enabled;
    if (viewersMayShare) {
      viewersMayShare.checked = !!stream.viewersMayShare;
    }
    hide();
    section.hidden = false;
    refresh();
    document.getElementById('link-label').focus();
  }

  if (admin) {
    document.addEventListener('picam:share', function (event) {
      show(event.detail);
    });
  } else {
    // the player: one camera, opened by its "Share" button
    var toggle = document.getElementById('share-open');
    toggle.addEventListener('click', function () {
      var opening = section.hidden;
      toggle.setAttribute('aria-expanded', String(opening));
      if (opening) {
        show({ id: section.dataset.stream, name: section.dataset.name });
      } else {
        hide();
        section.hidden = true;
      }
    });
  }

  if (viewersMayShare) {
    viewersMayShare.addEventListener('change', function () {
      var allow = viewersMayShare.checked;
      if (!allow && !confirm('Stop the viewers of ' + stream.name + ' making links? The links they made stop working at once.')) {
        viewersMayShare.checked = true;
        return;
      }
      run(api('PATCH', '/api/admin/streams/' + encodeURIComponent(stream.id), { viewersMayShare: allow }),
        allow ? 'Viewers of ' + stream.name + ' may now make links' : 'Viewers of ' + stream.name + ' may no longer make links')
        .then(function (changed) {
          stream.viewersMayShare = changed ? changed.viewersMayShare : !allow;
          viewersMayShare.checked = stream.viewersMayShare;
          refresh();
        });
    });
  }

  document.getElementById('new-link').addEventListener('submit', function (event) {
    event.preventDefault();
    var form = event.target;
    var body = { label: form.label.value, expiresInHours: Number(form.hours.value), recordings: form.recordings.checked };
    if (form.pin.value) {
      body.pin = form.pin.value;
    }
    if (form.maxViewers && form.maxViewers.value) {
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
