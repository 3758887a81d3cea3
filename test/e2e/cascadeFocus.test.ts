import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VERBS } from '../../src/cards/verbs';
import { ORGANISATION_UNIT_ID } from '../../src/domain/organisation';
import { person, type Person, type TeamRef } from '../helpers/activities';
import type { ConnectorCall } from '../helpers/connector';
import { DEMO_ORGANISATION } from '../helpers/conversation';
import { botPerDescribe, type BotPerDescribeOptions, text } from '../helpers/frontDoor';
import { invitationTo, NILS_GOAL, startFormIn } from '../helpers/goalDialogue';
import { NILS, NORR_TEAM, PRINCIPALS_TEAM, RUT, VERA } from '../helpers/people';
import { rosterRule } from '../helpers/roster';

/**
 * The fokusområde in the cascade through the front door (the demo
 * organisation file): in the målsamtal with the principals, once Nils has
 * written Norrskolan's goal, the flow asks for the school's fokusområde;
 * the verksamhetschef sees the proposal with the goals and approves them;
 * the fokusområde becomes Norrskolan's (a new version linked to the school
 * goal the principal's goal became), and Nils's own målsamtal with his
 * teachers carries it into their invitations. Where the organisation file
 * lets principals own their school goals, Nils's own confirmation does what
 * the approval does, as a new version of the school's fokusområde.
 */

const MAJA = person('Maja Nord', 81);

const FOCUS = {
  title: 'Trygga raster och lugna övergångar',
  period: 'Läsåret 2026/27',
  why: 'Eleverna säger i trygghetsenkäten att rasterna är den otryggaste tiden på dagen',
};

/** The bot of the calling describe block (on `env`), with the steps both paths take. */
function cascadeBot(env?: BotPerDescribeOptions['env']) {
  const bot = botPerDescribe({
    ...(env ? { env } : {}),
    rules: [rosterRule(PRINCIPALS_TEAM.id, [VERA, RUT, NILS]), rosterRule(NORR_TEAM.id, [NILS, MAJA])],
  });
  const startForm = (team: TeamRef, from: Person, replyToId: string, data: Record<string, string>) =>
    bot.post(startFormIn(bot.connector.url, team, from, replyToId, data));
  return {
    bot,
    startForm,
    invitationTo: (who: Person) => invitationTo(bot.connector, who),
    /** Vera starts the målsamtal with the principals; Nils's invitation gives its id. */
    async startWithPrincipals(): Promise<string> {
      await bot.inChannel(PRINCIPALS_TEAM, VERA, 'starta målsamtal');
      await bot.connector.waitFor((c) => c.method === 'POST' && c.conversationId === PRINCIPALS_TEAM.id && text(c).includes('Starta målsamtal med rektorerna'));
      await startForm(PRINCIPALS_TEAM, VERA, 'form-p', {
        title: 'Målsamtal med rektorerna HT 2026',
        goalIds: 'trygghet,resultat',
        schoolId: ORGANISATION_UNIT_ID,
      });
      return (await invitationTo(bot.connector, NILS)).dialogueId;
    },
    /** Nils writes Norrskolan's goal in his 1:1 chat; once it is written, the flow asks for the school's fokusområde (that question). */
    async nilsWritesTheGoal(dialogueId: string): Promise<ConnectorCall> {
      await bot.press(NILS, VERBS.goalsBegin, { dialogueId });
      for (const words of ['1', NILS_GOAL.goal, NILS_GOAL.how, NILS_GOAL.evidence]) await bot.say(NILS, words);
      const since = Date.now();
      await bot.say(NILS, 'nej');
      const asked = await bot.connector.waitFor((c) => c.at >= since && c.method === 'POST' && text(c).includes('Skolans fokusområde'), 10_000);
      expect(text(asked)).toContain('Vilket fokusområde väljer ni på Norrskolan');
      return asked;
    },
  };
}

/**
 * Nils's målsamtal with Norrskolan's teachers shows the fokusområde in the
 * staff team and carries it into Maja's invitation; the principals' team
 * saw no goal and no fokusområde text.
 */
async function focusReachesTheTeachers(cascade: ReturnType<typeof cascadeBot>, dialogueId: string): Promise<void> {
  const { bot, startForm } = cascade;
  const { connector } = bot;
  await bot.inChannel(NORR_TEAM, NILS, 'fokusområde');
  const shown = await connector.waitFor((c) => c.method === 'POST' && c.conversationId === NORR_TEAM.id && text(c).includes(FOCUS.title), 10_000);
  expect(text(shown)).toContain(NILS_GOAL.goal);
  await startForm(NORR_TEAM, NILS, 'form-n', { title: 'Målsamtal HT 2026', goalIds: `${dialogueId}-1`, schoolId: 'norrskolan' });
  const { call: invitation } = await cascade.invitationTo(MAJA);
  expect(text(invitation)).toContain(`Skolans fokusområde: **${FOCUS.title}**`);

  for (const call of connector.calls.filter((c) => c.conversationId === PRINCIPALS_TEAM.id && c.method !== 'GET')) {
    for (const words of [NILS_GOAL.goal, NILS_GOAL.how, FOCUS.title, FOCUS.why]) expect(text(call)).not.toContain(words);
  }
}

describe('the fokusområde in the cascade end to end through /api/messages', () => {
  const cascade = cascadeBot();
  const { bot } = cascade;
  const inChat = (from: Person, verb: string, data: Record<string, unknown>) => bot.press(from, verb, data);

  test('when the manager approves a principal’s goals with a fokusområde then it becomes the school’s fokusområde, shown in the teachers’ invitations', async () => {
    const { stores } = bot;
    const dialogueId = await cascade.startWithPrincipals();

    // Nils writes Norrskolan's goal; once it is written, the flow asks for the school's fokusområde.
    const asked = await cascade.nilsWritesTheGoal(dialogueId);
    expect(text(asked)).toContain(`Mål 1: ${NILS_GOAL.goal}`);
    expect(text(asked)).toContain(VERBS.goalsFocusSave);

    // A fokusområde without a title comes back with the problem, nothing saved.
    const refused = await inChat(NILS, VERBS.goalsFocusSave, { dialogueId, title: '', period: FOCUS.period, why: FOCUS.why, goals: '1' });
    expect(refused).toContain('Skriv vad fokusområdet är.');
    expect((await stores.goalDialogues.getParticipation(dialogueId, NILS.aadObjectId))!.value.focusArea).toBeUndefined();
    // Saved, it shows on Nils's summary with a button to change it.
    const saved = await inChat(NILS, VERBS.goalsFocusSave, { dialogueId, ...FOCUS, goals: '1' });
    expect(saved).toContain(`Skolans fokusområde: ${FOCUS.title}`);
    expect(saved).toContain('Hör till mål 1');
    expect(saved).toContain('Ändra fokusområdet');
    // Pressing it opens the form with what he proposed.
    const again = await inChat(NILS, VERBS.goalsFocusEdit, { dialogueId });
    expect(again).toContain(FOCUS.why);
    const confirmed = await inChat(NILS, VERBS.goalsConfirm, { dialogueId });
    expect(confirmed).toContain(NILS_GOAL.goal);
    // Nothing is the school's before the manager approves.
    expect(await stores.schoolFocus.current('norrskolan', 'focusArea')).toBeUndefined();

    // The manager sees the proposal with the goals and approves them.
    const view = await inChat(VERA, VERBS.principalOpen, { dialogueId, teacher: NILS.aadObjectId });
    expect(view).toContain(`Föreslaget fokusområde: ${FOCUS.title}`);
    const approved = await inChat(VERA, VERBS.schoolGoalsApprove, { dialogueId, teacher: NILS.aadObjectId });
    expect(approved).toContain('Målen är mål för Norrskolan sedan');
    const focus = (await stores.schoolFocus.current('norrskolan', 'focusArea'))!;
    expect(focus.value).toEqual({ title: FOCUS.title, period: FOCUS.period, why: FOCUS.why, goalIds: [`${dialogueId}-1`] });
    expect(focus.version).toBe(1);
    expect(focus.updatedBy).toBe(VERA.aadObjectId);
    // Approving again changes nothing.
    await inChat(VERA, VERBS.schoolGoalsApprove, { dialogueId, teacher: NILS.aadObjectId });
    expect((await stores.schoolFocus.history('norrskolan', 'focusArea')).length).toBe(1);

    // Nils's målsamtal with Norrskolan's teachers carries the new fokusområde into Maja's invitation; the principals' team saw none of it.
    await focusReachesTheTeachers(cascade, dialogueId);
  }, 90_000);
});

/** The demo organisation file where principals own their school goals: their own confirmation makes them the school's. */
async function organisationWherePrincipalsOwnTheirGoals(): Promise<string> {
  const demo = await fs.readFile(DEMO_ORGANISATION, 'utf8');
  const owned = demo.replace(/^(\s*)principalsOwnSchoolGoals: false$/m, '$1principalsOwnSchoolGoals: true');
  expect(owned).not.toBe(demo);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'malbild-org-'));
  const file = path.join(dir, 'organisation.yaml');
  await fs.writeFile(file, owned);
  return file;
}

describe('the fokusområde in the cascade where principals own their school goals, end to end through /api/messages', () => {
  let organisationFile: string;

  beforeAll(async () => {
    organisationFile = await organisationWherePrincipalsOwnTheirGoals();
  });

  const cascade = cascadeBot(() => ({ ORGANISATION_FILE: organisationFile }));
  const { bot } = cascade;

  afterAll(async () => {
    await fs.rm(path.dirname(organisationFile), { recursive: true, force: true });
  });

  test('when the principal confirms goals with a fokusområde then it becomes the school’s new version at once, shown in the teachers’ invitations', async () => {
    const { connector, stores } = bot;
    const inChat = (from: Person, verb: string, data: Record<string, unknown>) => bot.press(from, verb, data);
    // Norrskolan already has a fokusområde, set by Nils in the staff team.
    const before = { title: 'Läsning i alla ämnen', period: 'HT 2026', why: 'Eleverna läser för lite på fritiden' };
    const setBefore = await bot.press(
      NILS,
      VERBS.focusAreaSave,
      { schoolId: 'norrskolan', version: 0, ...before, goals: 'trygga-raster' },
      'channel',
      NORR_TEAM,
    );
    expect(setBefore).toContain('Fokusområdet är sparat.');
    expect((await stores.schoolFocus.current('norrskolan', 'focusArea'))?.version).toBe(1);

    const dialogueId = await cascade.startWithPrincipals();
    const asked = await cascade.nilsWritesTheGoal(dialogueId);
    // The form starts from the school's current fokusområde.
    expect(text(asked)).toContain(before.why);

    // Saved, he is told it becomes the school's when he confirms; nothing is the school's before.
    const savedSince = Date.now();
    const saved = await inChat(NILS, VERBS.goalsFocusSave, { dialogueId, ...FOCUS, goals: '1' });
    expect(saved).toContain(`Skolans fokusområde: ${FOCUS.title}`);
    const told = await connector.waitFor((c) => c.at >= savedSince && c.method === 'POST' && text(c).includes('Fokusområdet är sparat'), 10_000);
    expect(text(told)).toContain('Det blir skolans när du bekräftar målen.');
    expect((await stores.schoolFocus.current('norrskolan', 'focusArea'))?.value.title).toBe(before.title);
    const fromThisDialogue = async () => (await stores.schoolGoals.list('norrskolan')).filter((goal) => goal.origin?.dialogueId === dialogueId);
    expect(await fromThisDialogue()).toEqual([]);

    // His confirmation makes the goal and the fokusområde Norrskolan's, with no approval by the manager.
    const confirmed = await inChat(NILS, VERBS.goalsConfirm, { dialogueId });
    expect(confirmed).toContain(NILS_GOAL.goal);
    const [schoolGoal] = await fromThisDialogue();
    expect(schoolGoal).toMatchObject({ id: `${dialogueId}-1`, status: 'active', version: 1, updatedBy: NILS.aadObjectId });
    const focus = (await stores.schoolFocus.current('norrskolan', 'focusArea'))!;
    expect(focus.value).toEqual({ title: FOCUS.title, period: FOCUS.period, why: FOCUS.why, goalIds: [`${dialogueId}-1`] });
    expect(focus.version).toBe(2);
    expect(focus.updatedBy).toBe(NILS.aadObjectId);
    // The same confirmation delivered again makes no third version; the first stays readable.
    await inChat(NILS, VERBS.goalsConfirm, { dialogueId });
    const history = await stores.schoolFocus.history('norrskolan', 'focusArea');
    expect(history.map((version) => version.value.title)).toEqual([before.title, FOCUS.title]);

    // Norrskolan's teachers see it: in the staff team and in Maja's invitation to Nils's målsamtal; the principals' team saw none of it.
    await focusReachesTheTeachers(cascade, dialogueId);
  }, 90_000);
});
