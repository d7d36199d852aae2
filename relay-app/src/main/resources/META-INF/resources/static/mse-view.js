// H.264 in fragmented MP4, decoded by the browser itself through Media Source Extensions
// (ManagedMediaSource where it exists, as on iOS 17.1+). Appends are queued while the SourceBuffer is
// busy, the buffer is trimmed to a few seconds, and playback chases the live edge: a jump when far
// behind, a slightly faster playbackRate when a little behind, so latency stays flat over hours.
(function (picam) {
  'use strict';

  var MediaSourceImpl = window.ManagedMediaSource || window.MediaSource;
  var TARGET_LAG = 0.3;     // seconds behind the newest frame we aim for
  var JUMP_LAG = 2.5;       // further behind than this: jump to the live edge
  var KEEP_BEHIND = 6;      // seconds of played video kept in the buffer
  var MAX_QUEUE = 16 * 1024 * 1024;

  function MseView(video, onFatal) {
    this.video = video;
    this.onFatal = onFatal;
    this.queue = [];
    this.queuedBytes = 0;
    this.mediaSource = null;
    this.sourceBuffer = null;
    this.mime = null;
    var self = this;
    this.timer = setInterval(function () {
      self.chase();
    }, 250);
  }

  MseView.supported = function (mime) {
    return !!MediaSourceImpl && (!mime || MediaSourceImpl.isTypeSupported(mime));
  };

  /** A new init segment follows: start a fresh pipeline for this MIME type. */
  MseView.prototype.reset = function (mime) {
    var self = this;
    if (!MseView.supported(mime)) {
      this.onFatal(MediaSourceImpl
        ? 'This browser cannot play ' + mime + '.'
        : 'This browser has no Media Source Extensions; it cannot play H.264 live streams.');
      return;
    }
    this.queue = [];
    this.queuedBytes = 0;
    this.sourceBuffer = null;
    this.mime = mime;
    var mediaSource = new MediaSourceImpl();
    this.mediaSource = mediaSource;
    if (window.ManagedMediaSource && MediaSourceImpl === window.ManagedMediaSource) {
      this.video.disableRemotePlayback = true; // required by ManagedMediaSource without an AirPlay source
    }
    var url = URL.createObjectURL(mediaSource);
    mediaSource.addEventListener('sourceopen', function () {
      URL.revokeObjectURL(url);
      if (self.mediaSource !== mediaSource) {
        return;
      }
      try {
        var sourceBuffer = mediaSource.addSourceBuffer(mime);
        sourceBuffer.mode = 'segments';
        sourceBuffer.addEventListener('updateend', function () {
          self.pump();
        });
        self.sourceBuffer = sourceBuffer;
        self.pump();
      } catch (e) {
        self.onFatal('This browser cannot play ' + mime + ' (' + e.name + ').');
      }
    });
    this.video.src = url;
  };

  MseView.prototype.append = function (data) {
    if (!this.mediaSource) {
      return;
    }
    this.queue.push(data);
    this.queuedBytes += data.byteLength;
    if (this.queuedBytes > MAX_QUEUE) {
      // the decoder fell far behind (a hidden tab, a slow phone): start over at the next init
      this.reset(this.mime);
      return;
    }
    this.pump();
  };

  MseView.prototype.pump = function () {
    var sb = this.sourceBuffer;
    if (!sb || sb.updating || this.mediaSource.readyState !== 'open') {
      return;
    }
    var buffered = sb.buffered;
    var now = this.video.currentTime;
    if (buffered.length && now - buffered.start(0) > KEEP_BEHIND * 2) {
      sb.remove(buffered.start(0), now - KEEP_BEHIND); // updateend pumps again
      return;
    }
    if (!this.queue.length) {
      return;
    }
    var data = this.queue.shift();
    this.queuedBytes -= data.byteLength;
    try {
      sb.appendBuffer(data);
    } catch (e) {
      if (e.name === 'QuotaExceededError' && buffered.length) {
        this.queue.unshift(data);
        this.queuedBytes += data.byteLength;
        sb.remove(buffered.start(0), Math.max(buffered.start(0) + 0.1, now - 1));
      } else {
        this.onFatal('Playback failed (' + e.name + '); reload the page.');
      }
    }
  };

  MseView.prototype.chase = function () {
    var sb = this.sourceBuffer;
    var video = this.video;
    if (!sb || !sb.buffered.length) {
      return;
    }
    var last = sb.buffered.length - 1;
    var start = sb.buffered.start(last);
    var end = sb.buffered.end(last);
    var lag = end - video.currentTime;
    if (video.currentTime < start || lag > JUMP_LAG) {
      video.currentTime = Math.max(start, end - TARGET_LAG); // also skips gaps left by dropped fragments
      video.playbackRate = 1;
    } else if (lag > TARGET_LAG * 3) {
      video.playbackRate = 1.1;
    } else if (lag > TARGET_LAG * 1.5) {
      video.playbackRate = 1.03;
    } else {
      video.playbackRate = 1;
    }
    if (video.paused && lag > 0.05) {
      video.play().catch(function () {
        // autoplay refused (not muted?): the user's tap on the video plays it
      });
    }
  };

  /** Seconds between the newest frame received and the frame on screen. */
  MseView.prototype.lag = function () {
    var sb = this.sourceBuffer;
    if (!sb || !sb.buffered.length) {
      return null;
    }
    return sb.buffered.end(sb.buffered.length - 1) - this.video.currentTime;
  };

  picam.MseView = MseView;
}(window.picam = window.picam || {}));
