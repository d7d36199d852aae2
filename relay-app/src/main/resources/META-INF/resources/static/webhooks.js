// The admin page's alerts: webhooks (add, remove) and the latest deliveries of one, through the admin API.
(function () {
  'use strict';

  var page = window.picamPage;
  var form = document.getElementById('new-webhook');
  if (!page || !form) {
    return;
  }
  var el = page.el;
  var cell = page.cell;
  var FORMATS = { json: 'JSON', ntfy: 'ntfy', discord: 'Discord / Slack' };

  function refresh() {
    return page.api('GET', '/api/admin/webhooks').then(render, function (error) {
      page.say(error.message, true);
    });
  }

  function render(hooks) {
    var body = document.getElementById('webhooks-body');
    body.replaceChildren();
    if (!hooks.length) {
      var note = el('td', 'No webhooks: nobody is told when a camera goes offline.');
      note.colSpan = 4;
      body.appendChild(el('tr')).appendChild(note);
    }
    hooks.forEach(function (h) {
      var row = el('tr');
      row.dataset.webhook = String(h.id);
      row.appendChild(cell('URL', h.url));
      row.appendChild(cell('Events', h.events.join(', ')));
      row.appendChild(cell('Format', FORMATS[h.format] || h.format));
      var actions = cell('Actions');
      actions.appendChild(page.button('Deliveries', '', function () { showDeliveries(h); }));
      actions.appendChild(page.button('Remove', 'danger', function () {
        if (confirm('Remove the webhook to ' + h.url + '?')) {
          page.run(page.api('DELETE', '/api/admin/webhooks/' + h.id), 'Webhook removed').then(refresh);
        }
      }));
      row.appendChild(actions);
      body.appendChild(row);
    });
  }

  function showDeliveries(h) {
    page.api('GET', '/api/admin/webhooks/' + h.id + '/deliveries').then(function (deliveries) {
      document.getElementById('deliveries').hidden = false;
      document.getElementById('deliveries-title').textContent = 'Deliveries to ' + h.url;
      var body = document.getElementById('deliveries-body');
      body.replaceChildren();
      if (!deliveries.length) {
        var note = el('td', 'Nothing sent yet.');
        note.colSpan = 5;
        body.appendChild(el('tr')).appendChild(note);
      }
      deliveries.forEach(function (d) {
        var row = el('tr');
        row.dataset.status = d.status;
        row.appendChild(cell('Created', page.when(d.createdAt)));
        row.appendChild(cell('Event', d.event));
        row.appendChild(cell('Status', d.status + (d.status === 'pending' && d.attempts ? ', next try ' + page.when(d.nextAttemptAt) : '')));
        row.appendChild(cell('Attempts', String(d.attempts)));
        row.appendChild(cell('Last answer', d.lastError || (d.lastStatus ? String(d.lastStatus) : '')));
        body.appendChild(row);
      });
    }, function (error) {
      page.say(error.message, true);
    });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var events = Array.prototype.filter.call(form.querySelectorAll('input[name=event]'), function (box) {
      return box.checked;
    }).map(function (box) { return box.value; });
    page.run(page.api('POST', '/api/admin/webhooks', { url: form.url.value, events: events, format: form.format.value }),
      'Webhook added').then(function (created) {
      if (created) {
        form.reset();
        var panel = document.getElementById('webhook-secret-panel');
        document.getElementById('webhook-secret').value = created.secret;
        panel.hidden = false;
        refresh();
      }
    });
  });

  document.getElementById('hide-webhook-secret').addEventListener('click', function () {
    document.getElementById('webhook-secret-panel').hidden = true;
    document.getElementById('webhook-secret').value = '';
  });

  refresh();
}());
