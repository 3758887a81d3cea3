import type { Running } from '../../src/index';
import { start } from '../../src/index';
import { createLogger } from '../../src/logger';
import { VERBS } from '../../src/cards/verbs';
import { cardAction, channelMention, person, personalMessage, PRINCIPAL, TEAM } from '../helpers/activities';
import { cardInCall, inputsOf } from '../helpers/cards';
import { testConfig } from '../helpers/bot';
import { type ConnectorCall, FakeConnector } from '../helpers/connector';
import { postActivity } from '../helpers/http';
import { writeGoalByTyping } from '../helpers/goalDialogue';
import { rosterRule } from '../helpers/roster';

/**
 * What the logs say at info: the program as it runs (src/logger.ts's
 * logger at info, written to a stream the test reads), driven through
 * /api/messages through a målsamtal with goals and notes written, the
 * school's goals edited and a learning group whose members answer a
 * check-in. Every name and every text typed is then looked for in the
 * output: the logs carry ids, never names, goal or answer text.
 */

const teachers = [person('Ingrid Västerlund', 71), person('Torbjörn Åkesson', 72)];
const facilitator = person('Solveig Norrgård', 73);
const everyone = [PRINCIPAL, ...teachers, facilitator];

/** Everything typed, each with a word of its own so it is found wherever it lands. */
const goalOf = (name: string) => ({
  goal: `${name.split(' ')[0]}s mål: eleverna förklarar räknesätten med konkret material zebraflöjt`,
  how: `${name.split(' ')[0]}s hur: jag börjar varje lektion med ett vardagsproblem pelikanvals`,
  evidence: `${name.split(' ')[0]}s belägg: exit tickets varje fredag kardemummakrans`,
});
const NOTES = 'Samtalet gick bra, vi följer upp i januari lingonskog';
const SCHOOL_GOAL = 'Alla elever läser minst tjugo minuter om dagen vattenkanna';
const GROUP_NAME = 'Tallriksmodellens lärgrupp';
const answerOf = (name: string) => ({
  tried: `${name} prövade kamratrespons blåbärsmoln`,
  happened: `Eleverna skrev mer ${name} solfjäder`,
  evidence: '',
  ask: '',
});

/** Lower case, no accents, anything but letters and digits as one dash: how a text looks in an id or a key. */
function slug(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
}

function text(call: ConnectorCall | undefined): string {
  return JSON.stringify(call?.body);
}

describe('the logs at info through whole flows', () => {
  let connector: FakeConnector;
  let running: Running;
  const output: string[] = [];

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    connector.addRule(rosterRule(TEAM.id, everyone));
    const logger = createLogger('info', { write: (line: string) => output.push(line) });
    running = await start(testConfig({ LOG_LEVEL: 'info' }), logger, { host: '127.0.0.1' });
  });

  afterAll(async () => {
    await running?.stop();
    await connector?.stop();
  });

  const post = (activity: unknown) => postActivity(running, activity);

  test('when a målsamtal and a learning group run their course then no name, goal, note or answer reaches the log at info', async () => {
    const serviceUrl = connector.url;

    // The principal adds a school goal and starts a dialogue in the staff channel.
    await post(personalMessage({ serviceUrl, from: PRINCIPAL, text: 'skolans mål' }));
    await post(
      cardAction({
        serviceUrl,
        from: PRINCIPAL,
        verb: VERBS.schoolGoalSave,
        where: 'personal',
        data: { schoolId: 'exempelskolan', goalId: '', version: '0', title_new: SCHOOL_GOAL, serves_new: 'trygghet' },
      }),
    );
    await post(channelMention({ serviceUrl, from: PRINCIPAL, text: 'starta målsamtal' }));
    await post(
      cardAction({
        serviceUrl,
        from: PRINCIPAL,
        verb: VERBS.dialogueStart,
        where: 'channel',
        replyToId: 'form-1',
        data: {
          title: 'Målsamtal HT',
          goalIds: 'studiero',
          deadline: '2099-06-01',
          participantMode: 'chosen',
          participantIds: teachers.map((t) => t.aadObjectId).join(','),
          reminders: 'true',
        },
      }),
    );

    // Each teacher writes and confirms goals in 1:1, by card and by typing.
    let dialogueId = '';
    for (const teacher of teachers) {
      const invitation = await connector.waitFor((c) => c.method === 'POST' && text(c).includes(`Hej ${teacher.name.split(' ')[0]}!`), 15_000);
      dialogueId = /"dialogueId":"([^"]+)"/.exec(text(invitation))?.[1] ?? '';
      expect(await writeGoalByTyping(post, serviceUrl, teacher, dialogueId, goalOf(teacher.name))).toContain('zebraflöjt');
    }

    // The principal reads a teacher's goals and writes notes in her 1:1 chat.
    await post(personalMessage({ serviceUrl, from: PRINCIPAL, text: 'visa mål' }));
    const opened = await post(
      cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.principalOpen, where: 'personal', data: { dialogueId, teacher: teachers[1]!.aadObjectId } }),
    );
    expect(opened).toContain('zebraflöjt');
    await post(
      cardAction({
        serviceUrl,
        from: PRINCIPAL,
        verb: VERBS.principalNotes,
        where: 'personal',
        data: { dialogueId, teacher: teachers[1]!.aadObjectId, notes: NOTES, talkHeldOn: '' },
      }),
    );

    // A learning group: created in the channel, a check-in posted and answered by its members.
    await post(channelMention({ serviceUrl, from: facilitator, text: 'ny lärgrupp' }));
    const formCall = await connector.waitFor((c) => c.method === 'POST' && c.conversationId === TEAM.id && text(c).includes('Ny lärgrupp'), 10_000);
    const form = inputsOf(cardInCall(formCall));
    const members = [facilitator, ...teachers];
    await post(
      cardAction({
        serviceUrl,
        from: facilitator,
        verb: VERBS.groupSave,
        where: 'channel',
        replyToId: 'form-2',
        data: { ...form, groupId: '', name: GROUP_NAME, members: members.map((m) => m.aadObjectId).join(','), privacy: 'named' },
      }),
    );
    await post(channelMention({ serviceUrl, from: facilitator, text: 'incheckning' }));
    const checkInCall = await connector.waitFor((c) => c.method === 'POST' && c.conversationId === TEAM.id && text(c).includes(' av 3 har svarat'), 10_000);
    const checkInId = /"checkInId":"([^"]+)"/.exec(text(checkInCall))?.[1] ?? '';
    for (const member of members) {
      expect(
        await post(cardAction({ serviceUrl, from: member, verb: VERBS.checkInAnswer, where: 'channel', data: { checkInId, ...answerOf(member.name) } })),
      ).toContain('Tack!');
    }
    await post(channelMention({ serviceUrl, from: teachers[0]!, text: 'lärgrupp logg' }));
    // Crafted and failing actions are logged too: a card that does not parse, one from outside the group.
    await post(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.checkInAnswer, where: 'channel', data: { checkInId, ...answerOf(PRINCIPAL.name) } }));
    await post(
      cardAction({
        serviceUrl,
        from: teachers[0]!,
        verb: VERBS.goalsAnswer,
        where: 'personal',
        data: { dialogueId, goalIndex: 'x', answer: goalOf(teachers[0]!.name).goal },
      }),
    );

    // The log has lines at info, with ids…
    const lines = output.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.some((line) => line.dialogueId === dialogueId)).toBe(true);
    expect(lines.every((line) => typeof line.level === 'number' && line.level >= 30)).toBe(true);
    // …and nothing typed, and no one's name.
    const typed = [
      ...teachers.flatMap((t) => Object.values(goalOf(t.name))),
      NOTES,
      SCHOOL_GOAL,
      GROUP_NAME,
      ...members.flatMap((m) => Object.values(answerOf(m.name)).filter(Boolean)),
    ];
    const words = ['zebraflöjt', 'pelikanvals', 'kardemummakrans', 'lingonskog', 'vattenkanna', 'Tallriksmodellens', 'blåbärsmoln', 'solfjäder'];
    const names = everyone.flatMap((p) => [p.name, ...p.name.split(' ')]);
    const lineWith = (found: string) => output.find((line) => line.includes(found));
    for (const found of [...typed, ...words, ...names]) expect({ found, in: lineWith(found) }).toEqual({ found, in: undefined });
    // Nor as part of an id or a key made from it (a slug, a UPN): the beginning of each text and each full name, spelled as in a slug.
    const slugged = output.map(slug);
    for (const found of [...typed, ...everyone.map((p) => p.name)]) {
      const start = slug(found).slice(0, 16);
      expect({ found, in: slugged.find((line) => line.includes(start)) }).toEqual({ found, in: undefined });
    }
  }, 120_000);
});
