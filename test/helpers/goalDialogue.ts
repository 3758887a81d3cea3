import { VERBS } from '../../src/cards/verbs';
import type { Member } from '../../src/domain/goalDialogueService';
import { cardAction, type Person, personalMessage, PRINCIPAL } from './activities';

/** The local date (Europe/Stockholm) `days` from now, as the start form's deadline takes it. */
export function localDatePlus(days: number): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date(Date.now() + days * 86_400_000));
}

/** The principal submits the start form in the staff channel: everyone, two goals, a deadline 20 days on; `data` overrides fields. */
export function startFormSubmit(serviceUrl: string, replyToId: string, data: Record<string, string> = {}) {
  return cardAction({
    serviceUrl,
    from: PRINCIPAL,
    verb: VERBS.dialogueStart,
    where: 'channel',
    replyToId,
    data: {
      title: 'Målsamtal HT',
      goalIds: 'studiero,las-och-skriv',
      deadline: localDatePlus(20),
      participantMode: 'everyone',
      participantIds: '',
      reminders: 'true',
      schoolId: 'exempelskolan',
      ...data,
    },
  });
}

/**
 * A teacher writes one goal in their 1:1 chat: begins from the invitation's
 * card, types the goal, how and evidence, declines a second goal and
 * confirms. Returns the bot's answer to the confirm.
 */
export async function writeGoalByTyping(
  post: (activity: unknown) => Promise<string>,
  serviceUrl: string,
  teacher: Person,
  dialogueId: string,
  answers: { goal: string; how: string; evidence: string },
): Promise<string> {
  const card = (verb: string) => cardAction({ serviceUrl, from: teacher, verb, where: 'personal', data: { dialogueId } });
  const say = (words: string) => post(personalMessage({ serviceUrl, from: teacher, text: words }));
  await post(card(VERBS.goalsBegin));
  await say('1');
  await say(answers.goal);
  await say(answers.how);
  await say(answers.evidence);
  await say('nej');
  return post(card(VERBS.goalsConfirm));
}

/** The roster Teams reports for these people: each greeted by the first word of their name. */
export function rosterOf(people: Person[]): Member[] {
  return people.map((p) => ({ aadObjectId: p.aadObjectId, userId: p.id, name: p.name, givenName: p.name.split(' ')[0] }));
}

/** An answer long enough to need no follow-up question. */
export function longAnswer(what: string): string {
  return `${what}: eleverna beskriver sitt lärande med egna ord i varje lektion`;
}

/** The start form's values for a dialogue on a fixed clock (1 September 2026): everyone, two goals, last day 30 September. */
export const START_FORM_VALUES = {
  title: 'Målsamtal HT 2026',
  goalIds: 'studiero,las-och-skriv',
  deadline: '2026-09-30',
  participantMode: 'everyone',
  participantIds: '',
  reminders: 'true',
  schoolId: 'exempelskolan',
};
