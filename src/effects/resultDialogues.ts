// The resultatdialog's part of the follow-up delivery (src/effects/followUps.ts): the principals' indicator cards when the round opens, the owner's side-by-side view when it closes, the channel's count.
import { roundTitle } from '../cards/followUps';
import { formatDate } from '../cards/goalViews';
import { resultAnswerCard, resultDialogueViewCards } from '../cards/resultDialogue';
import type { Round, RoundParticipant } from '../domain/followUp';
import { isResultDialogue } from '../domain/resultDialogue';
import type { SchoolPart, SideBySide } from '../domain/resultDialogueService';
import { type Language, stringsFor, type Strings } from '../i18n';
import type { DeliveryTarget, NewRecipient } from '../proactive';
import { cardActivity } from './activities';

/** What the delivery asks of the resultatdialog's use cases (ResultDialogueService); absent, a round is only a follow-up. */
export interface ResultDialogueSteps {
  partOf(round: Round, aadObjectId: string): Promise<SchoolPart[]>;
  sideBySideOf(round: Round): Promise<SideBySide | undefined>;
  counts(round: Round): Promise<{ done: number; total: number }>;
}

/** The outbox job that sends the owner the side-by-side view when the round closes. */
export const RESULT_VIEW_JOB = 'resultdialogue-view';

/**
 * One card per indicator of each school the participant leads, keyed by
 * participant, school and indicator (a run repeated after a crash queues
 * nothing twice). Nothing when the round is no resultatdialog.
 */
export async function resultCardRecipients(
  steps: ResultDialogueSteps | undefined,
  round: Round,
  person: RoundParticipant,
  target: DeliveryTarget,
  language: Language,
): Promise<NewRecipient[]> {
  const parts = (await steps?.partOf(round, person.aadObjectId)) ?? [];
  const strings = stringsFor(language);
  const c = strings.resultDialogue.card;
  return parts.flatMap((part) =>
    part.items.map((item, index) => {
      const card = resultAnswerCard(strings, language, {
        round,
        item,
        number: index + 1,
        of: part.items.length,
        ...(index === 0 ? { intro: c.intro(round.owner.name, roundTitle(strings, round), formatDate(round.lastDay, language)) } : {}),
      });
      const summary = c.greeting(person.name.split(' ')[0] ?? person.name);
      return { key: `${person.aadObjectId}|result|${part.school.id}|${item.indicator.id}`, target, activity: cardActivity(card, summary) };
    }),
  );
}

/** The owner's side-by-side view, a recipient row per card (keyed by page). Nothing when the round is no resultatdialog. */
export async function sideBySideRecipients(
  steps: ResultDialogueSteps | undefined,
  round: Round,
  target: DeliveryTarget,
  language: Language,
): Promise<NewRecipient[]> {
  const view = await steps?.sideBySideOf(round);
  if (!view) return [];
  const strings = stringsFor(language);
  const summary = strings.resultDialogue.view.summary(roundTitle(strings, round));
  return resultDialogueViewCards(strings, language, view).map((card, index) => ({
    key: `${round.owner.aadObjectId}|${String(index + 1).padStart(3, '0')}`,
    target,
    activity: cardActivity(card, summary),
  }));
}

/** The status card's line for a resultatdialog: how many schools have answered, counts only. Empty otherwise. */
export async function resultStatusNote(steps: ResultDialogueSteps | undefined, round: Round, strings: Strings): Promise<string> {
  if (!steps || !isResultDialogue(round)) return '';
  const { done, total } = await steps.counts(round);
  return strings.resultDialogue.status(done, total);
}
