// Glue for the demo page only; the widget needs none of this.
const panes = [document.getElementById('pane-a'), document.getElementById('pane-b')];
const params = new URLSearchParams(location.search);
const baseTitle = document.title;

// ?room=ID opens that room in both panes (no way back to the list: the page fixed the room).
const fixedRoom = params.get('room');
if (fixedRoom) for (const pane of panes) pane.setAttribute('room', fixedRoom);

// The embed snippet, with this server's address.
const snippet = document.getElementById('snippet');
snippet.textContent =
  `<script type="module" src="${location.origin}/widget/chat-room.js"></script>\n` +
  `<chat-room server="${location.origin}" room="${fixedRoom ?? '1'}" nickname="민수" lang="ko"></chat-room>`;

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
});

// Remember the room each pane is in, so a reload goes back to it.
await customElements.whenDefined('chat-room');
for (const pane of panes) {
  const key = `parley-demo:${pane.id}`;
  pane.addEventListener('chat-joined', (e) => sessionStorage.setItem(key, String(e.detail.roomId)));
  pane.addEventListener('chat-left', (e) => {
    if (e.detail.reason === 'left' || e.detail.reason === 'deleted') sessionStorage.removeItem(key);
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
