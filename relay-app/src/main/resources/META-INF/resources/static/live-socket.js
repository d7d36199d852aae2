// The viewer WebSocket of one stream: connects, reconnects with backoff and full jitter (so that a
// relay restart does not bring every viewer back in the same millisecond), and sends the visitor to the
// login page when the session has expired (a refused upgrade looks like any other failure to a browser).
// A share link's page passes its own check (the stream's snapshot, which its cookie reaches) and what to do
// when it is refused (the link ended), since it has no login page to go to.
(function (picam) {
  'use strict';

  function LiveSocket(streamId, handlers) {
    this.streamId = streamId;
    this.handlers = handlers;
    this.retryDelay = 500;
    this.retryTimer = 0;
    this.socket = null;
    this.stopped = false;
  }

  LiveSocket.prototype.start = function () {
    var self = this;
    var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    var socket = new WebSocket(scheme + location.host + '/ws/streams/' + encodeURIComponent(this.streamId));
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = function () {
      self.handlers.onOpen();
    };
    socket.onmessage = function (event) {
      if (typeof event.data === 'string') {
        var message;
        try {
          message = JSON.parse(event.data);
        } catch (e) {
          return; // not ours to understand
        }
        self.handlers.onText(message);
        return;
      }
      self.retryDelay = 500;
      self.handlers.onBinary(event.data);
    };
    socket.onclose = function () {
      if (self.socket !== socket) {
        return;
      }
      self.handlers.onClose();
      if (!self.stopped) {
        self.scheduleReconnect();
      }
    };
  };

  LiveSocket.prototype.scheduleReconnect = function () {
    var self = this;
    var delay = Math.random() * this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, 10000);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(function () {
      var check = self.handlers.checkUrl || '/api/streams';
      fetch(check, { credentials: 'same-origin', cache: 'no-store' }).then(function (response) {
        if (response.status === 401 || response.status === 403) {
          if (self.handlers.onRefused) {
            self.stopped = true;
            self.handlers.onRefused();
          } else {
            location.assign('/login?expired=1');
          }
          return null;
        }
        self.start();
        return null;
      }, function () {
        self.scheduleReconnect();
      });
    }, delay);
  };

  LiveSocket.prototype.stop = function () {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    if (this.socket) {
      this.socket.close();
    }
  };

  picam.LiveSocket = LiveSocket;
}(window.picam = window.picam || {}));
