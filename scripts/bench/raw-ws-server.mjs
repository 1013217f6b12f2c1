// The baseline for `npm run bench`: the least a WebSocket fan-out server can do. A client sends
// `J<room>` to join (answered `A`) and `P<room>\n<payload>` to publish; the payload goes to every
// member of the room with one `ws.send` each. No parsing beyond that, no storage, no auth.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const http = createServer();
const wss = new WebSocketServer({ server: http, perMessageDeflate: false, maxPayload: 64 * 1024 });
/** @type {Map<string, Set<import('ws').WebSocket>>} */
const rooms = new Map();

wss.on('connection', (ws) => {
  /** @type {string[]} */
  const joined = [];
  ws.on('message', (data) => {
    const text = String(data);
    if (text[0] === 'J') {
      const room = text.slice(1);
      let members = rooms.get(room);
      if (members === undefined) rooms.set(room, (members = new Set()));
      members.add(ws);
      joined.push(room);
      ws.send('A');
      return;
    }
    const nl = text.indexOf('\n');
    const members = rooms.get(text.slice(1, nl));
    if (members === undefined) return;
    const payload = text.slice(nl + 1);
    for (const m of members) m.send(payload);
  });
  ws.on('close', () => {
    for (const room of joined) rooms.get(room)?.delete(ws);
  });
});

http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address !== null ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
