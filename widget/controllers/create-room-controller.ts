import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ParleyError } from '../../sdk/index.js';
import type { CreateRoomInput, Room } from '../../sdk/index.js';
import { errorText } from '../localize/error-text.js';
import type { Translation } from '../localize/localize.js';
import type { ChatClientLike } from '../model/chat-client-like.js';

/**
 * The create-room form of the room list: whether it is open, whether a creation is under way,
 * and the server's refusal in the user's language.
 */
export class CreateRoomController implements ReactiveController {
  /** Whether the form is shown. */
  open = false;
  /** A creation is under way. */
  busy = false;
  /** The last refusal, translated (`''` when none). */
  error = '';

  readonly #host: ReactiveControllerHost;
  readonly #t: () => Translation;
  readonly #report: (error: ParleyError) => void;

  /**
   * @param t - the current translation
   * @param report - tells the page about a refusal (`chat-error`)
   */
  constructor(host: ReactiveControllerHost, t: () => Translation, report: (error: ParleyError) => void) {
    this.#host = host;
    this.#t = t;
    this.#report = report;
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {}

  /** Opens or closes the form (the room list's "new room" button). */
  toggle(): void {
    this.#set(!this.open);
  }

  /** Closes the form. */
  close(): void {
    this.#set(false);
  }

  /**
   * Creates the room; resolves with it (and closes the form), or with undefined when refused
   * (the form shows why) or when a creation is already under way.
   */
  async create(client: ChatClientLike, input: CreateRoomInput): Promise<Room | undefined> {
    if (this.busy) return undefined;
    this.busy = true;
    this.error = '';
    this.#host.requestUpdate();
    try {
      const room = await client.rooms.create(input);
      this.open = false;
      return room;
    } catch (error) {
      const err = ParleyError.from(error);
      this.error = err.code === 'VALIDATION_FAILED' ? err.message : errorText(this.#t(), err.code);
      this.#report(err);
      return undefined;
    } finally {
      this.busy = false;
      this.#host.requestUpdate();
    }
  }

  #set(open: boolean): void {
    this.open = open;
    this.error = '';
    this.#host.requestUpdate();
  }
}
