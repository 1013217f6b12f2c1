import type { CallSession } from '../../../../sdk/call/call-session.js';

/** What the tests read from `getStats()` about the connection to one participant. */
export interface PeerStats {
  id: string;
  nickname: string;
  connectionState: string;
  /** `inbound-rtp` (video) `framesDecoded`. */
  framesDecoded: number;
  /** `inbound-rtp` (audio) `bytesReceived`. */
  audioBytes: number;
  /** Candidate types of the selected pair (`host`, `srflx`, `relay`). */
  localCandidateType: string | undefined;
  remoteCandidateType: string | undefined;
}

type Stat = Record<string, unknown>;

/** Reads every remote participant's inbound video/audio and selected candidate pair. */
export async function peerStats(call: Pick<CallSession, 'participants' | 'getStats'>): Promise<PeerStats[]> {
  const out: PeerStats[] = [];
  for (const p of call.participants) {
    const report = await call.getStats(p.id);
    const s: PeerStats = { id: p.id, nickname: p.user.nickname, connectionState: p.connectionState, framesDecoded: 0, audioBytes: 0, localCandidateType: undefined, remoteCandidateType: undefined };
    report?.forEach((r: Stat) => {
      if (r['type'] === 'inbound-rtp' && r['kind'] === 'video') s.framesDecoded += Number(r['framesDecoded'] ?? 0);
      if (r['type'] === 'inbound-rtp' && r['kind'] === 'audio') s.audioBytes += Number(r['bytesReceived'] ?? 0);
      if (r['type'] === 'transport' && typeof r['selectedCandidatePairId'] === 'string') {
        const pair = report.get(r['selectedCandidatePairId']) as Stat | undefined;
        s.localCandidateType = (report.get(String(pair?.['localCandidateId'])) as Stat | undefined)?.['candidateType'] as string | undefined;
        s.remoteCandidateType = (report.get(String(pair?.['remoteCandidateId'])) as Stat | undefined)?.['candidateType'] as string | undefined;
      }
    });
    out.push(s);
  }
  return out;
}
