import { VERBS } from '../../src/cards/verbs';
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
