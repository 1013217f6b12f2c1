import type { Broker } from '../stomp/broker.js';
import { roomAction } from '../../sdk/protocol/destinations.js';
import type { Limits } from './limits.js';

/**
 * The STOMP side of the abuse limits (issue 11): joins per user, chat messages per client address
 * (the per-user bucket sits in the message handler; minting users must not dodge it), and SENDs to
 * open destinations per user. Refusals go to `/user/queue/errors` with `retry-after-ms`.
 */
export function registerStompLimits(broker: Broker, limits: Limits): void {
  broker.guardSend(roomAction('{id}', 'join'), ({ user }) => limits.check('join-user', user.id));
  broker.guardSend(roomAction('{id}', 'messages'), ({ session }) => limits.check('chat-address', session.transport.remoteAddress));
  broker.guardOpenSend(({ user }) => limits.check('open-send-user', user.id));
}
