// Plain STOMP against the Parley contract (docs/protocol.md); the widget issue replaces this page.
const $ = (id) => document.getElementById(id);
const log = (line) => { const d = document.createElement('div'); d.textContent = line; $('log').append(d); $('log').scrollTop = 1e9; };
let token; let client; let roomId; let lastSeq = 0; let receipt = 0;

async function api(method, path, body) {
  const res = await fetch(path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body && JSON.stringify(body) });
  const json = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new Error(json.error.code + ': ' + json.error.message);
  return json;
}

async function refreshRooms() {
  const { rooms } = await api('GET', '/api/rooms');
  $('rooms').replaceChildren(...rooms.map((r) => {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.textContent = `${r.locked ? '🔒 ' : ''}${r.name} (${r.userCount}/${r.maxUsers})`;
    b.onclick = () => join(r);
    li.append(b);
    return li;
  }));
}

function join(room) {
  const password = room.locked ? prompt('Password') ?? '' : undefined;
  const id = `join-${++receipt}`;
  client.watchForReceipt(id, () => {
    roomId = room.id;
    log(`— joined ${room.name}`);
    client.subscribe(`/topic/rooms/${room.id}`, (m) => {
      if (m.headers['x-type'] !== 'message') return;
      const msg = JSON.parse(m.body);
      lastSeq = msg.seq;
      log(msg.type === 'text' ? `${msg.sender.nickname}: ${msg.text}` : `— ${msg.sender.nickname} ${msg.type === 'enter' ? 'entered' : 'left'}`);
    }, { 'x-since-seq': String(lastSeq) });
  });
  client.publish({ destination: `/app/rooms/${room.id}/join`, body: JSON.stringify({ password }), headers: { receipt: id } });
}

$('login').onsubmit = async (e) => {
  e.preventDefault();
  ({ token } = await api('POST', '/api/session', { nickname: $('nick').value }));
  client = new StompJs.Client({ brokerURL: `${location.origin.replace('http', 'ws')}/ws`, connectHeaders: { Authorization: `Bearer ${token}` } });
  client.onConnect = () => {
    log('— connected');
    client.subscribe('/user/queue/errors', (m) => log(`! ${JSON.parse(m.body).code}`));
    client.subscribe('/topic/lobby', () => refreshRooms());
    refreshRooms();
  };
  client.activate();
};
$('create').onsubmit = async (e) => { e.preventDefault(); await api('POST', '/api/rooms', { name: $('room-name').value }).catch((err) => log(`! ${err.message}`)); };
$('composer').onsubmit = (e) => {
  e.preventDefault();
  if (!roomId || !$('text').value) return;
  client.publish({ destination: `/app/rooms/${roomId}/messages`, body: JSON.stringify({ text: $('text').value, clientMsgId: crypto.randomUUID() }) });
  $('text').value = '';
};
