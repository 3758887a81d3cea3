import { START_AHEAD, StartPacer, startPacing } from '../../src/effects/goalDialogueStartPacing';
import type { RecipientStatusCounts } from '../../src/proactive';

/**
 * The start job's pacing on its own: when it writes the next batch, given
 * what the outbox still holds unsent. The counts are the outbox's answer to
 * countStatuses, moved by the test as a sender would move them.
 */

function counts(total: number, finished: number): RecipientStatusCounts {
  return { total, pending: total - finished, retrying: 0, sending: 0, sent: finished, failed: 0, failedByReason: {} };
}

describe('the start job keeps behind the sender', () => {
  test('when fewer than a batch ahead are queued then the next batch follows at once, and the wait grows with the queue at the tenant rate', () => {
    expect(startPacing(20, 50)).toBe(0);
    expect(startPacing(START_AHEAD, 50)).toBe(0);
    expect(startPacing(START_AHEAD + 50, 50)).toBe(1_000);
    expect(startPacing(START_AHEAD + 1_000, 50)).toBe(20_000);
  });

  test('when the sender is sending then the next batch waits until at most a batch of invitations is unsent', async () => {
    let finished = 0;
    const looks: number[] = [];
    const outbox = {
      countStatuses: async () => {
        looks.push(finished);
        // The sender sends 60 more between two looks.
        const answer = counts(320, finished);
        finished += 60;
        return answer;
      },
    };
    await new StartPacer(outbox, 'job', 10_000).beforeBatch(320);
    // 320, 260, 200, 140 unsent: still more than a batch; 80 is not.
    expect(looks).toEqual([0, 60, 120, 180, 240]);
  });

  test('when the sender does not move (none running, or stopped) then the batch is written after one look more', async () => {
    const looks: number[] = [];
    const outbox = {
      countStatuses: async () => {
        looks.push(0);
        return counts(320, 0);
      },
    };
    const pacer = new StartPacer(outbox, 'job', 10_000);
    await pacer.beforeBatch(320);
    expect(looks).toHaveLength(2);
    await pacer.beforeBatch(420);
    expect(looks).toHaveLength(3);
  });
});
