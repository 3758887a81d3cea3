import { VERBS } from '../../src/cards/verbs';
import type { Member } from '../../src/domain/goalDialogueService';
import type { Stores } from '../../src/storage';
import { cardAction, type Person, personalMessage, PRINCIPAL, type TeamRef, TENANT_ID } from './activities';
import type { ConnectorCall, FakeConnector } from './connector';
import { eventually } from './eventually';
import { type FrontDoor, text } from './frontDoor';

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

/** The goal Norrskolan's principal (NILS) writes in the målsamtal with the principals, as the cascade tests have him write it. */
export const NILS_GOAL = {
  goal: 'Alla elever på Norrskolan känner sig trygga på rasterna och i klassrummet',
  how: 'Rektor leder ett gemensamt arbete med rastvärdar och tydliga regler som eleverna är med och formar',
  evidence: 'Trygghetsenkäten varje termin och elevrådets återkoppling efter varje månad',
};

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

/**
 * A målsamtal that `principal` starts in `team`'s channel with the start form
 * of START_FORM_VALUES (`data` overrides fields), each of `people` then
 * writing one goal in their 1:1 chat, serving the school goal `choice` names
 * ('1' or '2'), and confirming it. The dialogue's id.
 */
export async function dialogueWithGoals(
  bot: Pick<FrontDoor, 'press' | 'say'> & { stores: Stores },
  team: TeamRef,
  principal: Person,
  people: Person[],
  data: Record<string, string>,
  choice: (teacher: Person) => string = () => '1',
): Promise<string> {
  const { press, say, stores } = bot;
  await press(principal, VERBS.dialogueStart, { ...START_FORM_VALUES, ...data }, 'channel', team);
  const dialogueId = await eventually(async () => (await stores.goalDialogues.dialoguesOfSchool(TENANT_ID, data.schoolId!))[0]?.dialogueId);
  for (const teacher of people) {
    await eventually(async () => (await stores.goalDialogues.getParticipation(dialogueId, teacher.aadObjectId)) !== undefined);
    await press(teacher, VERBS.goalsBegin, { dialogueId });
    await say(teacher, choice(teacher));
    await say(teacher, `${teacher.name}s elever arbetar i lugn och ro hela lektionen`);
    await say(teacher, 'Jag börjar varje lektion med en tydlig struktur och ett mål på tavlan');
    await say(teacher, 'Jag räknar hur många som kommer igång inom fem minuter varje vecka');
    await say(teacher, 'nej');
    expect(await press(teacher, VERBS.goalsConfirm, { dialogueId })).toContain(`${teacher.name}s elever arbetar`);
  }
  return dialogueId;
}

/**
 * `from` submits the start form in `team`'s channel, answering the form card
 * `replyToId`: everyone, no reminders, a deadline 20 days on; `data` gives
 * the title, the goals and the unit (and may override the rest).
 */
export function startFormIn(serviceUrl: string, team: TeamRef, from: Person, replyToId: string, data: Record<string, string>) {
  return cardAction({
    serviceUrl,
    from,
    verb: VERBS.dialogueStart,
    where: 'channel',
    team,
    replyToId,
    data: { title: '', deadline: localDatePlus(20), participantMode: 'everyone', participantIds: '', reminders: 'false', ...data },
  });
}

/** The invitation the bot sent `who` (greeted by first name) within 15 s, and the dialogue id its buttons carry ('' when none). */
export async function invitationTo(connector: FakeConnector, who: Person): Promise<{ call: ConnectorCall; dialogueId: string }> {
  const call = await connector.waitFor((c) => c.method === 'POST' && text(c).includes(`Hej ${who.name.split(' ')[0]}!`), 15_000);
  return { call, dialogueId: /"dialogueId":"([^"]+)"/.exec(text(call))?.[1] ?? '' };
}
