// MPEG-1 in MPEG-TS, decoded by jsmpeg onto a canvas. jsmpeg reads from a "source"; ours is fed by the
// page's LiveSocket, so that jsmpeg only ever sees the binary media and never reconnects on its own.
(function (picam) {
  'use strict';

  if (picam.restoreStyleInsertion) {
    picam.restoreStyleInsertion(); // see jsmpeg-style-guard.js
  }

  function FeedSource() {
    this.destination = null;
    this.streaming = true;
    this.established = true;
    this.completed = false;
    this.progress = 1;
    this.started = false;
    this.waiting = [];
  }
  FeedSource.prototype.connect = function (destination) {
    this.destination = destination;
  };
  // jsmpeg starts its source once its decoder (WebAssembly, loaded in the background) is ready; bytes written
  // before that would fail inside the decoder, so the first ones (the join point) wait here until then
  FeedSource.prototype.start = function () {
    this.started = true;
    this.waiting.forEach(function (data) { this.destination.write(data); }, this);
    this.waiting = [];
  };
  FeedSource.prototype.write = function (data) {
    if (this.started) {
      this.destination.write(data);
    } else {
      this.waiting.push(data);
    }
  };
  FeedSource.prototype.resume = function () {};
  FeedSource.prototype.destroy = function () {};

  function JsmpegView(canvas) {
    // eslint-disable-next-line no-undef
    this.player = new JSMpeg.Player('picam-feed', {
      source: FeedSource,
      canvas: canvas,
      audio: false,
      pauseWhenHidden: false,
      preserveDrawingBuffer: true, // so the page can keep a still of the picture for the camera list
      videoBufferSize: 1024 * 1024
    });
  }
  JsmpegView.prototype.reset = function () {};
  JsmpegView.prototype.append = function (data) {
    this.player.source.write(data);
  };

  picam.JsmpegView = JsmpegView;
}(window.picam = window.picam || {}));
