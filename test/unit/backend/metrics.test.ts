import { describe, expect, it } from 'vitest';
import { Metrics } from '../../../backend/metrics.js';

describe('Metrics', () => {
  it('reports frames counted between scrapes by direction and command, without losing any', async () => {
    const metrics = new Metrics(false);
    for (let i = 0; i < 3; i++) metrics.frame('out', 'MESSAGE');
    metrics.frame('in', 'SEND');
    const first = await metrics.registry.metrics();
    expect(first).toContain('parley_frames_total{direction="out",command="MESSAGE"} 3');
    expect(first).toContain('parley_frames_total{direction="in",command="SEND"} 1');
    metrics.frame('out', 'MESSAGE');
    expect(await metrics.registry.metrics()).toContain('parley_frames_total{direction="out",command="MESSAGE"} 4');
  });
});
