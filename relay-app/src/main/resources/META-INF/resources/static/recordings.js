// The recordings page: a timeline of the last days with the recorded spans, and a player that plays the stored
// segments one after the other from any moment. fmp4: each segment is a whole fragmented MP4 file, played by the
// <video> element itself (so speed works); mpegts: each segment's bytes are fed to jsmpeg, as live bytes are.
(function () {
  'use strict';

  var root = document.getElementById('recordings');
  if (!root) {
    return;
  }
  var stream = root.dataset.stream;
  var fmp4 = root.dataset.format === 'fmp4';
  var api = '/api/streams/' + encodeURIComponent(stream) + '/recordings';
  var video = document.getElementById('video');
  var overlay = document.getElementById('overlay');
  var timeline = document.getElementById('timeline');
  var spansBox = document.getElementById('spans');
  var cursor = document.getElementById('cursor');
  var clock = document.getElementById('clock');
  var playButton = document.getElementById('play');
  var download = document.getElementById('download');
  var state = { from: 0, to: 0, spans: [], segments: [], index: -1, playing: false, rate: 1, offset: 0, timer: null,
    prefetched: null, played: 0 };
  var jsmpeg = null;

  function say(message) {
    overlay.textContent = message || '';
    overlay.hidden = !message;
  }

  function getJson(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) {
        throw new Error(r.status === 403 ? 'You may not watch this stream.' : 'The relay answered ' + r.status + '.');
      }
      return r.json();
    });
  }

  function load() {
    var days = Number(document.getElementById('days').value);
    state.to = Date.now();
    state.from = state.to - days * 86400000;
    var range = '?from=' + new Date(state.from).toISOString() + '&to=' + new Date(state.to).toISOString();
    return Promise.all([getJson(api + range), getJson(api + '/segments' + range)]).then(function (answers) {
      state.spans = answers[0];
      state.segments = answers[1];
      drawSpans();
    }).catch(function (e) {
      say(e.message);
    });
  }

  function position(ms) {
    return ((ms - state.from) / (state.to - state.from)) * 100;
  }

  function drawSpans() {
    spansBox.textContent = '';
    var total = 0;
    state.spans.forEach(function (span) {
      var start = Date.parse(span.start);
      var end = Date.parse(span.end);
      total += end - start;
      var bar = document.createElement('div');
      bar.className = 'span';
      bar.style.left = Math.max(0, position(start)) + '%';
      bar.style.width = Math.max(0, position(end) - Math.max(0, position(start))) + '%';
      bar.title = new Date(start).toLocaleString() + ' – ' + new Date(end).toLocaleTimeString();
      spansBox.appendChild(bar);
    });
    document.getElementById('scale-start').textContent = new Date(state.from).toLocaleString();
    document.getElementById('summary').textContent = state.spans.length
      ? state.spans.length + ' recorded span' + (state.spans.length === 1 ? '' : 's') + ', '
        + Math.round(total / 60000) + ' min in all; gaps are not recorded'
      : 'Nothing recorded in this time.';
  }

  function showCursor(ms) {
    cursor.hidden = false;
    cursor.style.left = position(ms) + '%';
    timeline.setAttribute('aria-valuenow', String(Math.round(position(ms))));
    clock.textContent = new Date(ms).toLocaleString();
  }

  /**
   * The segment holding the moment, else the first one after it, else the last one (a pixel of a long timeline is
   * minutes: a click just past the newest recording means it); -1 when nothing is recorded.
   */
  function segmentAt(ms) {
    for (var i = 0; i < state.segments.length; i++) {
      if (Date.parse(state.segments[i].end) > ms) {
        return i;
      }
    }
    return state.segments.length - 1;
  }

  function playFrom(ms) {
    var i = segmentAt(ms);
    if (i < 0) {
      say('Nothing recorded in this time. Back to live for what happens now.');
      stop();
      return;
    }
    var start = Date.parse(state.segments[i].start);
    var end = Date.parse(state.segments[i].end);
    playSegment(i, ms > start && ms < end ? (ms - start) / 1000 : 0);
  }

  function segmentUrl(i) {
    return api + '/segments/' + state.segments[i].id;
  }

  function playSegment(i, offset) {
    clearInterval(state.timer); // whatever was fed or awaited before
    state.played++;
    state.index = i;
    state.playing = true;
    var segment = state.segments[i];
    var start = Date.parse(segment.start);
    download.hidden = false;
    download.href = api + '/clip?from=' + new Date(start).toISOString() + '&to=' + new Date(start + 3600000).toISOString();
    say('');
    renderPlay();
    if (fmp4) {
      video.src = segmentUrl(i);
      video.playbackRate = state.rate;
      video.addEventListener('loadedmetadata', function seek() {
        video.removeEventListener('loadedmetadata', seek);
        if (offset > 0 && isFinite(video.duration)) {
          video.currentTime = Math.min(offset, video.duration);
        }
        video.playbackRate = state.rate;
        video.play().catch(function () {});
      });
      return;
    }
    // mpegts: the segment's bytes go to jsmpeg as the camera sent them, spread over the segment's time. jsmpeg, fed
    // like a live stream, shows a frame at every screen refresh while it has one: a whole segment at once would play
    // at the screen's rate (2.4× for 25 fps at 60 Hz) and then stand still until the next.
    segmentBytes(i).then(function (bytes) {
      if (state.index !== i || !state.playing) {
        return;
      }
      if (i + 1 < state.segments.length) {
        var upcoming = segmentBytes(i + 1);
        upcoming.catch(function () {}); // reported when it is played, not when it is skipped
        state.prefetched = { index: i + 1, bytes: upcoming };
      }
      feedPaced(new Uint8Array(bytes), Math.max(500, Date.parse(segment.end) - start), i);
    }).catch(function (e) {
      say(e.message);
      stop();
    });
  }

  function segmentBytes(i) {
    if (state.prefetched && state.prefetched.index === i) {
      return state.prefetched.bytes;
    }
    return fetch(segmentUrl(i), { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) {
        throw new Error('The relay answered ' + r.status + '.');
      }
      return r.arrayBuffer();
    });
  }

  function feedPaced(bytes, length, i) {
    var started = performance.now();
    var sent = 0;
    clearInterval(state.timer);
    var timer = setInterval(function () {
      if (state.index !== i || !state.playing || state.timer !== timer) {
        clearInterval(timer);
        return;
      }
      var due = Math.min(bytes.length, Math.ceil((bytes.length * (performance.now() - started)) / length / 188) * 188);
      if (due > sent) {
        feedJsmpeg(bytes.subarray(sent, due));
        sent = due;
      }
      if (sent >= bytes.length) {
        clearInterval(timer);
        next();
      }
    }, 40);
    state.timer = timer;
  }

  function feedJsmpeg(bytes) {
    if (!jsmpeg) {
      var Source = function () {
        this.destination = null;
        this.streaming = true;
        this.established = true;
        this.completed = false;
        this.progress = 1;
        this.started = false;
        this.waiting = [];
      };
      Source.prototype.connect = function (destination) { this.destination = destination; };
      // jsmpeg starts its source once its decoder (WebAssembly, loaded in the background) is ready: bytes written
      // before that would fail in the decoder, so they wait here
      Source.prototype.start = function () {
        this.started = true;
        this.waiting.forEach(function (waiting) { this.destination.write(waiting); }, this);
        this.waiting = [];
      };
      Source.prototype.resume = function () {};
      Source.prototype.destroy = function () {};
      // eslint-disable-next-line no-undef
      jsmpeg = new JSMpeg.Player('picam-recording', { source: Source, canvas: video, audio: false,
        pauseWhenHidden: false, videoBufferSize: 4 * 1024 * 1024 });
    }
    if (jsmpeg.source.started) {
      jsmpeg.source.destination.write(bytes);
    } else {
      jsmpeg.source.waiting.push(bytes);
    }
    jsmpeg.play();
  }

  function next() {
    if (state.index + 1 < state.segments.length) {
      playSegment(state.index + 1, 0);
    } else {
      newer(state.segments[state.index].id, 0);
    }
  }

  /**
   * Past the last segment listed when the page opened: what was recorded since then comes next. Near the present the
   * next segment may still be being recorded (up to a segment's length, then stored): the list is asked again every
   * 2 s for a while.
   */
  function newer(current, attempt) {
    var played = state.played;
    load().then(function () {
      if (!state.playing || state.played !== played) { // paused, or another moment chosen meanwhile
        return;
      }
      var i = state.segments.map(function (s) { return s.id; }).indexOf(current);
      var last = state.segments[state.segments.length - 1];
      if (i >= 0 && i + 1 < state.segments.length) {
        playSegment(i + 1, 0);
      } else if (i >= 0 && attempt < 15 && Date.now() - Date.parse(last.end) < 60000) {
        state.index = i;
        say('Waiting for what is being recorded now…');
        clearInterval(state.timer);
        state.timer = setTimeout(function () { newer(current, attempt + 1); }, 2000);
      } else {
        say('End of the recordings. Back to live for what happens now.');
        stop();
      }
    });
  }

  function stop() {
    state.playing = false;
    clearInterval(state.timer); // a feeding interval or a waiting timeout: both from the same pool of ids
    if (fmp4) {
      video.pause();
    } else if (jsmpeg) {
      jsmpeg.pause();
    }
    renderPlay();
  }

  function renderPlay() {
    playButton.textContent = state.playing ? 'Pause' : 'Play';
    playButton.setAttribute('aria-pressed', String(state.playing));
  }

  function currentMs() {
    if (state.index < 0) {
      return null;
    }
    var start = Date.parse(state.segments[state.index].start);
    return fmp4 ? start + video.currentTime * 1000 : start;
  }

  if (fmp4) {
    video.addEventListener('ended', next);
    video.addEventListener('timeupdate', function () {
      var ms = currentMs();
      if (ms !== null) {
        showCursor(ms);
      }
    });
  }

  playButton.addEventListener('click', function () {
    if (state.playing) {
      stop();
    } else if (state.index >= 0 && fmp4) {
      state.playing = true;
      video.play().catch(function () {});
      renderPlay();
    } else if (state.index >= 0) {
      playSegment(state.index, 0);
    } else if (state.spans.length) {
      var last = state.spans[state.spans.length - 1];
      var from = Math.max(Date.parse(last.start), Date.parse(last.end) - 60000);
      showCursor(from);
      playFrom(from); // the last minute recorded
    }
  });

  function jumpSpan(direction) {
    var now = currentMs() || state.to;
    var starts = state.spans.map(function (s) { return Date.parse(s.start); });
    var target = null;
    starts.forEach(function (start) {
      if (direction < 0 && start < now - 2000) {
        target = start;
      }
      if (direction > 0 && start > now + 1000 && target === null) {
        target = start;
      }
    });
    if (target !== null) {
      showCursor(target);
      playFrom(target);
    }
  }
  document.getElementById('previous').addEventListener('click', function () { jumpSpan(-1); });
  document.getElementById('next').addEventListener('click', function () { jumpSpan(1); });

  Array.prototype.forEach.call(document.querySelectorAll('#speeds button'), function (button) {
    button.addEventListener('click', function () {
      state.rate = Number(button.dataset.rate);
      video.playbackRate = state.rate;
      Array.prototype.forEach.call(document.querySelectorAll('#speeds button'), function (b) {
        b.setAttribute('aria-pressed', String(b === button));
      });
    });
  });

  // click or drag on the timeline: the cursor follows, playback starts where it is let go
  function momentOf(event) {
    var box = timeline.getBoundingClientRect();
    var x = Math.min(Math.max(event.clientX - box.left, 0), box.width);
    return state.from + (x / box.width) * (state.to - state.from);
  }
  var dragging = false;
  timeline.addEventListener('pointerdown', function (event) {
    dragging = true;
    timeline.setPointerCapture(event.pointerId);
    showCursor(momentOf(event));
  });
  timeline.addEventListener('pointermove', function (event) {
    if (dragging) {
      showCursor(momentOf(event));
    }
  });
  timeline.addEventListener('pointerup', function (event) {
    if (dragging) {
      dragging = false;
      playFrom(momentOf(event));
    }
  });
  timeline.addEventListener('keydown', function (event) {
    var step = (state.to - state.from) / 100;
    var now = currentMs() || state.to;
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      event.preventDefault();
      var target = now + (event.key === 'ArrowLeft' ? -step : step);
      showCursor(target);
      playFrom(target);
    }
  });
  document.getElementById('days').addEventListener('change', load);

  load();
}());
