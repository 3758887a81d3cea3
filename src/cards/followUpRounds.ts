import type { OwnedRound } from '../domain/followUpRounds';
import type { Language, Strings } from '../i18n';
import { roundTitle } from './followUps';
import { formatDate } from './goalViews';
import { type AdaptiveCard, expandCard } from './render';
import { VERBS } from './verbs';

/**
 * The owner's list of follow-up rounds (adaptiveCards/followUpRounds.json),
 * in 1:1 only: each round's state in counts (no answer text), and behind a
 * question that must be confirmed, "Ställ in" for a planned round and
 * "Stäng nu" for a running one; the analysis of one that has opened.
 */

/** Rows on the card: every planned and open round comes first in the domain's list, then the latest finished ones. */
const ROUNDS_SHOWN = 15;

export function followUpRoundsCard(strings: Strings, language: Language, rounds: readonly OwnedRound[], notice = ''): AdaptiveCard {
  const l = strings.followUpRounds.list;
  const date = (iso: string | undefined) => formatDate((iso ?? '').slice(0, 10) || '1970-01-01', language);
  const severalUnits = new Set(rounds.map((row) => row.round.schoolId)).size > 1;
  return expandCard('followUpRounds', {
    title: l.title,
    intro: l.intro,
    notice,
    empty: rounds.length === 0 ? l.none : '',
    labels: {
      cancel: l.cancel,
      cancelQuestion: l.cancelQuestion,
      cancelConfirm: l.cancelConfirm,
      closeNow: l.closeNow,
      closeQuestion: l.closeQuestion,
      closeConfirm: l.closeConfirm,
      analysis: l.analysis,
    },
    verbs: { cancel: VERBS.followUpCancel, closeNow: VERBS.followUpCloseNow, analysis: VERBS.followUpAnalysis },
    rounds: rounds.slice(0, ROUNDS_SHOWN).map(({ round, unitName, counts }) => {
      const done = counts?.done ?? 0;
      const total = counts?.total ?? 0;
      const state = {
        planned: () => l.planned(formatDate(round.startsOn ?? round.createdAt.slice(0, 10), language), formatDate(round.lastDay, language)),
        open: () => l.open(done, total, formatDate(round.lastDay, language)),
        closed: () => l.closed(date(round.closedAt), done, total),
        cancelled: () => l.cancelled(date(round.cancelledAt)),
      }[round.status]();
      return {
        roundId: round.id,
        title: roundTitle(strings, round),
        unit: severalUnits ? unitName : '',
        state,
        canCancel: round.status === 'planned',
        canClose: round.status === 'open',
        canAnalyse: round.status === 'open' || round.status === 'closed',
      };
    }),
  });
}
