import { describe, expect, it } from 'vitest';
import { IME_KEY_CODE, ImeEnterGuard } from '../../../widget/model/ime-enter-guard.js';

const enter = (over: Partial<{ isComposing: boolean; keyCode: number; shiftKey: boolean }> = {}) => ({
  key: 'Enter',
  isComposing: false,
  keyCode: 13,
  shiftKey: false,
  ...over,
});

describe('ImeEnterGuard', () => {
  it('sends on a plain Enter and breaks the line on Shift+Enter', () => {
    const g = new ImeEnterGuard();
    expect(g.action(enter())).toBe('send');
    expect(g.action(enter({ shiftKey: true }))).toBe('newline');
    expect(g.action({ ...enter(), key: 'a', keyCode: 65 })).toBe('none');
  });

  it('never sends while a composition is open, whatever the key event says', () => {
    const g = new ImeEnterGuard();
    g.compositionStart();
    // Some browsers report neither signal on the keydown inside a composition.
    expect(g.action(enter())).toBe('ime');
    g.compositionEnd();
    expect(g.action(enter())).toBe('send');
  });

  it('leaves the Enter that commits a composition in Chrome to the IME (isComposing)', () => {
    const g = new ImeEnterGuard();
    g.compositionStart();
    expect(g.action(enter({ isComposing: true, keyCode: IME_KEY_CODE }))).toBe('ime');
    g.compositionEnd();
    // The following real Enter (keyCode 13) sends the committed text.
    expect(g.action(enter())).toBe('send');
  });

  it('leaves the Safari commit Enter, fired after compositionend with keyCode 229 only, to the IME', () => {
    const g = new ImeEnterGuard();
    g.compositionStart();
    g.compositionEnd();
    expect(g.action(enter({ isComposing: false, keyCode: IME_KEY_CODE }))).toBe('ime');
  });

  it('treats isComposing alone as the IME’s', () => {
    expect(new ImeEnterGuard().action(enter({ isComposing: true }))).toBe('ime');
  });
});
