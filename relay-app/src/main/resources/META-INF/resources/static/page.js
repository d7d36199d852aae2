// What our logged-in pages share: the JSON API with the page's CSRF token, a status line, and safe DOM
// building (names are always set as text, never as HTML). Loaded before admin.js and account.js.
(function () {
  'use strict';

  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';
  var statusLine = document.getElementById('status');

  function say(text, isError) {
    statusLine.textContent = text;
    statusLine.classList.toggle('error', !!isError);
  }

  // Bean Validation answers {violations: [{message}]}; ours {detail}.
  function problem(json) {
    if (!json) {
      return null;
    }
    if (json.violations && json.violations.length) {
      return json.violations.map(function (v) { return v.message; }).join('; ');
    }
    return json.detail || json.title || null;
  }

  function api(method, path, body) {
    var options = { method: method, credentials: 'same-origin', cache: 'no-store', headers: { 'X-CSRF-Token': csrf } };
    if (body !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    return fetch(path, options).then(function (response) {
      if (response.status === 401) {
        location.assign('/login?expired=1');
        throw new Error('your session has ended');
      }
      if (response.status === 204) {
        return null;
      }
      return response.json().catch(function () { return null; }).then(function (json) {
        if (!response.ok) {
          throw new Error(problem(json) || ('the relay answered ' + response.status));
        }
        return json;
      });
    });
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  function button(label, className, onClick) {
    var b = el('button', label, className);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }

  // A table cell that names its column: on a phone the tables turn into cards and show that name before the value.
  function cell(label, text) {
    var td = el('td', text);
    td.dataset.label = label;
    return td;
  }

  // Copies a read-only field; where the browser refuses the clipboard, the text is left selected to copy by hand.
  function copy(field, what) {
    function byHand() {
      field.focus();
      field.select();
      var copied = false;
      try {
        copied = document.execCommand('copy');
      } catch (e) {
        copied = false;
      }
      say(copied ? what + ' copied.' : 'Your browser does not let the page copy: ' + what.toLowerCase()
        + ' is selected, copy it yourself.', !copied);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(function () { say(what + ' copied.'); }, byHand);
    } else {
      byHand();
    }
  }

  function when(iso) {
    return iso ? new Date(iso).toLocaleString() : '';
  }

  function run(promise, done) {
    return promise.then(function (result) {
      if (done) {
        say(done);
      }
      return result;
    }, function (error) {
      say(error.message, true);
    });
  }

  window.picamPage = { api: api, el: el, cell: cell, button: button, copy: copy, when: when, run: run, say: say };
}());
