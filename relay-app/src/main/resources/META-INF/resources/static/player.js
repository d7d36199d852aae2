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
    checkUrl: root.dataset.check, // a share link's page: its own check, and no login page to go to
    onRefused: root.dataset.ended ? function () { fatal(root.dataset.ended); } : null,
    onOpen: function () {
      state.connected = true;
      render();
    },
    onText: function (message) {
      if (message.type === 'stream' && (format !== 'fmp4' || message.mime)) {
        // a new pipeline: the next binary message starts at a join point (fmp4: the init segment)
        view.reset(message.mime);
        showSoundControl(message.mime);
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

  // ---- controls: full screen, sound, how far behind live ----
  var screen = document.getElementById('screen');
  var stage = document.getElementById('stage'); // the picture with its controls: both stay usable in full screen
  var video = document.getElementById('video');
  var fullscreenButton = document.getElementById('fullscreen');
  var muteButton = document.getElementById('mute');
  var latency = document.getElementById('latency');

  function toggleFullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (stage.requestFullscreen) {
      stage.requestFullscreen().catch(function () {
        // refused (an iframe, a browser setting): the button stays as it is
      });
    } else if (video.webkitEnterFullscreen) {
      video.webkitEnterFullscreen(); // iPhone: only the <video> itself can go full screen
    }
  }
  if (!stage.requestFullscreen && !video.webkitEnterFullscreen) {
    fullscreenButton.hidden = true;
  }
  fullscreenButton.addEventListener('click', toggleFullscreen);
  screen.addEventListener('dblclick', toggleFullscreen);
  document.addEventListener('fullscreenchange', function () {
    fullscreenButton.textContent = document.fullscreenElement ? 'Exit full screen' : 'Full screen';
  });

  function renderMute() {
    muteButton.textContent = video.muted ? 'Unmute' : 'Mute';
    muteButton.setAttribute('aria-pressed', String(!video.muted));
  }
  muteButton.addEventListener('click', function () {
    video.muted = !video.muted; // a click is the gesture browsers want before playing sound
    renderMute();
  });
  // the mute button only for a stream with sound (fmp4 with an AAC track; jsmpeg plays ours without audio)
  function showSoundControl(mime) {
    muteButton.hidden = format !== 'fmp4' || !mime || mime.indexOf('mp4a') < 0;
    renderMute();
  }

  setInterval(function () {
    var lag = state.playing && view.lag ? view.lag() : null;
    latency.hidden = lag === null;
    if (lag !== null) {
      latency.textContent = lag.toFixed(1) + ' s behind live';
    }
  }, 1000);

  render();
  socket.start();
}(window.picam = window.picam || {}));
