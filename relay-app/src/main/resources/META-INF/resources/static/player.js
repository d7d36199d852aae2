// The live player: one WebSocket to the relay, MPEG-TS bytes into jsmpeg, status messages into the page.
// Reconnects by itself with backoff; sends the visitor to the login page when the session has expired.
(function () {
  'use strict';

  var root = document.getElementById('player');
  if (!root) {
    return;
  }
  var streamId = root.dataset.stream;
  var badge = document.getElementById('badge');
  var viewers = document.getElementById('viewers');
  var overlay = document.getElementById('overlay');
  var canvas = document.getElementById('video');
  var state = { live: badge.classList.contains('live'), connected: false, playing: false };

  function render() {
    badge.textContent = state.live ? 'live' : 'offline';
    badge.classList.toggle('live', state.live);
    badge.classList.toggle('offline', !state.live);
    var message = null;
    if (!state.connected) {
      message = 'Reconnecting…';
    } else if (!state.live) {
      message = 'The camera is offline. The picture comes back by itself when it reconnects.';
    } else if (!state.playing) {
      message = 'Waiting for the picture…';
    }
    overlay.textContent = message || '';
    overlay.hidden = message === null;
    root.dataset.state = !state.connected ? 'reconnecting' : state.live ? (state.playing ? 'playing' : 'waiting') : 'offline';
  }

  function onStatus(message) {
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
  }

  // A jsmpeg "source" over our own WebSocket: jsmpeg gets only the binary media, we keep the text messages.
  function RelaySource(url, options) {
    this.url = url;
    this.options = options;
    this.streaming = true;
    this.destination = null;
    this.established = false;
    this.completed = false;
    this.progress = 0;
    this.socket = null;
    this.retryDelay = 500;
    this.retryTimer = 0;
    this.stopped = false;
  }

  RelaySource.prototype.connect = function (destination) {
    this.destination = destination;
  };

  RelaySource.prototype.start = function () {
    var self = this;
    var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    var socket = new WebSocket(scheme + location.host + '/ws/streams/' + encodeURIComponent(streamId));
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = function () {
      self.progress = 1;
      state.connected = true;
      render();
    };
    socket.onmessage = function (event) {
      if (typeof event.data === 'string') {
        try {
          onStatus(JSON.parse(event.data));
        } catch (e) {
          // not ours to understand; ignore
        }
        return;
      }
      self.retryDelay = 500;
      if (!self.established) {
        self.established = true;
        if (self.options.hookOnEstablished) {
          self.options.hookOnEstablished();
        }
      }
      if (!state.playing) {
        state.playing = true;
        render();
      }
      if (self.destination) {
        self.destination.write(event.data);
      }
    };
    socket.onclose = function () {
      if (self.socket !== socket) {
        return;
      }
      state.connected = false;
      state.playing = false;
      render();
      if (!self.stopped) {
        self.scheduleReconnect();
      }
    };
  };

  RelaySource.prototype.scheduleReconnect = function () {
    var self = this;
    // full jitter: spread many viewers reconnecting after a relay restart
    var delay = Math.random() * this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, 10000);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(function () {
      // An upgrade refused with 401 looks like any other failure to the browser: ask the API.
      fetch('/api/streams', { credentials: 'same-origin', cache: 'no-store' }).then(function (response) {
        if (response.status === 401) {
          location.assign('/login');
        } else {
          self.start();
        }
      }, function () {
        self.scheduleReconnect();
      });
    }, delay);
  };

  RelaySource.prototype.resume = function () {
  };

  RelaySource.prototype.destroy = function () {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    if (this.socket) {
      this.socket.close();
    }
  };

  render();
  // eslint-disable-next-line no-new, no-undef
  root.player = new JSMpeg.Player('relay', {
    source: RelaySource,
    canvas: canvas,
    audio: false,
    pauseWhenHidden: false,
    videoBufferSize: 1024 * 1024
  });
}());
