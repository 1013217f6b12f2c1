import { startTcpBalancer, type TcpBalancer } from '../../backend/net/tcp-balancer.js';

/**
 * A TCP proxy in front of a real server, so a browser's connection to it can be cut and
 * restored at will (the browser keeps believing it is online). Optionally refuses plain
 * WebSocket upgrades on `/ws`, to make clients fall back to SockJS.
 */
export type TcpProxy = TcpBalancer;

/** A proxy to one server: the balancer of `npm run cluster` with a single target. */
export function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  return startTcpBalancer({ targets: () => [targetPort] });
}
