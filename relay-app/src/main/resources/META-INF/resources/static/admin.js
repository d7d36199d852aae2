// The admin page: users, cameras, grants and the audit log, all through the JSON admin API.
// Every change sends the page's CSRF token; names are always set as text, never as HTML.
(function () {
  'use strict';

  var page = window.picamPage;
  var api = page.api;
  var el = page.el;
  var button = page.button;
  var when = page.when;
  var run = page.run;
  var say = page.say;
  var users = [];

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
      var cell = el('td', 'No cameras yet: create one above, then run the command it shows on the Pi.');
      cell.colSpan = 5;
      empty.appendChild(cell);
      body.appendChild(empty);
    }
    streams.forEach(function (s) {
      var row = el('tr');
      row.dataset.stream = s.id;
      var name = el('td');
      var link = el('a', s.name);
      link.href = '/streams/' + encodeURIComponent(s.id);
      name.appendChild(link);
      name.appendChild(el('div', s.id, 'meta'));
      row.appendChild(name);
      row.appendChild(el('td', s.format));
      row.appendChild(el('td', when(s.secretRotatedAt)));

      var viewers = el('td');
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
        var pick = el('select');
        pick.setAttribute('aria-label', 'User to allow on ' + s.name);
        candidates.forEach(function (u) { pick.appendChild(new Option(u.username, u.username)); });
        viewers.appendChild(pick);
        viewers.appendChild(button('Allow', 'quiet', function () {
          run(api('PUT', '/api/admin/streams/' + encodeURIComponent(s.id) + '/viewers/' + encodeURIComponent(pick.value)),
            pick.value + ' may now watch ' + s.name).then(refresh);
        }));
      }
      row.appendChild(viewers);

      var actions = el('td');
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
      var row = el('tr');
      row.dataset.user = u.username;
      row.appendChild(el('td', u.username));
      row.appendChild(el('td', u.roles.join(', ')));
      row.appendChild(el('td', when(u.createdAt)));
      var actions = el('td');
      actions.appendChild(button('Reset password', 'quiet', function () {
        var password = prompt('New password for ' + u.username + ' (10 to 72 characters):');
        if (password) {
          run(api('PATCH', '/api/admin/users/' + encodeURIComponent(u.username), { password: password }),
            'Password of ' + u.username + ' changed');
        }
      }));
      var isAdmin = u.roles.indexOf('admin') >= 0;
      actions.appendChild(button(isAdmin ? 'Make viewer' : 'Make admin', 'quiet', function () {
        run(api('PATCH', '/api/admin/users/' + encodeURIComponent(u.username), { roles: [isAdmin ? 'viewer' : 'admin'] }),
          u.username + ' is now ' + (isAdmin ? 'a viewer' : 'an admin')).then(refresh);
      }));
      actions.appendChild(button('Tokens', 'quiet', function () {
        showTokens(u.username, row);
      }));
      actions.appendChild(button('Delete', 'danger', function () {
        if (confirm('Delete ' + u.username + '? Their viewers are disconnected.')) {
          run(api('DELETE', '/api/admin/users/' + encodeURIComponent(u.username)), u.username + ' deleted').then(refresh);
        }
      }));
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
      var cell = el('td');
      cell.colSpan = 4;
      if (!tokens.length) {
        cell.appendChild(el('p', username + ' has no personal access tokens.'));
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
        cell.appendChild(line);
      });
      var tokensRow = el('tr', null, 'tokens-row');
      tokensRow.appendChild(cell);
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
  function renderAudit(entries) {
    var body = document.getElementById('audit-body');
    body.replaceChildren();
    entries.forEach(function (e) {
      var row = el('tr');
      row.appendChild(el('td', when(e.at)));
      row.appendChild(el('td', e.actor || ''));
      row.appendChild(el('td', e.action + (e.detail ? ' (' + e.detail + ')' : '')));
      row.appendChild(el('td', e.target || ''));
      row.appendChild(el('td', e.address || ''));
      body.appendChild(row);
    });
  }

  function refresh() {
    return Promise.all([api('GET', '/api/admin/users'), api('GET', '/api/admin/streams'), api('GET', '/api/admin/audit?limit=100')])
      .then(function (all) {
        users = all[0];
        renderUsers();
        renderStreams(all[1]);
        renderAudit(all[2]);
      }, function (error) {
        say(error.message, true);
      });
  }

  refresh();
}());
