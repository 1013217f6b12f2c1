// Socket.IO 4.8 rooms for `npm run bench`, as its documentation writes them: `join` puts the socket
// in a room (acknowledged), `msg` is broadcast with `io.to(room).emit`. WebSocket transport only.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });

io.on('connection', (socket) => {
  socket.on('join', (/** @type {string} */ room, /** @type {() => void} */ ack) => {
    void socket.join(room);
    ack();
  });
  socket.on('msg', (/** @type {string} */ room, /** @type {string} */ payload) => {
    io.to(room).emit('m', payload);
  });
});

http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address !== null ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
