import type { PubSubBus } from '../stomp/pubsub-bus.js';
import { PreparedMessage } from '../stomp/frame.js';

/**
 * Moderation news every instance must act on: the sessions of a removed user live on whichever
 * instance they connected to, and every instance caches mutes (mute-cache.ts).
 */
export type ModerationEvent =
  /** End the user's sessions in the room (kick or ban). */
  | { readonly type: 'remove'; readonly roomId: number; readonly userId: string; readonly reason: 'kick' | 'ban'; readonly until: string | null }
  /** The room's mutes changed; `userId` was just muted (their call participation ends) or unmuted. */
  | { readonly type: 'mutes'; readonly roomId: number; readonly userId: string; readonly muted: boolean };

/** Internal bus channel: not a STOMP destination any client can name (no `/topic/` or `/queue/` prefix). */
export const MODERATION_CHANNEL = '/internal/moderation';

interface Envelope {
  readonly origin: string;
  readonly event: ModerationEvent;
}

/** Publishes {@link ModerationEvent}s to the other instances over the broker's bus (Redis in a cluster). */
export class ModerationBus {
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly bus: PubSubBus,
    /** This instance: its own events come back through Redis and are skipped (they were handled before publishing). */
    private readonly instanceId: string,
  ) {}

  /** Resolves once events from other instances reach `listener`. */
  async start(listener: (event: ModerationEvent) => void, onMalformed: (raw: string) => void): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(MODERATION_CHANNEL, (message) => {
      const raw = message.body.toString('utf8');
      const envelope = parseEnvelope(raw);
      if (envelope === null) onMalformed(raw);
      else if (envelope.origin !== this.instanceId) listener(envelope.event);
    });
  }

  publish(event: ModerationEvent): void {
    const envelope: Envelope = { origin: this.instanceId, event };
    this.bus.publish(MODERATION_CHANNEL, new PreparedMessage(MODERATION_CHANNEL, {}, JSON.stringify(envelope)));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}

function parseEnvelope(raw: string): Envelope | null {
  try {
    const v = JSON.parse(raw) as Partial<Envelope> | null;
    const e = v?.event as Partial<Record<string, unknown>> | undefined;
    if (typeof v?.origin !== 'string' || e === undefined || typeof e['roomId'] !== 'number' || typeof e['userId'] !== 'string') return null;
    if (e['type'] === 'remove' && (e['reason'] === 'kick' || e['reason'] === 'ban')) return v as Envelope;
    if (e['type'] === 'mutes' && typeof e['muted'] === 'boolean') return v as Envelope;
    return null;
  } catch {
    return null;
  }
}
