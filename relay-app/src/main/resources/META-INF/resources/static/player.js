// The live player page: one LiveSocket to the relay, the media into a view for the stream's format
// (jsmpeg for mpegts, MSE for fmp4), the status messages into the page.
(function (picam) {
  'use strict';

  var root = document.getElementById('player');
  if (!root) {
    return;
  }
  var format = root.dataset.format;
  var badge = document.getElementById('badge');
  var viewers = document.getElementById('viewers');
  var overlay = document.getElementById('overlay');
  var state = { live: badge.classList.contains('live'), connected: false, playing: false, fatal: null };
  var view;

  function render() {
    badge.textContent = state.live ? 'live' : 'offline';
    badge.classList.toggle('live', state.live);
    badge.classList.toggle('offline', !state.live);
    var message = null;
    if (state.fatal) {
      message = state.fatal;
    } else if (!state.connected) {
      message = 'Reconnecting…';
    } else if (!state.live) {
      message = 'The camera is offline. The picture comes back by itself when it reconnects.';
    } else if (!state.playing) {
      message = 'Waiting for the picture…';
    }
    overlay.textContent = message || '';
    overlay.hidden = message === null;
    root.dataset.state = state.fatal ? 'unsupported'
      : !state.connected ? 'reconnecting'
        : state.live ? (state.playing ? 'playing' : 'waiting') : 'offline';
  }

  function fatal(message) {
    state.fatal = message;
    render();
  }

  if (format === 'fmp4') {
    view = new picam.MseView(document.getElementById('video'), fatal);
    if (!picam.MseView.supported()) {
      fatal('This browser has no Media Source Extensions; it cannot play H.264 live streams.');
    }
  } else {
    view = new picam.JsmpegView(document.getElementById('video'));
  }
  root.view = view;

  var socket = new picam.LiveSocket(root.dataset.stream, {
    onOpen: function () {
      state.connected = true;
      render();
    },
    onText: function (message) {
      if (message.type === 'stream' && (format !== 'fmp4' || message.mime)) {
        // a new pipeline: the next binary message starts at a join point (fmp4: the init segment)
        view.reset(message.mime);
      }
      if (message.type === 'stream' || message.type === 'status') {
        state.live = !!message.live;
        if (!state.live) {
          state.playing = false;
        }
      }
      if (typeof message.viewers === 'number') {
        viewers.textContent = String(message.viewers);
      }
      render();
    },
    onBinary: function (data) {
      if (state.fatal) {
        return;
      }
      view.append(data);
      if (!state.playing) {
        state.playing = true;
        render();
      }
    },
    onClose: function () {
      state.connected = false;
      state.playing = false;
      render();
    }
  });

  render();
  socket.start();
}(window.picam = window.picam || {}));
