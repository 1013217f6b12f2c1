// The "site" half of the host-auth demo: sign-in picker, token from the site's backend, and the widget.
// A real site would know its user from its own login (a session cookie); the demo takes the pick at its word.
import { ChatClient } from '/sdk/index.js';

const ROOM_NAME = 'Site lounge';
const params = new URLSearchParams(location.search);
const KEY = 'parley-host-demo:user';
const $ = (id) => document.getElementById(id);

/** The site's backend signs a short-lived token for the signed-in user (here: the demo host app). */
async function siteToken(user) {
  const res = await fetch('/demo-host/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }) });
  if (!res.ok) throw new Error(`the site refused a token: ${res.status}`);
  return (await res.json()).token;
}

async function showSignIn() {
  const { users } = await (await fetch('/demo-host/users')).json();
  const list = $('site-users');
  list.replaceChildren(
    ...users.map((u) => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.user = u.id;
      button.textContent = u.name;
      button.addEventListener('click', () => {
        sessionStorage.setItem(KEY, u.id);
        void start(u.id);
      });
      li.append(button);
      return li;
    }),
  );
  $('sign-in').hidden = false;
}

/** The room everybody on the site shares: `?room=ID`, else "Site lounge", created by the first visitor. */
async function lounge(client) {
  if (params.has('room')) return Number(params.get('room'));
  const rooms = await client.rooms.list();
  const found = rooms.find((r) => r.name === ROOM_NAME);
  return found ? found.id : (await client.rooms.create({ name: ROOM_NAME, maxUsers: 50 })).id;
}

async function start(user) {
  $('sign-in').hidden = true;
  const client = new ChatClient({ url: location.origin, tokenProvider: () => siteToken(user), transport: 'websocket' });
  await client.connect();
  const me = client.user;
  $('signed-in-as').textContent = `Signed in as ${me.nickname}${me.admin ? ' — site administrator' : ''}`;
  $('signed-in-as').hidden = false;
  $('sign-out').hidden = false;
  const chat = document.createElement('chat-room');
  chat.client = client;
  chat.setAttribute('room', String(await lounge(client)));
  $('chat').replaceChildren(chat);
  $('chat').hidden = false;
}

$('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(KEY);
  location.href = location.pathname;
});

const chosen = params.get('user') ?? sessionStorage.getItem(KEY);
if (chosen) void start(chosen);
else void showSignIn();
