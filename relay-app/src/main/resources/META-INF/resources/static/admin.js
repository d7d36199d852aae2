// The admin page: users, cameras, grants and the audit log, all through the JSON admin API.
// Every change sends the page's CSRF token; names are always set as text, never as HTML.
(function () {
  'use strict';

  var page = window.picamPage;
  var api = page.api;
  var el = page.el;
  var cell = page.cell;
  var button = page.button;
  var when = page.when;
  var run = page.run;
  var say = page.say;
  var users = [];
  var lastSeen = {}; // from /api/streams: when each camera was last seen publishing
  var me = null; // from /api/me: your own row offers nothing the API refuses you

  // ---- cameras ----
  function showSecret(stream, secret) {
    var panel = document.getElementById('secret-panel');
    var relay = location.origin;
    panel.querySelector('[data-role="name"]').textContent = stream.name || stream.id;
    panel.querySelector('[data-role="secret"]').value = secret;
    panel.querySelector('[data-role="setup"]').value =
      "sudo PICAM_SECRET='" + secret + "' picam setup --relay " + relay + ' --stream ' + stream.id + ' --format ' + stream.format;
    var video = stream.format === 'fmp4'
      ? '-c:v libx264 -preset veryfast -tune zerolatency -g 50 -f mp4 -movflags +frag_keyframe+empty_moov+default_base_moof -content_type video/mp4'
      : '-c:v mpeg1video -b:v 1M -bf 0 -f mpegts -content_type video/mp2t';
    panel.querySelector('[data-role="ffmpeg"]').value =
      'ffmpeg -re -f lavfi -i testsrc=size=640x360:rate=25 ' + video + " -method POST -headers $'Authorization: Bearer " +
      secret + "\\r\\n' " + relay + '/ingest/' + stream.id;
    panel.hidden = false;
    panel.querySelector('[data-role="secret"]').focus();
    panel.querySelector('[data-role="secret"]').select();
  }

  document.querySelector('[data-action="hide-secret"]').addEventListener('click', function () {
    var panel = document.getElementById('secret-panel');
    panel.hidden = true;
    panel.querySelectorAll('input, textarea').forEach(function (field) { field.value = ''; });
  });

  function renderStreams(streams) {
    var body = document.getElementById('streams-body');
    body.replaceChildren();
    if (!streams.length) {
      var empty = el('tr');
      var note = el('td', 'No cameras yet: create one above, then run the command it shows on the Pi.');
      note.colSpan = 6;
      empty.appendChild(note);
      body.appendChild(empty);
    }
    streams.forEach(function (s) {
      var row = el('tr');
      row.dataset.stream = s.id;
      var name = cell('Camera');
      var link = el('a', s.name);
      link.href = '/streams/' + encodeURIComponent(s.id);
      name.appendChild(link);
      name.appendChild(el('div', s.id, 'meta'));
      row.appendChild(name);
      row.appendChild(cell('Format', s.format === 'fmp4' ? 'H.264' : 'MPEG-1'));
      row.appendChild(cell('Secret rotated', when(s.secretRotatedAt)));
      var seen = lastSeen[s.id];
      row.appendChild(cell('Last seen', seen && seen.live ? 'live now' : seen && seen.at ? when(seen.at) : 'never'));

      var viewers = cell('Viewers allowed');
      s.viewers.forEach(function (username) {
        var chip = el('span', username, 'chip');
        var revoke = button('×', '', function () {
          run(api('DELETE', '/api/admin/streams/' + encodeURIComponent(s.id) + '/viewers/' + encodeURIComponent(username)),
            username + ' may no longer watch ' + s.name).then(refresh);
        });
        revoke.setAttribute('aria-label', 'Revoke ' + username + ' from ' + s.name);
        chip.appendChild(revoke);
        viewers.appendChild(chip);
      });
      var candidates = users.filter(function (u) { return s.viewers.indexOf(u.username) < 0 && u.roles.indexOf('admin') < 0; });
      if (candidates.length) {
        // starts on a placeholder that allows nobody, so no user reads as if already allowed
        var grant = el('span', null, 'grant');
        var pick = el('select');
        pick.setAttribute('aria-label', 'User to allow on ' + s.name);
        pick.appendChild(new Option('Add viewer…', '', true, true));
        candidates.forEach(function (u) { pick.appendChild(new Option(u.username, u.username)); });
        var allow = button('Allow', 'quiet', function () {
          if (!pick.value) {
            return;
          }
          run(api('PUT', '/api/admin/streams/' + encodeURIComponent(s.id) + '/viewers/' + encodeURIComponent(pick.value)),
            pick.value + ' may now watch ' + s.name).then(refresh);
        });
        allow.disabled = true;
        pick.addEventListener('change', function () { allow.disabled = !pick.value; });
        grant.appendChild(pick);
        grant.appendChild(allow);
        viewers.appendChild(grant);
      } else if (!s.viewers.length) {
        viewers.appendChild(el('span', 'admins only', 'meta'));
      }
      row.appendChild(viewers);
      row.appendChild(recordingCell(s));

      var actions = cell('Actions');
      var share = button('Share…', 'quiet', function () {
        // share.js shows the camera's share links
        document.dispatchEvent(new CustomEvent('picam:share', { detail: s }));
      });
      share.setAttribute('aria-label', 'Share links of ' + s.name);
      actions.appendChild(share);
      actions.appendChild(button('Rotate secret', 'quiet', function () {
        if (!confirm('Rotate the secret of ' + s.name + '? The camera stops until it gets the new one.')) {
          return;
        }
        run(api('POST', '/api/admin/streams/' + encodeURIComponent(s.id) + '/secret'), 'New secret for ' + s.name)
          .then(function (answer) {
            if (answer) {
              showSecret(s, answer.secret);
            }
            refresh();
          });
      }));
      actions.appendChild(button('Delete', 'danger', function () {
        if (confirm('Delete ' + s.name + '? Its viewers are disconnected.')) {
          run(api('DELETE', '/api/admin/streams/' + encodeURIComponent(s.id)), s.name + ' deleted').then(refresh);
        }
      }));
      row.appendChild(actions);
      body.appendChild(row);
    });
  }

  // ---- recording: on/off and retention per camera (docs/RECORDING.md) ----
  function recordingCell(s) {
    var r = s.recording || { enabled: false };
    var td = cell('Recording');
    var limits = [];
    if (r.retentionDays) {
      limits.push(r.retentionDays + ' days');
    }
    if (r.retentionBytes) {
      limits.push((r.retentionBytes / 1e9).toFixed(1) + ' GB');
    }
    td.appendChild(el('div', r.enabled ? 'on' + (limits.length ? ', keeps ' + limits.join(' / ') : ', kept for ever') : 'off'));
    var path = '/api/admin/streams/' + encodeURIComponent(s.id) + '/recording';
    function save(change) {
      run(api('PUT', path, Object.assign({ enabled: r.enabled, retentionDays: r.retentionDays, retentionBytes: r.retentionBytes },
        change)), 'Recording of ' + s.name + ' saved').then(refresh);
    }
    td.appendChild(button(r.enabled ? 'Stop recording' : 'Record', 'quiet', function () {
      save({ enabled: !r.enabled });
    }));
    td.appendChild(button('Retention…', 'quiet', function () {
      var days = prompt('Keep recordings of ' + s.name + ' for how many days? (empty: no limit)', r.retentionDays || '');
      if (days === null) {
        return;
      }
      var gb = prompt('And at most how many GB? (empty: no limit)', r.retentionBytes ? r.retentionBytes / 1e9 : '');
      if (gb === null) {
        return;
      }
      save({ retentionDays: days.trim() ? Number(days) : null, retentionBytes: gb.trim() ? Math.round(Number(gb) * 1e9) : null });
    }));
    var watch = el('a', 'Recordings');
    watch.href = '/streams/' + encodeURIComponent(s.id) + '/recordings';
    td.appendChild(watch);
    return td;
  }

  function renderRecordingStatus(status) {
    var line = document.getElementById('recording-status');
    line.textContent = !status.available ? 'Recording is off on this relay: ' + status.offReason
      : 'Recordings go to the ' + status.store + '.' + (status.belowFloor
        ? ' Its disk is below the free-space floor: not recording, deleting the oldest recordings.' : '');
  }

  document.getElementById('new-stream').addEventListener('submit', function (event) {
    event.preventDefault();
    var form = event.target;
    run(api('POST', '/api/admin/streams', { name: form.name.value, format: form.format.value }))
      .then(function (created) {
        if (created) {
          say(created.name + ' created');
          showSecret(created, created.secret);
          form.reset();
        }
        refresh();
      });
  });

  // ---- users ----
  function renderUsers() {
    var body = document.getElementById('users-body');
    body.replaceChildren();
    users.forEach(function (u) {
      var yours = me !== null && u.username === me.username;
      var row = el('tr');
      row.dataset.user = u.username;
      var name = cell('User', u.username);
      if (yours) {
        name.appendChild(el('span', ' (you)', 'meta'));
      }
      row.appendChild(name);
      row.appendChild(cell('Roles', u.roles.join(', ')));
      row.appendChild(cell('Created', when(u.createdAt)));
      var actions = cell('Actions');
      actions.appendChild(button('Reset password', 'quiet', function () {
        var password = prompt('New password for ' + u.username + ' (10 to 72 characters):');
        if (password) {
          run(api('PATCH', '/api/admin/users/' + encodeURIComponent(u.username), { password: password }),
            'Password of ' + u.username + ' changed');
        }
      }));
      var isAdmin = u.roles.indexOf('admin') >= 0;
      if (!yours) { // the API refuses to take your own admin role or delete your own account
        actions.appendChild(button(isAdmin ? 'Make viewer' : 'Make admin', 'quiet', function () {
          run(api('PATCH', '/api/admin/users/' + encodeURIComponent(u.username), { roles: [isAdmin ? 'viewer' : 'admin'] }),
            u.username + ' is now ' + (isAdmin ? 'a viewer' : 'an admin')).then(refresh);
        }));
      }
      actions.appendChild(button('Tokens', 'quiet', function () {
        showTokens(u.username, row);
      }));
      if (!yours) {
        actions.appendChild(button('Delete', 'danger', function () {
          if (confirm('Delete ' + u.username + '? Their viewers are disconnected.')) {
            run(api('DELETE', '/api/admin/users/' + encodeURIComponent(u.username)), u.username + ' deleted').then(refresh);
          }
        }));
      }
      row.appendChild(actions);
      body.appendChild(row);
    });
  }

  // A user's personal access tokens, in a row below theirs, each revocable (its sockets close at once).
  function showTokens(username, row) {
    var next = row.nextElementSibling;
    if (next && next.classList.contains('tokens-row')) {
      next.remove();
      return;
    }
    run(api('GET', '/api/admin/users/' + encodeURIComponent(username) + '/tokens')).then(function (tokens) {
      if (!tokens) {
        return;
      }
      var list = el('td');
      list.colSpan = 4;
      if (!tokens.length) {
        list.appendChild(el('p', username + ' has no personal access tokens.'));
      }
      tokens.forEach(function (t) {
        var line = el('p', t.name + ' · ' + t.scopes.join(', ') + ' · expires ' + when(t.expiresAt)
          + (t.lastUsedAt ? ' · last used ' + when(t.lastUsedAt) : ' · never used') + ' ', 'token-line');
        line.appendChild(button('Revoke', 'danger', function () {
          if (confirm('Revoke the token "' + t.name + '" of ' + username + '? Whatever uses it stops at once.')) {
            run(api('DELETE', '/api/admin/tokens/' + t.id), 'Token "' + t.name + '" of ' + username + ' revoked')
              .then(function () { line.remove(); });
          }
        }));
        list.appendChild(line);
      });
      var tokensRow = el('tr', null, 'tokens-row');
      tokensRow.appendChild(list);
      row.after(tokensRow);
    });
  }

  document.getElementById('new-user').addEventListener('submit', function (event) {
    event.preventDefault();
    var form = event.target;
    var roles = form.admin.checked ? ['admin'] : ['viewer'];
    run(api('POST', '/api/admin/users', { username: form.username.value, password: form.password.value, roles: roles }))
      .then(function (created) {
        if (created) {
          say(created.username + ' created');
          form.reset();
        }
        refresh();
      });
  });

  // ---- audit ----
  // What each action means, in words; the action's id stays in the cell's title.
  var ACTIONS = {
    'login': 'Logged in',
    'login-failed': 'Login refused',
    'login-throttled': 'Logins slowed down (too many tries)',
    'user-created': 'User created',
    'user-updated': 'User changed',
    'user-deleted': 'User deleted',
    'stream-created': 'Camera created',
    'stream-deleted': 'Camera deleted',
    'secret-rotated': 'Secret rotated',
    'grant-added': 'Viewer allowed',
    'grant-revoked': 'Viewer removed',
    'token-created': 'Token created',
    'token-revoked': 'Token revoked',
    'stream-changed': 'Camera changed',
    'share-link-created': 'Share link made',
    'share-link-revoked': 'Share link revoked',
    'share-link-used': 'Share link used'
  };
  var AUDIT_ROWS = 100;
  var auditEntries = [];

  function kindOf(action) {
    if (action === 'login') {
      return 'logins';
    }
    return action === 'login-failed' || action === 'login-throttled' ? 'refused' : 'changes';
  }

  // Consecutive logins of one user from one address are one row with a count (newest first, as the API answers).
  function fold(entries) {
    var rows = [];
    entries.forEach(function (e) {
      var last = rows[rows.length - 1];
      if (last && e.action === 'login' && last.entry.action === 'login' && last.entry.actor === e.actor
          && last.entry.address === e.address) {
        last.count++;
        last.since = e.at;
      } else {
        rows.push({ entry: e, count: 1, since: e.at });
      }
    });
    return rows;
  }

  function renderAudit() {
    var kind = document.getElementById('audit-kind').value;
    var body = document.getElementById('audit-body');
    body.replaceChildren();
    var rows = fold(auditEntries.filter(function (e) { return kind === 'all' || kindOf(e.action) === kind; }))
      .slice(0, AUDIT_ROWS);
    if (!rows.length) {
      var empty = el('td', 'Nothing of this kind yet.');
      empty.colSpan = 5;
      body.appendChild(el('tr')).appendChild(empty);
    }
    rows.forEach(function (r) {
      var e = r.entry;
      var row = el('tr');
      row.dataset.kind = kindOf(e.action);
      row.appendChild(cell('When', when(e.at) + (r.count > 1 ? ' (since ' + when(r.since) + ')' : '')));
      row.appendChild(cell('Who', e.actor || ''));
      var what = cell('What', (ACTIONS[e.action] || e.action) + (r.count > 1 ? ' × ' + r.count : '')
        + (e.detail ? ' (' + e.detail + ')' : ''));
      what.title = e.action;
      row.appendChild(what);
      row.appendChild(cell('Target', e.target || ''));
      row.appendChild(cell('From', e.address || ''));
      body.appendChild(row);
    });
  }

  document.getElementById('audit-kind').addEventListener('change', renderAudit);

  function refresh() {
    return Promise.all([api('GET', '/api/admin/users'), api('GET', '/api/admin/streams'), api('GET', '/api/admin/audit?limit=500'),
      me ? Promise.resolve(me) : api('GET', '/api/me'), api('GET', '/api/streams')])
      .then(function (all) {
        users = all[0];
        me = all[3];
        lastSeen = {};
        all[4].forEach(function (v) { lastSeen[v.id] = { live: v.live, at: v.lastSeenAt }; });
        renderUsers();
        renderStreams(all[1]);
        auditEntries = all[2];
        renderAudit();
        return api('GET', '/api/admin/recording').then(renderRecordingStatus);
      }, function (error) {
        say(error.message, true);
      });
  }

  refresh();
}());
