import { describe, expect, it, vi } from 'vitest';
import { TypedEmitter } from '../../../sdk/events.js';

interface TestEvents {
  ping: (n: number) => void;
  pair: (a: string, b: boolean) => void;
}
class Emitter extends TypedEmitter<TestEvents> {
  fire<K extends keyof TestEvents>(event: K, ...args: Parameters<TestEvents[K]>): boolean {
    return this.emit(event, ...args);
  }
}

describe('TypedEmitter', () => {
  it('calls listeners with typed arguments in registration order', () => {
    const e = new Emitter();
    const calls: string[] = [];
    e.on('pair', (a, b) => calls.push(`1:${a}:${b}`));
    e.on('pair', (a) => calls.push(`2:${a}`));
    expect(e.fire('pair', 'x', true)).toBe(true);
    expect(calls).toEqual(['1:x:true', '2:x']);
  });

  it('on() returns an unsubscribe; off() and once() work', () => {
    const e = new Emitter();
    const fn = vi.fn();
    const stop = e.on('ping', fn);
    e.fire('ping', 1);
    stop();
    e.fire('ping', 2);
    const onceFn = vi.fn();
    e.once('ping', onceFn);
    e.fire('ping', 3);
    e.fire('ping', 4);
    expect(fn.mock.calls).toEqual([[1]]);
    expect(onceFn.mock.calls).toEqual([[3]]);
    expect(e.listenerCount('ping')).toBe(0);
  });

  it('removeAllListeners clears everything', () => {
    const e = new Emitter();
    e.on('ping', () => undefined);
    e.on('pair', () => undefined);
    e.removeAllListeners();
    expect(e.listenerCount('ping') + e.listenerCount('pair')).toBe(0);
    expect(e.fire('ping', 1)).toBe(false);
  });

  it('a throwing listener does not stop the others', async () => {
    const e = new Emitter();
    const after = vi.fn();
    const errors: unknown[] = [];
    const onError = (err: unknown) => errors.push(err);
    process.on('uncaughtException', onError);
    try {
      e.on('ping', () => {
        throw new Error('app bug');
      });
      e.on('ping', after);
      e.fire('ping', 1);
      await new Promise((r) => setTimeout(r, 0));
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(after).toHaveBeenCalledWith(1);
    expect(errors).toHaveLength(1);
  });

  it('rejects wrong event names and argument types at compile time', () => {
    const e = new Emitter();
    // @ts-expect-error unknown event
    e.on('nope', () => undefined);
    // @ts-expect-error wrong argument type
    e.fire('ping', 'not a number');
    expect(true).toBe(true);
  });
});
