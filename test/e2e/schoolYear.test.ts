import { VERBS } from '../../src/cards/verbs';
import { person, type Person, PRINCIPAL, TEAM, TENANT_ID } from '../helpers/activities';
import { botPerDescribe, drivenClock, text } from '../helpers/frontDoor';
import { startFormSubmit } from '../helpers/goalDialogue';
import { rosterRule } from '../helpers/roster';

/**
 * The change of läsår through the front door (the demo organisation: läsår
 * 2026-27 and 2027-28), on a clock that runs on from a chosen moment: a
 * teacher confirms goals in a dialogue of 2026-27; the clock moves into
 * 2027-28 and the principal starts a new dialogue; the teacher starts
 * clean, starts from last läsår's goals once (a double click and a
 * redelivery copy nothing more), changes one part and confirms; last
 * läsår's goals stay readable, as does the goal map of each läsår.
 */

const ANNA = person('Anna Lindqvist', 71);
const ERIK = person('Erik Johansson', 72);
const ANNAS_GOAL = {
  goal: 'Eleverna i 4B läser varje dag och berättar för en kamrat vad de har läst',
  how: 'Jag avsätter tjugo minuter varje morgon till läsning och korta boksamtal',
  evidence: 'Läsloggar och ett kort samtal med varje elev en gång i månaden',
};
const NEW_HOW = 'Jag låter eleverna välja böcker själva och håller boksamtal i smågrupper varje fredag';
const LAS_OCH_SKRIV = 'Fler elever når kunskapskraven i svenska och matematik i åk 6';

describe('the change of läsår end to end through /api/messages', () => {
  // A school day at 10:00 in Stockholm, running on with real time; moved forward a year in the test.
  const { now, setClock } = drivenClock('2026-09-01T08:00:00Z');
  const bot = botPerDescribe({ now, rules: [rosterRule(TEAM.id, [PRINCIPAL, ANNA, ERIK])] });
  const { post, say } = bot;
  const click = (from: Person, verb: string, data: Record<string, unknown>, id?: string) =>
    id ? bot.pressAs(id, from, verb, data) : bot.press(from, verb, data);
  /** The next message the bot sends into a person's 1:1 chat after call number `from` that says `words`. */
  const toChat = (who: Person, words: string, from: number) =>
    bot.connector.waitFor(
      (c) => bot.connector.calls.indexOf(c) >= from && c.method === 'POST' && c.conversationId === `a:personal-${who.id}` && text(c).includes(words),
      15_000,
    );

  /** The principal starts a dialogue in the staff channel; returns the dialogue id from the invitation to Anna. */
  async function startDialogue(formId: string, data: Record<string, string>): Promise<string> {
    const { connector } = bot;
    const before = connector.calls.length;
    await bot.inChannel(TEAM, PRINCIPAL, 'starta målsamtal');
    await connector.waitFor(
      (c) => connector.calls.indexOf(c) >= before && c.method === 'POST' && c.conversationId === TEAM.id && text(c).includes('Starta målsamtal'),
    );
    expect(await post(startFormSubmit(connector.url, formId, data))).toContain('Målsamtalet är startat.');
    const invitation = await connector.waitFor(
      (c) => connector.calls.indexOf(c) >= before && c.method === 'POST' && c.conversationId !== TEAM.id && text(c).includes('Hej Anna!'),
      15_000,
    );
    // The invitation of a new läsår does not show last läsår's goals as hers.
    expect(text(invitation)).not.toContain(ANNAS_GOAL.how);
    return /"dialogueId":"([^"]+)"/.exec(text(invitation))?.[1] ?? '';
  }

  test('a teacher’s goals of 2026-27 carry over once into a dialogue of 2027-28, stay readable, and each läsår has its goal map', async () => {
    const { connector, stores } = bot;
    // 2026-27: Anna writes a goal serving two school goals and confirms.
    const first = await startDialogue('form-2026', { title: 'Målsamtal HT 2026', goalIds: 'studiero,las-och-skriv', deadline: '2026-09-30' });
    await click(ANNA, VERBS.goalsBegin, { dialogueId: first });
    await say(ANNA, '1 och 2');
    await say(ANNA, ANNAS_GOAL.goal);
    await say(ANNA, ANNAS_GOAL.how);
    await say(ANNA, ANNAS_GOAL.evidence);
    await say(ANNA, 'nej');
    expect(await click(ANNA, VERBS.goalsConfirm, { dialogueId: first })).toContain(ANNAS_GOAL.how);
    expect((await stores.goalDialogues.getDialogue(TENANT_ID, first))?.value.schoolYearId).toBe('2026-27');

    // A year on, 2027-28: the principal starts a new dialogue, offering only one of last year's school goals.
    setClock(new Date(now().getTime() + Date.parse('2027-09-01T08:00:00Z') - Date.parse('2026-09-01T08:00:00Z')));
    const second = await startDialogue('form-2027', { title: 'Målsamtal HT 2027', goalIds: 'studiero', deadline: '2027-09-30' });
    expect((await stores.goalDialogues.getDialogue(TENANT_ID, second))?.value.schoolYearId).toBe('2027-28');

    // `mina mål` is this läsår's: clean, with the way to last läsår's.
    let mark = connector.calls.length;
    await say(ANNA, 'mina mål');
    const mine = await toChat(ANNA, 'Mina mål', mark);
    expect(text(mine)).not.toContain(ANNAS_GOAL.how);
    expect(text(mine)).toContain('mina mål förra läsåret');

    // She begins: the first question, and one offer to start from last läsår's goals. Erik, with none, gets no offer.
    mark = connector.calls.length;
    const question = await click(ANNA, VERBS.goalsBegin, { dialogueId: second });
    expect(question).not.toContain(ANNAS_GOAL.how);
    const offer = await toChat(ANNA, 'Utgå från förra läsårets mål', mark);
    expect(text(offer)).toContain('Förra läsåret, 2026-27, bekräftade du ett mål');
    expect(text(offer)).toContain(VERBS.goalsCarryOver);
    const erikMark = connector.calls.length;
    await click(ERIK, VERBS.goalsBegin, { dialogueId: second });
    expect(connector.calls.slice(erikMark).some((c) => text(c).includes('Utgå från förra läsårets mål'))).toBe(false);

    // A double click (two activities at once) and a redelivery of the first: copied once.
    mark = connector.calls.length;
    const [one, two] = await Promise.all([
      click(ANNA, VERBS.goalsCarryOver, { dialogueId: second, version: 0 }, 'carry-1'),
      click(ANNA, VERBS.goalsCarryOver, { dialogueId: second, version: 0 }, 'carry-2'),
    ]);
    expect(`${one}${two}`).toContain(ANNAS_GOAL.how);
    await click(ANNA, VERBS.goalsCarryOver, { dialogueId: second, version: 0 }, 'carry-1');
    const done = await toChat(ANNA, 'från förra läsåret är nu ditt utkast', mark);
    expect(text(done)).toContain(LAS_OCH_SKRIV);
    expect(text(done)).toContain('följde inte med');
    const told = connector.calls.slice(mark).filter((c) => c.method === 'POST' && text(c).includes('från förra läsåret är nu ditt utkast'));
    expect(told).toHaveLength(1);
    let anna = (await stores.goalDialogues.getParticipation(second, ANNA.aadObjectId))!.value;
    expect(anna.goals).toHaveLength(1);
    expect(anna.goals[0]).toMatchObject({ goal: ANNAS_GOAL.goal, how: ANNAS_GOAL.how, evidence: ANNAS_GOAL.evidence, schoolGoalIds: ['studiero'] });
    expect(anna.carriedOver?.dialogueId).toBe(first);
    expect(anna.status).toBe('in-progress');

    // Still hers to change before she confirms: a new "how", then confirm.
    await click(ANNA, VERBS.goalsEdit, { dialogueId: second, goalIndex: 0, step: 'how' });
    await say(ANNA, NEW_HOW);
    const confirmed = await click(ANNA, VERBS.goalsConfirm, { dialogueId: second });
    expect(confirmed).toContain(NEW_HOW);
    anna = (await stores.goalDialogues.getParticipation(second, ANNA.aadObjectId))!.value;
    expect(anna).toMatchObject({ status: 'done', versions: 1 });
    expect(anna.goals[0]).toMatchObject({ goal: ANNAS_GOAL.goal, how: NEW_HOW });
    // Last läsår's goals are as they were.
    expect((await stores.goalDialogues.getParticipation(first, ANNA.aadObjectId))!.value.goals[0]?.how).toBe(ANNAS_GOAL.how);

    // `mina mål förra läsåret` and `mina mål 2026-27`: last läsår's goals, read-only.
    for (const words of ['mina mål förra läsåret', 'mina mål 2026-27']) {
      mark = connector.calls.length;
      await say(ANNA, words);
      const old = await toChat(ANNA, 'Mina mål · Läsåret 2026/27', mark);
      expect(text(old)).toContain(ANNAS_GOAL.how);
      expect(text(old)).not.toContain(NEW_HOW);
      expect(text(old)).not.toContain(VERBS.goalsBegin);
      expect(text(old)).toContain('kan läsas men inte ändras');
    }

    // An unknown läsår is named, with the läsår there are.
    mark = connector.calls.length;
    await say(ANNA, 'mina mål 2019-20');
    const unknown = await toChat(ANNA, 'finns inte i organisationsfilen', mark);
    expect(text(unknown)).toContain('2019-20');
    expect(text(unknown)).toContain('**2026-27** (Läsåret 2026/27)');
    expect(text(unknown)).toContain('**2027-28** (Läsåret 2027/28)');

    // The goal map: this läsår by default, with a button to last läsår's; last läsår's by its id or the button.
    mark = connector.calls.length;
    await say(ANNA, 'målbild');
    const map = await toChat(ANNA, 'Din målbild', mark);
    expect(text(map)).toContain('Läsåret 2027/28');
    expect(text(map)).toContain('Målsamtal HT 2027');
    expect(text(map)).toContain('"year":"2026-27"');
    mark = connector.calls.length;
    await say(ANNA, 'målbild 2026-27');
    const lastYearMap = await toChat(ANNA, 'Din målbild', mark);
    expect(text(lastYearMap)).toContain('Läsåret 2026/27');
    expect(text(lastYearMap)).toContain('Målsamtal HT 2026');
    expect(text(lastYearMap)).toContain(LAS_OCH_SKRIV);
    const pressed = await click(ANNA, VERBS.goalMapShow, { view: 'mine', year: '2026-27' });
    expect(pressed).toContain('Målsamtal HT 2026');
    mark = connector.calls.length;
    await say(ANNA, 'goal map 2030-31');
    expect(text(await toChat(ANNA, 'finns inte i organisationsfilen', mark))).toContain('2030-31');

    // The principal's map of each läsår: counts, never Anna's words.
    for (const [words, year] of [
      ['målbild', 'Läsåret 2027/28'],
      ['målbild förra läsåret', 'Läsåret 2026/27'],
    ] as const) {
      mark = connector.calls.length;
      await say(PRINCIPAL, words);
      const principalMap = await toChat(PRINCIPAL, 'Skolans målbild', mark);
      expect(text(principalMap)).toContain(year);
      expect(text(principalMap)).toContain('1 lärare har skrivit mål det här läsåret');
      expect(text(principalMap)).not.toContain(ANNAS_GOAL.goal);
    }

    // No goal text in the channel in either läsår.
    for (const call of connector.calls.filter((c) => c.conversationId === TEAM.id && c.method !== 'GET')) {
      for (const words of [ANNAS_GOAL.goal, ANNAS_GOAL.how, NEW_HOW]) expect(text(call)).not.toContain(words);
    }
  }, 120_000);
});
