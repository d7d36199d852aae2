// Baseline for the benchmark: the original relay's architecture (jsmpeg's websocket-relay): each chunk
// of the POST body is sent to every open WebSocket, with no queue bound, no join points and no checks.
'use strict';
const http = require('http');
const WebSocket = require('ws');

const port = Number(process.env.PORT || 8090);
const server = http.createServer((request, response) => {
  if (request.method === 'POST' && request.url.startsWith('/ingest/')) {
    response.connection.setTimeout(0);
    request.on('data', (chunk) => {
      wss.clients.forEach((client) => {
        if (client.readyState === WebSocket.OPEN) {
          client.send(chunk);
        }
      });
    });
    request.on('end', () => response.end());
    return;
  }
  if (request.url === '/login') {
    response.end('ok');
    return;
  }
  response.statusCode = 404;
  response.end();
});
const wss = new WebSocket.Server({ server, perMessageDeflate: false });
server.listen(port, '127.0.0.1');
