// Query parameters become attributes of one <chat-room>; a file, not an inline script, for the page's CSP.
const params = new URLSearchParams(location.search);
if (params.has('page-lang')) document.documentElement.lang = params.get('page-lang');
const el = document.createElement('chat-room');
for (const name of ['server', 'room', 'nickname', 'token', 'lang', 'theme']) {
  if (params.has(name)) el.setAttribute(name, params.get(name));
}
document.body.append(el);
