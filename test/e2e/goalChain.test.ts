import { VERBS } from '../../src/cards/verbs';
import { ORGANISATION_UNIT_ID } from '../../src/domain/organisation';
import { loadOrganisation } from '../../src/organisation/loadOrganisation';
import { person, type Person, type TeamRef, TENANT_ID } from '../helpers/activities';
import { DEMO_ORGANISATION } from '../helpers/conversation';
import { botPerDescribe, text } from '../helpers/frontDoor';
import { invitationTo as invitationIn, NILS_GOAL, startFormIn, writeGoalByTyping } from '../helpers/goalDialogue';
import { NILS, NORR_TEAM, PRINCIPALS_TEAM, RUT, VERA } from '../helpers/people';
import { rosterRule } from '../helpers/roster';

/**
 * The cascade through the front door (demo organisation file): the
 * verksamhetschef starts a målsamtal with the principals in the principals'
 * team; a principal writes the school's goals in 1:1; the manager approves
 * them and they become the school's goals; the principal's own målsamtal
 * with the teachers offers them, and a teacher's goal links through all four
 * levels: teacher goal → school goal → overarching goal → framework item.
 */

const teachers = [person('Maja Nord', 61), person('Olle Nord', 62)];

const MAJA_GOAL = {
  goal: 'Eleverna i min klass känner sig trygga att säga vad de tycker på lektionerna',
  how: 'Jag använder strukturerade samtal i par innan vi talar i helklass varje lektion',
  evidence: 'Jag följer hur många som yttrar sig och frågar eleverna i en kort enkät varje månad',
};

describe('the goal chain end to end through /api/messages', () => {
  const bot = botPerDescribe({ rules: [rosterRule(PRINCIPALS_TEAM.id, [VERA, RUT, NILS]), rosterRule(NORR_TEAM.id, [NILS, ...teachers])] });
  const { post, inChannel } = bot;
  const startForm = (team: TeamRef, from: Person, replyToId: string, data: Record<string, string>) =>
    post(startFormIn(bot.connector.url, team, from, replyToId, data));
  const inChat = (from: Person, verb: string, data: Record<string, unknown>, id?: string) =>
    id ? bot.pressAs(id, from, verb, data) : bot.press(from, verb, data);
  const invitationTo = (who: Person) => invitationIn(bot.connector, who);

  test('a manager’s målsamtal with two principals becomes a school’s goals, which its teachers’ goals then serve', async () => {
    const { connector, stores } = bot;
    // A principal may not start the principals' målsamtal.
    await inChannel(PRINCIPALS_TEAM, RUT, 'starta målsamtal');
    const refused = await connector.waitFor(
      (c) => c.method === 'POST' && c.conversationId === PRINCIPALS_TEAM.id && text(c).includes('Bara verksamhetschefen'),
    );
    expect(text(refused)).toContain('Bara verksamhetschefen kan starta målsamtal med rektorerna');

    // The manager asks for the form in the principals' team: the overarching goals are offered.
    await inChannel(PRINCIPALS_TEAM, VERA, 'starta målsamtal');
    const form = await connector.waitFor(
      (c) => c.method === 'POST' && c.conversationId === PRINCIPALS_TEAM.id && text(c).includes('Starta målsamtal med rektorerna'),
    );
    expect(text(form)).toContain('En skola där alla kan och vill vara');
    expect(text(form)).toContain('Nils Norberg');

    const submitted = await startForm(PRINCIPALS_TEAM, VERA, 'form-p', {
      title: 'Målsamtal med rektorerna HT 2026',
      goalIds: 'trygghet,resultat',
      schoolId: ORGANISATION_UNIT_ID,
    });
    expect(submitted).toContain('Målsamtalet är startat');
    expect(submitted).toContain('Den som startade målsamtalet följer målen');
    // The status card is a post of its own in the principals' team.
    await connector.waitFor((c) => c.method === 'POST' && c.conversationId === PRINCIPALS_TEAM.id && text(c).includes('0 av 2 har skrivit sina mål'), 15_000);

    // Both principals are invited in 1:1, in the words of this level.
    const rutInvitation = await invitationTo(RUT);
    const { call: nilsInvitation, dialogueId: principalsDialogue } = await invitationTo(NILS);
    expect(rutInvitation.dialogueId).toBe(principalsDialogue);
    expect(text(nilsInvitation)).toContain('Vera Verksamhetschef');
    expect(text(nilsInvitation)).toContain('De övergripande målen');

    // Nils writes the school's goal (overarching goal 1: trygghet) and confirms.
    const confirmed = await writeGoalByTyping(post, connector.url, NILS, principalsDialogue, NILS_GOAL);
    expect(confirmed).toContain(NILS_GOAL.goal);

    // Rut cannot approve Nils's goals by crafting the manager's invoke.
    const crafted = await inChat(RUT, VERBS.schoolGoalsApprove, { dialogueId: principalsDialogue, teacher: NILS.aadObjectId });
    expect(crafted).toContain('Bara verksamhetschefen');
    expect((await stores.schoolGoals.list('norrskolan')).some((goal) => goal.origin)).toBe(false);

    // The manager reads Nils's goals and approves them, twice by a double click.
    const view = await inChat(VERA, VERBS.principalOpen, { dialogueId: principalsDialogue, teacher: NILS.aadObjectId });
    expect(view).toContain('När du godkänner målen blir de mål för Norrskolan');
    expect(view).toContain('Gör till skolans mål');
    const approval = { dialogueId: principalsDialogue, teacher: NILS.aadObjectId };
    const [first, second] = await Promise.all([
      inChat(VERA, VERBS.schoolGoalsApprove, approval, 'approve-1'),
      inChat(VERA, VERBS.schoolGoalsApprove, approval, 'approve-1'),
    ]);
    expect(`${first}${second}`).toContain('Målen är mål för Norrskolan sedan');
    const told = await connector.waitFor((c) => c.method === 'POST' && text(c).includes('har godkänt dina mål'), 15_000);
    expect(text(told)).toContain('Norrskolan');
    const adopted = (await stores.schoolGoals.list('norrskolan')).filter((goal) => goal.origin);
    expect(adopted).toEqual([
      expect.objectContaining({
        title: NILS_GOAL.goal,
        serves: ['trygghet'],
        hows: ['riktning-skolledning'],
        origin: { dialogueId: principalsDialogue, aadObjectId: NILS.aadObjectId, goalIndex: 0 },
      }),
    ]);
    // The button is gone once approved; pressed on an old card, nothing changes and Nils is not told twice.
    expect(`${first}${second}`).not.toContain('Gör till skolans mål');
    await inChat(VERA, VERBS.schoolGoalsApprove, approval);
    await connector.waitFor((c) => c.method === 'POST' && text(c).includes('Målen var redan mål för Norrskolan. Ingenting har ändrats.'));

    // Nils starts the målsamtal with Norrskolan's teachers: the adopted goal is offered.
    await inChannel(NORR_TEAM, NILS, 'starta målsamtal');
    const norrForm = await connector.waitFor((c) => c.method === 'POST' && c.conversationId === NORR_TEAM.id && text(c).includes('Starta målsamtal'));
    expect(text(norrForm)).toContain(NILS_GOAL.goal);
    await startForm(NORR_TEAM, NILS, 'form-n', { title: 'Målsamtal HT 2026', goalIds: adopted[0]!.id, schoolId: 'norrskolan' });
    const { call: majaInvitation, dialogueId: schoolDialogue } = await invitationTo(teachers[0]!);
    expect(text(majaInvitation)).toContain(NILS_GOAL.goal);
    await writeGoalByTyping(post, connector.url, teachers[0]!, schoolDialogue, MAJA_GOAL);

    // The chain, as stored: teacher goal → school goal → overarching goal → framework item.
    const maja = (await stores.goalDialogues.getParticipation(schoolDialogue, teachers[0]!.aadObjectId))!.value;
    expect(maja.status).toBe('done');
    expect(maja.goals[0]?.schoolGoalIds).toEqual([adopted[0]!.id]);
    const schoolGoal = (await stores.schoolGoals.list('norrskolan')).find((goal) => goal.id === adopted[0]!.id)!;
    expect(schoolGoal.origin?.dialogueId).toBe(principalsDialogue);
    expect(schoolGoal.serves).toEqual(['trygghet']);
    expect(loadOrganisation(DEMO_ORGANISATION).overarchingGoal('trygghet')?.framework).toEqual(['riktning']);
    expect(connector.calls.filter((c) => c.method === 'POST' && text(c).includes('har godkänt dina mål'))).toHaveLength(1);

    // Only counts in either channel: no principal's or teacher's how or evidence, and no goal text in the principals' team.
    await connector.waitFor((c) => c.method === 'PUT' && c.conversationId === PRINCIPALS_TEAM.id && text(c).includes('1 av 2 har skrivit sina mål'), 20_000);
    const channelCalls = connector.calls.filter((c) => (c.conversationId === PRINCIPALS_TEAM.id || c.conversationId === NORR_TEAM.id) && c.method !== 'GET');
    for (const call of channelCalls) {
      for (const words of [NILS_GOAL.how, NILS_GOAL.evidence, MAJA_GOAL.goal, MAJA_GOAL.how, MAJA_GOAL.evidence]) expect(text(call)).not.toContain(words);
      if (call.conversationId === PRINCIPALS_TEAM.id) expect(text(call)).not.toContain(NILS_GOAL.goal);
    }
    expect((await stores.goalDialogues.dialoguesOfSchool(TENANT_ID, ORGANISATION_UNIT_ID)).map((summary) => summary.dialogueId)).toEqual([principalsDialogue]);
  }, 90_000);
});
