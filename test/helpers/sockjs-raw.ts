import { request } from 'node:http';
import { randomBytes } from 'node:crypto';

/**
 * SockJS's XHR transports spoken by hand (https://sockjs.github.io/sockjs-protocol/), for tests
 * that need to misbehave where sockjs-client never would.
 */
export class RawSockJsXhr {
  readonly sessionId = randomBytes(6).toString('hex');
  private constructor(readonly baseUrl: string) {}

  /** Opens a session with its first xhr poll (answered `o`). */
  static async open(baseUrl: string, headers: Record<string, string> = {}): Promise<RawSockJsXhr> {
    const x = new RawSockJsXhr(baseUrl);
    const res = await fetch(x.url('xhr'), { method: 'POST', headers });
    const text = await res.text();
    if (text !== 'o\n') throw new Error(`SockJS open answered ${res.status} ${JSON.stringify(text)}`);
    return x;
  }

  url(kind: 'xhr' | 'xhr_send' | 'xhr_streaming'): string {
    return `${this.baseUrl}/sockjs/000/${this.sessionId}/${kind}`;
  }

  /** Sends STOMP text as SockJS messages; resolves with the HTTP status (204 when accepted). */
  async send(...messages: string[]): Promise<number> {
    const res = await fetch(this.url('xhr_send'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(messages) });
    await res.arrayBuffer();
    return res.status;
  }

  /** One poll: the messages the server had queued (empty on a heart-beat). */
  async poll(): Promise<string[]> {
    const text = await (await fetch(this.url('xhr'), { method: 'POST' })).text();
    return text.startsWith('a') ? (JSON.parse(text.slice(1)) as string[]) : [];
  }
}

export interface StreamedUpload {
  status: number;
  /** Body octets written before the answer came. */
  written: number;
  body: string;
}

/**
 * POSTs up to `totalBytes` of 'a' in `chunkBytes` pieces, stopping as soon as the server answers.
 * With `declareLength` the Content-Length is sent up front and no byte is written before the
 * answer has had `graceMs` to arrive.
 */
export function streamUpload(url: string, options: { totalBytes: number; chunkBytes?: number; declareLength?: boolean; graceMs?: number }): Promise<StreamedUpload> {
  const chunk = Buffer.alloc(options.chunkBytes ?? 65_536, 'a');
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const headers: Record<string, string | number> = { 'content-type': 'text/plain' };
    if (options.declareLength === true) headers['content-length'] = options.totalBytes;
    const req = request(url, { method: 'POST', headers }, (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, written, body }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, written, body }));
    });
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    const pump = (): void => {
      while (!answered && written < options.totalBytes) {
        written += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    req.flushHeaders();
    if (options.declareLength === true) setTimeout(pump, options.graceMs ?? 300);
    else pump();
  });
}
