import type { Unsubscribe } from '../../sdk/index.js';
import type { CallSessionLike } from '../call-panel/call-panel.component.js';
import type { RoomHandleLike } from '../model/chat-client-like.js';
import { HostedController } from './hosted-controller.js';

/**
 * The call of the open room, for `<chat-room>`: how many people are in it (the chat room's call
 * button), and the session `<chat-call-panel>` shows. A video room opens the panel at once; a
 * chat room when the user asks. Leaving the room, or the widget leaving the page, leaves the call.
 */
export class CallController extends HostedController {
  /** The session the panel shows, once the call layer is loaded. */
  session: CallSessionLike | undefined;
  /** Whether the panel is shown. */
  open = false;
  /** People in the room's call, from call presence. */
  count = 0;
  /** Whether the room handle can make calls (fakes without `call()` cannot). */
  available = false;

  #handle: RoomHandleLike | undefined;
  #unsubscribe: Unsubscribe | undefined;

  override hostDisconnected(): void {
    this.sync(undefined, false);
  }

  /**
   * Follows the open room (call it before each render): another handle ends the call of the
   * previous one; a video room opens the panel.
   * @param handle - the live room's handle, or undefined
   * @param video - whether it is a `video` room
   */
  sync(handle: RoomHandleLike | undefined, video: boolean): void {
    if (handle !== this.#handle) {
      this.close();
      this.#unsubscribe?.();
      this.#unsubscribe = undefined;
      this.#handle = handle;
      this.available = typeof handle?.call === 'function';
      this.count = handle?.callState?.participants.length ?? 0;
      this.#unsubscribe = handle?.on('call', (snapshot) => {
        this.count = snapshot.participants.length;
        this.host.requestUpdate();
      });
    }
    if (handle && video && !this.open) this.start();
  }

  /** Shows the panel with a new call session (the panel joins it). */
  start(): void {
    const handle = this.#handle;
    if (!handle?.call || this.open) return;
    this.open = true;
    const generation = ++this.generation;
    handle.call().then(
      (session) => {
        if (generation !== this.generation) return;
        this.session = session;
        this.host.requestUpdate();
      },
      () => {
        if (generation !== this.generation) return;
        this.open = false;
        this.host.requestUpdate();
      },
    );
    this.host.requestUpdate();
  }

  /** Leaves the call and hides the panel. */
  close(): void {
    this.generation++;
    const session = this.session;
    this.session = undefined;
    if (!this.open && !session) return;
    this.open = false;
    void session?.leave();
    this.host.requestUpdate();
  }
}
