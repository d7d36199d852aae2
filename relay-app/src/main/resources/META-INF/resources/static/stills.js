// The camera stills this browser keeps (the player saves one every 10 s, the camera list shows them). They are
// pictures of someone's home: they go with the login (log out, session ended, login page) and with access (a
// camera no longer in the list, a refused socket). Loaded first on every page.
(function (picam) {
  'use strict';

  var PREFIX = 'picam.preview.';

  function keys() {
    var found = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key && key.indexOf(PREFIX) === 0) {
          found.push(key);
        }
      }
    } catch (e) {
      // storage disabled: nothing kept, nothing to clear
    }
    return found;
  }

  function remove(key) {
    try {
      localStorage.removeItem(key);
    } catch (e) {
      // nothing to do
    }
  }

  picam.stills = {
    clearAll: function () {
      keys().forEach(remove);
    },
    // every still but those of these stream ids goes
    keepOnly: function (ids) {
      keys().forEach(function (key) {
        if (ids.indexOf(key.substring(PREFIX.length)) < 0) {
          remove(key);
        }
      });
    },
    forget: function (id) {
      remove(PREFIX + id);
    }
  };

  if (location.pathname === '/login') {
    picam.stills.clearAll(); // logged out, or the session ended: whoever logs in next sees none of them
  }
  document.addEventListener('submit', function (event) {
    if (event.target.classList.contains('logout')) {
      picam.stills.clearAll();
    }
  });
}(window.picam = window.picam || {}));
