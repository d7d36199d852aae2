// Loaded right before the jsmpeg bundle. The bundle injects a <style> element for its own player controls,
// which we do not use and which our Content-Security-Policy (no inline style) refuses, with an error in
// the console. While the bundle loads, <style> elements added to <head> are dropped; jsmpeg-view.js (loaded
// right after it) restores appendChild and insertBefore.
(function (picam) {
  'use strict';

  var head = document.head;
  var append = head.appendChild;
  var insert = head.insertBefore;
  function isStyle(node) {
    return node && node.nodeName === 'STYLE';
  }
  head.appendChild = function (node) {
    return isStyle(node) ? node : append.call(head, node);
  };
  head.insertBefore = function (node, before) {
    return isStyle(node) ? node : insert.call(head, node, before);
  };
  picam.restoreStyleInsertion = function () {
    head.appendChild = append;
    head.insertBefore = insert;
  };
}(window.picam = window.picam || {}));
