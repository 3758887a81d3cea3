import { mapBounded } from '../parallel';
import { AppError } from './errors';
import { type Round, roundCounts } from './followUp';
import type { FollowUpRepository } from './followUpRepository';
import type { FollowUpService } from './followUpService';
import { changeStored } from './optimistic';
import type { Actor, Organisation } from './organisation';
import type { SchoolClock } from './schoolClock';

/**
 * The owner's rounds (`uppföljningar` in 1:1): the list of the rounds of
 * her målsamtal, calling off a planned round before it opens and closing a
 * running one early. The round's document is the one truth: a cancel and
 * the opening job both change it under its ETag and only from `planned`,
 * so whichever comes first wins and the other does nothing; the opening
 * job of a cancelled round finds it cancelled even if its job could not be
 * withdrawn. Two clicks (or a redelivery) cancel once.
 */

/** What follows from a cancel, outside the turn (src/effects/followUps.ts): the planned opening is withdrawn. */
export interface FollowUpRoundEffects {
  roundCancelled(round: Round): Promise<void>;
}

/** One row of the owner's list. */
export interface OwnedRound {
  round: Round;
  unitName: string;
  /** For an open or closed round: how many have followed up all their goals. */
  counts?: { done: number; total: number };
}

export type CancelOutcome = 'cancelled' | 'alreadyCancelled' | 'alreadyOpened';

/** The list shows every planned and open round and this many of the rest (closed, cancelled), newest first. */
export const FINISHED_ROUNDS_SHOWN = 5;
const ROUND_READS = 8;

export class FollowUpRounds {
  constructor(
    private readonly organisation: Organisation,
    private readonly rounds: FollowUpRepository,
    private readonly followUps: FollowUpService,
    private readonly effects: FollowUpRoundEffects,
    private readonly clock: SchoolClock,
  ) {}

  /** The rounds of every unit the actor owns målsamtal in, newest first: every planned and open one, the latest finished ones. */
  async ownedRounds(tenantId: string, actor: Actor): Promise<OwnedRound[]> {
    const units = this.organisation.unitsManagedBy(actor);
    if (units.length === 0) throw new AppError('NOT_ALLOWED', 'not an owner of any målsamtal', { action: 'followUp' });
    const summaries = await this.followUps.roundsOfUnits(tenantId, units);
    const active = summaries.filter((s) => s.status === 'planned' || s.status === 'open');
    const finished = summaries.filter((s) => s.status === 'closed' || s.status === 'cancelled').slice(0, FINISHED_ROUNDS_SHOWN);
    const shown = summaries.filter((s) => active.includes(s) || finished.includes(s));
    const rows = await mapBounded(shown, ROUND_READS, async (summary): Promise<OwnedRound | undefined> => {
      const round = (await this.rounds.getRound(tenantId, summary.roundId))?.value;
      if (!round) return undefined;
      const unitName = units.find((unit) => unit.id === round.schoolId)?.name ?? '';
      if (round.status !== 'open' && round.status !== 'closed') return { round, unitName };
      return { round, unitName, counts: roundCounts(round, await this.rounds.responses(tenantId, round.id)) };
    });
    return rows.filter((row): row is OwnedRound => row !== undefined);
  }

  /**
   * Calls off a planned round (its owner only): it is marked cancelled and
   * its opening withdrawn. A round that has opened is not cancelled (the
   * owner closes it instead); one cancelled already stays as it is, and its
   * opening is withdrawn again (nothing if it was), which mends a cancel
   * that stopped between the two.
   */
  async cancelRound(tenantId: string, roundId: string, actor: Actor): Promise<{ round: Round; outcome: CancelOutcome }> {
    await this.followUps.ownedRound(tenantId, roundId, actor);
    let outcome = 'cancelled' as CancelOutcome;
    const round = await changeStored(
      'round',
      () => this.rounds.getRound(tenantId, roundId),
      (value, eTag) => (outcome === 'cancelled' ? this.rounds.saveRound(value, eTag) : Promise.resolve()),
      (value) => {
        outcome = value.status === 'planned' ? 'cancelled' : value.status === 'cancelled' ? 'alreadyCancelled' : 'alreadyOpened';
        if (outcome !== 'cancelled') return;
        value.status = 'cancelled';
        value.cancelledAt = this.clock.now().toISOString();
      },
    );
    if (outcome !== 'alreadyOpened') await this.effects.roundCancelled(round);
    return { round, outcome };
  }

  /** Closes a running round before its last day (its owner only): as the last day's job does, the analysis goes to her in 1:1. */
  async closeNow(tenantId: string, roundId: string, actor: Actor): Promise<{ round: Round; changed: boolean }> {
    return this.followUps.closeRound(tenantId, roundId, actor);
  }
}
