// Glue for the demo page only; the widget needs none of this.
const panes = [document.getElementById('pane-a'), document.getElementById('pane-b')];
const params = new URLSearchParams(location.search);
const baseTitle = document.title;

// ?room=ID opens that room in both panes (no way back to the list: the page fixed the room).
const fixedRoom = params.get('room');
if (fixedRoom) for (const pane of panes) pane.setAttribute('room', fixedRoom);

// The embed snippet, with this server's address and a room that exists: the one the left pane
// is in (or ?room=), else none, which shows the room list. A fixed `room="1"` pointed at nothing
// on a fresh install (issue 13).
const snippet = document.getElementById('snippet');
const showSnippet = (room) => {
  snippet.textContent =
    `<script type="module" src="${location.origin}/widget/chat-room.js"></script>\n` +
    `<chat-room server="${location.origin}"${room ? ` room="${room}"` : ''} nickname="민수" lang="ko"></chat-room>`;
};
showSnippet(fixedRoom);

// Language: each pane its own (민수 Korean, Alex English), or both in one.
const OWN_LANG = { 'pane-a': 'ko', 'pane-b': 'en' };
const lang = document.getElementById('lang');
const applyLang = (value) => {
  for (const pane of panes) pane.setAttribute('lang', value === 'ko' || value === 'en' ? value : OWN_LANG[pane.id]);
  document.documentElement.lang = value === 'en' ? 'en' : 'ko';
};
const savedLang = params.get('lang') ?? sessionStorage.getItem('parley-demo:lang') ?? 'each';
lang.value = ['ko', 'en'].includes(savedLang) ? savedLang : 'each';
applyLang(lang.value);
lang.addEventListener('change', () => {
  sessionStorage.setItem('parley-demo:lang', lang.value);
  applyLang(lang.value);
});

// Theme for the page and both widgets.
const theme = document.getElementById('theme');
const applyTheme = (value) => {
  document.documentElement.dataset.theme = value;
  for (const pane of panes) pane.setAttribute('theme', value);
};
theme.value = params.get('theme') ?? sessionStorage.getItem('parley-demo:theme') ?? 'auto';
applyTheme(theme.value);
theme.addEventListener('change', () => {
  sessionStorage.setItem('parley-demo:theme', theme.value);
  applyTheme(theme.value);
});

document.getElementById('reset').addEventListener('click', () => {
  for (const pane of panes) sessionStorage.removeItem(`parley-demo:${pane.id}`);
  sessionStorage.removeItem('parley-demo:lang');
});

// Remember the room each pane is in, so a reload goes back to it.
await customElements.whenDefined('chat-room');
for (const pane of panes) {
  const key = `parley-demo:${pane.id}`;
  pane.addEventListener('chat-joined', (e) => {
    sessionStorage.setItem(key, String(e.detail.roomId));
    if (pane.id === 'pane-a') showSnippet(String(e.detail.roomId));
  });
  pane.addEventListener('chat-left', (e) => {
    if (e.detail.reason === 'left' || e.detail.reason === 'deleted') sessionStorage.removeItem(key);
    if (pane.id === 'pane-a' && !fixedRoom) showSnippet(undefined);
  });
  const saved = Number(sessionStorage.getItem(key));
  if (!fixedRoom && Number.isSafeInteger(saved) && saved > 0) pane.join(saved);
}

// Unread messages while the tab is hidden go into the tab title.
const unread = new Map();
for (const pane of panes) {
  pane.addEventListener('chat-unread-changed', (e) => {
    unread.set(pane.id, e.detail.count);
    const total = [...unread.values()].reduce((a, b) => a + b, 0);
    document.title = total > 0 ? `(${total}) ${baseTitle}` : baseTitle;
  });
}
