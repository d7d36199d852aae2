// The account page: your sessions (end any, or all others) and your personal access tokens.
(function () {
  'use strict';

  var page = window.picamPage;
  var el = page.el;
  var cell = page.cell;
  var button = page.button;
  var when = page.when;
  var run = page.run;
  var api = page.api;

  // "Firefox on Linux" is plenty; the whole user agent is in the title attribute.
  function device(userAgent) {
    if (!userAgent) {
      return 'unknown';
    }
    var browser = /Edg\//.test(userAgent) ? 'Edge' : /Chrom(e|ium)\//.test(userAgent) ? 'Chrome'
      : /Firefox\//.test(userAgent) ? 'Firefox' : /Safari\//.test(userAgent) ? 'Safari'
      : /curl\//.test(userAgent) ? 'curl' : /Java|picam/.test(userAgent) ? 'a program' : 'a browser';
    var system = /Android/.test(userAgent) ? 'Android' : /iPhone|iPad/.test(userAgent) ? 'iOS'
      : /Mac OS X/.test(userAgent) ? 'macOS' : /Windows/.test(userAgent) ? 'Windows'
      : /Linux/.test(userAgent) ? 'Linux' : '';
    return browser + (system ? ' on ' + system : '');
  }

  function renderSessions(sessions) {
    var body = document.getElementById('sessions-body');
    body.replaceChildren();
    sessions.forEach(function (s) {
      var row = el('tr');
      var name = cell('Device', device(s.userAgent) + (s.current ? ' (this one)' : ''));
      name.title = s.userAgent || '';
      row.appendChild(name);
      row.appendChild(cell('From', s.address || ''));
      row.appendChild(cell('Logged in', when(s.createdAt)));
      row.appendChild(cell('Last seen', when(s.lastSeenAt)));
      var actions = cell('Actions');
      actions.appendChild(button(s.current ? 'Log out' : 'End', 'quiet', function () {
        run(api('DELETE', '/api/sessions/' + s.id), 'Session ended').then(s.current ? function () {
          location.assign('/login');
        } : refresh);
      }));
      row.appendChild(actions);
      body.appendChild(row);
    });
    document.getElementById('end-others').disabled = sessions.length < 2;
  }

  function renderTokens(tokens) {
    var body = document.getElementById('tokens-body');
    body.replaceChildren();
    if (!tokens.length) {
      var empty = el('td', 'No tokens yet.');
      empty.colSpan = 5;
      body.appendChild(el('tr')).appendChild(empty);
    }
    tokens.forEach(function (t) {
      var row = el('tr');
      row.appendChild(cell('Name', t.name));
      row.appendChild(cell('Scopes', t.scopes.join(', ')));
      row.appendChild(cell('Expires', when(t.expiresAt)));
      row.appendChild(cell('Last used', t.lastUsedAt ? when(t.lastUsedAt) : 'never'));
      var actions = cell('Actions');
      actions.appendChild(button('Revoke', 'danger', function () {
        if (confirm('Revoke "' + t.name + '"? Whatever uses it stops at once.')) {
          run(api('DELETE', '/api/tokens/' + t.id), 'Token "' + t.name + '" revoked').then(refresh);
        }
      }));
      row.appendChild(actions);
      body.appendChild(row);
    });
  }

  document.getElementById('end-others').addEventListener('click', function () {
    run(api('DELETE', '/api/sessions'), 'Every other session ended').then(refresh);
  });

  document.getElementById('new-token').addEventListener('submit', function (event) {
    event.preventDefault();
    var form = event.target;
    var scopes = Array.prototype.filter.call(form.querySelectorAll('input[name="scope"]'), function (box) {
      return box.checked;
    }).map(function (box) { return box.value; });
    run(api('POST', '/api/tokens', { name: form.name.value, scopes: scopes, expiresInDays: Number(form.days.value) }))
      .then(function (created) {
        if (!created) {
          return;
        }
        var panel = document.getElementById('token-panel');
        document.getElementById('token-value').value = created.token;
        // a token that may add cameras is what `picam setup` on the Pi wants: here is that line, ready to paste
        var camera = created.scopes.indexOf('camera') >= 0;
        document.getElementById('token-setup').value = camera
          ? 'sudo PICAM_TOKEN=' + created.token + ' picam setup --relay ' + location.origin + ' --name "My camera"' : '';
        document.getElementById('token-setup-block').hidden = !camera;
        panel.hidden = false;
        document.getElementById('token-value').select();
        page.say('Token "' + created.name + '" created');
        form.reset();
        refresh();
      });
  });

  document.getElementById('copy-token').addEventListener('click', function () {
    page.copy(document.getElementById('token-value'), 'Token');
  });
  document.getElementById('copy-setup').addEventListener('click', function () {
    page.copy(document.getElementById('token-setup'), 'Command');
  });

  document.getElementById('hide-token').addEventListener('click', function () {
    document.getElementById('token-value').value = '';
    document.getElementById('token-setup').value = '';
    document.getElementById('token-setup-block').hidden = true;
    document.getElementById('token-panel').hidden = true;
  });

  function refresh() {
    return Promise.all([api('GET', '/api/sessions'), api('GET', '/api/tokens')]).then(function (all) {
      renderSessions(all[0]);
      renderTokens(all[1]);
    }, function (error) {
      page.say(error.message, true);
    });
  }

  refresh();
}());
