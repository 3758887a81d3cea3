import { VERBS } from '../../src/cards/verbs';
import { cardAction, channelMention, type Person, person, personalMessage, PRINCIPAL, type TeamRef } from '../helpers/activities';
import { allActionsOf, cardOf, cardText, invokeCard, invokeText, messagesIn, submission } from '../helpers/cards';
import { longAnswer, rosterOf, START_FORM_VALUES } from '../helpers/goalDialogue';
import { conversationHarness, type ConversationHarness } from '../helpers/conversation';

/**
 * `målbild` / `goal map` through app.run on the demo organisation: a
 * teacher's chain from her goals to the framework, the principal's counts
 * and gaps, the manager's schools, and what nobody may see.
 */

const serviceUrl = 'https://smba.trafficmanager.net/emea/';
const now = new Date('2026-09-01T08:00:00Z');
const anna = person('Anna Lindqvist', 1);
const erik = person('Erik Johansson', 2);
const fatima = person('Fatima Hassan', 3);
/** The demo file's verksamhetschef. */
const VERA: Person = { id: '29:vera-verksamhetschef', aadObjectId: '00000000-0000-4000-8000-00000000d001', name: 'Vera Verksamhetschef' };

const ANNA_GOAL = 'Mina elever i 5B läser en bok i månaden och berättar om den för en kamrat';
const ERIK_GOAL = 'Eriks elever i 6A arbetar lugnt i par under hela lektionen';
const FATIMA_DRAFT = 'Fatimas elever skriver egna texter i matematik varje vecka';

let bot: ConversationHarness;
let dialogueId: string;

const say = (from: Person, text: string, locale = 'sv-SE') => bot.send(personalMessage({ serviceUrl, from, text, locale }));
const press = (from: Person, verb: string, data: Record<string, unknown>, where: 'personal' | 'channel' = 'personal') =>
  bot.send(cardAction({ serviceUrl, from, verb, data, where }));

/** A teacher picks school goals by their numbers, writes one goal and, unless `draft`, confirms it. */
async function writeGoal(teacher: Person, choice: string, goal: string, options: { draft?: boolean } = {}): Promise<void> {
  await press(teacher, VERBS.goalsBegin, { dialogueId });
  await say(teacher, choice);
  await say(teacher, goal);
  if (options.draft) return;
  await say(teacher, longAnswer('Arbete'));
  await say(teacher, longAnswer('Tecken'));
  await say(teacher, 'nej');
  await press(teacher, VERBS.goalsConfirm, { dialogueId });
}

beforeEach(async () => {
  bot = await conversationHarness({ members: rosterOf([PRINCIPAL, anna, erik, fatima]), clock: () => now });
  await bot.send(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueStart, data: START_FORM_VALUES, where: 'channel', replyToId: 'form-1' }));
  dialogueId = bot.effects.started[0]!.id;
});

describe('a teacher reads her own goal chain', () => {
  test('when she has confirmed a goal for school goals 1 and 2 then "målbild" shows her goal, those school goals, both overarching goals and the framework with its HOW for staff', async () => {
    await writeGoal(anna, '1 och 2', ANNA_GOAL);
    const replies = await say(anna, 'målbild');
    const text = cardText(replies[0]);
    expect(text).toContain('Din målbild');
    expect(text).toContain('Läsåret 2026/27');
    expect(text).toContain(`Mål 1: ${ANNA_GOAL}`);
    expect(text).toContain('Bidrar till skolans mål 1 och 2');
    expect(text).toContain('Från Målsamtal HT 2026.');
    expect(text).toContain('1.\u00a0Alla elever upplever studiero och trygghet i klassrummet');
    expect(text).toContain('2.\u00a0Fler elever når kunskapskraven i svenska och matematik i åk 6');
    expect(text).not.toContain('Eleverna vet var de befinner sig');
    expect(text).toContain('A.\u00a0En skola där alla kan och vill vara – trygghet');
    expect(text).toContain('B.\u00a0Förbättrade resultat – fler elever behöriga till gymnasiet');
    expect(text).toContain('Vår gemensamma riktning styr prioriteringar och beslut');
    expect(text).toContain('Från övergripande mål A och B. Så gör du: Jag planerar min undervisning utifrån skolans mål och de övergripande målen.');
    expect(text).toContain('Vårt kvalitets- och förbättringsarbete baseras på data och evidens');
    expect(text).toContain('Fokusområde: Språk- och kunskapsutvecklande arbetssätt (SKUA)');
    // A teacher has one view: nothing to switch to.
    expect(allActionsOf(replies[0])).toEqual([]);
    // What Teams shows where a card cannot be drawn, and in the notification.
    expect(cardOf(replies[0])?.fallbackText).toContain(ANNA_GOAL);
    expect(replies[0]?.summary).toBe('Din målbild: Läsåret 2026/27');
  });

  test('when she has only begun then her goal is shown as a draft, and another teacher sees none of it', async () => {
    await writeGoal(anna, '2', ANNA_GOAL, { draft: true });
    const text = cardText((await say(anna, 'min målbild'))[0]);
    expect(text).toContain('Utkast från Målsamtal HT 2026. Inte bekräftat än.');
    expect(text).toContain(`Mål 1: ${ANNA_GOAL}`);
    expect(text).toContain('B.\u00a0Förbättrade resultat');
    expect(text).not.toContain('A.\u00a0En skola där alla');
    const erikSees = cardText((await say(erik, 'målbild'))[0]);
    expect(erikSees).toContain('Du har inga mål det här läsåret än.');
    expect(erikSees).not.toContain(ANNA_GOAL);
  });

  test('when she writes "goal map" in English then the map is in English', async () => {
    await writeGoal(anna, '1', ANNA_GOAL);
    const text = cardText((await say(anna, 'goal map', 'en-US'))[0]);
    expect(text).toContain('Your goal map');
    expect(text).toContain('Serves school goal 1');
    expect(text).toContain('The direction: Varje elevs bästa skola');
    // The organisation file names its läsår in Swedish; in English the id names it.
    expect(text).toContain('Your goal map\nSchool year 2026-27\n');
  });
});

describe('the principal reads the school', () => {
  test('when teachers have written goals and a school goal is changed and one retired then she sees counts per goal, a gap, and no teacher goal text', async () => {
    await writeGoal(anna, '1 och 2', ANNA_GOAL);
    await writeGoal(erik, '1', ERIK_GOAL);
    await writeGoal(fatima, '2', FATIMA_DRAFT, { draft: true });
    // The link is by id: a new wording keeps Anna's and Fatima's goals on it; retiring the third leaves "resultat" without a school goal.
    await press(
      PRINCIPAL,
      VERBS.schoolGoalSave,
      {
        schoolId: 'exempelskolan',
        goalId: 'las-och-skriv',
        version: 1,
        'title_las-och-skriv': 'Fler elever läser och skriver med flyt i åk 6',
        'serves_las-och-skriv': 'trygghet',
      },
      'channel',
    );
    await press(PRINCIPAL, VERBS.schoolGoalRetireConfirm, { schoolId: 'exempelskolan', goalId: 'formativ-bedomning', version: 1 }, 'channel');

    const replies = await say(PRINCIPAL, 'målbild');
    const text = cardText(replies[0]);
    expect(text).toContain('Skolans målbild');
    expect(text).toContain('Skolans mål: Exempelskolan');
    expect(text).toContain('3 lärare har skrivit mål det här läsåret.');
    expect(text).toContain('1.\u00a0Alla elever upplever studiero och trygghet i klassrummet\n2 lärarmål · Bidrar till övergripande mål A');
    expect(text).toContain('2.\u00a0Fler elever läser och skriver med flyt i åk 6\n1 lärarmål · 1 utkast · Bidrar till övergripande mål A');
    expect(text).toContain('A.\u00a0En skola där alla kan och vill vara – trygghet\nSkolans mål 1 och 2');
    expect(text).toContain('B.\u00a0Förbättrade resultat – fler elever behöriga till gymnasiet\nInget av skolans mål bidrar hit.');
    expect(text).toContain('Fokusområde: Språk- och kunskapsutvecklande arbetssätt (SKUA)');
    for (const goal of [ANNA_GOAL, ERIK_GOAL, FATIMA_DRAFT]) expect(JSON.stringify(replies)).not.toContain(goal);
    expect(allActionsOf(replies[0]).map((action) => [action.title, action.data])).toEqual([['Min del', { view: 'mine' }]]);
  });

  test('when she presses "Min del" then her own part replaces the card', async () => {
    const replies = await press(PRINCIPAL, VERBS.goalMapShow, { view: 'mine' });
    const text = invokeText(replies);
    expect(text).toContain('Din målbild');
    expect(text).toContain('Du har inga mål det här läsåret än.');
    expect(allActionsOf(invokeCard(replies)).map((action) => action.data)).toEqual([{ view: 'school' }]);
  });
});

describe('the verksamhetschef reads every school', () => {
  test('when Vera writes "målbild" then she sees Exempelskolan and Norrskolan with their goals, fokusområde and gaps, and how many schools serve each overarching goal', async () => {
    await writeGoal(anna, '1', ANNA_GOAL);
    const replies = await say(VERA, 'målbild');
    const text = cardText(replies[0]);
    expect(text).toContain('Alla skolors målbild');
    expect(text).toContain('Exempelskolan · 3 mål');
    expect(text).toContain('Fokusområde: Språk- och kunskapsutvecklande arbetssätt (SKUA) · Läsåret 2026/27 · Hör till skolans mål 2');
    expect(text).toContain('3.\u00a0Eleverna vet var de befinner sig och hur de tar nästa steg i sitt lärande (A och B)');
    expect(text).toContain('Norrskolan · 1 mål');
    expect(text).toContain('1.\u00a0Alla elever känner sig trygga på rasterna (A)\nSaknar mål för övergripande mål B.');
    expect(text).toContain('Saknar mål för övergripande mål B.');
    expect(text).toContain('A.\u00a0En skola där alla kan och vill vara – trygghet\n2 av 2 skolor har mål hit.');
    expect(text).toContain('B.\u00a0Förbättrade resultat – fler elever behöriga till gymnasiet\n1 av 2 skolor har mål hit.');
    expect(JSON.stringify(replies)).not.toContain(ANNA_GOAL);
    expect(allActionsOf(replies[0]).map((action) => action.data)).toEqual([{ view: 'mine' }]);
  });

  test("when Vera crafts the school view, which is a principal's, then it is refused", async () => {
    const replies = await press(VERA, VERBS.goalMapShow, { view: 'school' });
    expect(invokeCard(replies)).toBeUndefined();
    expect(invokeText(replies)).toBe('Den delen av målbilden kan du inte se. Skriv **målbild** för att se din egen.');
  });
});

describe('what nobody may see', () => {
  test("when a teacher crafts the manager view's invoke then it is refused and no school is shown", async () => {
    await writeGoal(erik, '1', ERIK_GOAL);
    for (const view of ['all', 'school']) {
      const replies = await press(anna, VERBS.goalMapShow, { view });
      expect(invokeCard(replies)).toBeUndefined();
      expect(invokeText(replies)).toBe('Den delen av målbilden kan du inte se. Skriv **målbild** för att se din egen.');
      const all = JSON.stringify(replies);
      for (const secret of ['Norrskolan', 'Skolans mål: Exempelskolan', 'lärarmål', ERIK_GOAL]) expect(all).not.toContain(secret);
    }
  });

  test('when a view that does not exist is asked for then it is refused as bad input', async () => {
    const replies = await press(VERA, VERBS.goalMapShow, { view: 'everything' });
    expect(invokeCard(replies)).toBeUndefined();
    expect(invokeText(replies)).toContain('Det där kunde jag inte ta emot.');
  });

  test('when "@Målbild målbild" is written in the staff channel then it points to the 1:1 chat and shows no goal text', async () => {
    await writeGoal(anna, '1', ANNA_GOAL);
    for (const from of [anna, PRINCIPAL]) {
      const replies = await bot.send(channelMention({ serviceUrl, from, text: 'målbild' }));
      expect(replies.every((reply) => cardOf(reply) === undefined)).toBe(true);
      expect(messagesIn(replies)).toEqual([expect.stringContaining('Det gör du i din egen chatt med Målbild')]);
      expect(messagesIn(replies)[0]).toContain('**målbild**');
      expect(JSON.stringify(replies)).not.toContain(ANNA_GOAL);
      expect(JSON.stringify(replies)).not.toContain('lärarmål');
    }
  });

  test('when a goal map button is pressed in a channel then it points to the 1:1 chat and shows nothing', async () => {
    await writeGoal(anna, '1', ANNA_GOAL);
    const replies = await press(anna, VERBS.goalMapShow, { view: 'mine' }, 'channel');
    expect(invokeCard(replies)).toBeUndefined();
    expect(invokeText(replies)).toContain('Det gör du i din egen chatt med Målbild');
    expect(JSON.stringify(replies)).not.toContain(ANNA_GOAL);
  });
});

describe('groups across schools on the map', () => {
  const PRINCIPALS_TEAM: TeamRef = { id: '19:exempelkommun-rektorer@thread.tacv2', name: 'Rektorer' };
  /** Norrskolan's principal in the demo file. */
  const NILS: Person = { id: '29:nils', aadObjectId: '00000000-0000-4000-8000-00000000d002', name: 'Nils Norberg' };
  const MATH_GROUP = 'Matematik – utvecklingsgruppen';
  const LEAD_TEACHERS = 'Förstelärarnätverket';

  /** Vera makes a group across schools in the principals' team: its form, filled in and saved. */
  async function groupAcrossSchools(name: string, kind: string, area: string, members: Person[]): Promise<void> {
    const [form] = await bot.send(channelMention({ serviceUrl, from: VERA, text: 'ny lärgrupp', team: PRINCIPALS_TEAM }));
    const data = submission(form, VERBS.groupSave, {
      groupId: '',
      name,
      kind,
      crossSchool: 'true',
      area,
      facilitator: PRINCIPAL.aadObjectId,
      members: members.map((p) => p.aadObjectId).join(','),
    });
    await bot.send(cardAction({ serviceUrl, from: VERA, verb: VERBS.groupSave, data, where: 'channel', team: PRINCIPALS_TEAM, replyToId: 'form-g' }));
  }

  beforeEach(async () => {
    // The same staff team and dialogue, and a roster that also has Norrskolan's principal and the verksamhetschef.
    bot = await conversationHarness({ members: rosterOf([PRINCIPAL, anna, erik, fatima, NILS, VERA]), clock: () => now });
    await bot.send(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueStart, data: START_FORM_VALUES, where: 'channel', replyToId: 'form-1' }));
    dialogueId = bot.effects.started[0]!.id;
    await groupAcrossSchools(MATH_GROUP, 'utvecklingsgrupp', 'matematik', [PRINCIPAL, NILS, anna, erik]);
    await groupAcrossSchools(LEAD_TEACHERS, 'förstelärarnätverk', '', [anna, fatima]);
    expect(bot.groupEffects.saved.map((group) => [group.name, group.crossSchool?.area?.id])).toEqual([
      [MATH_GROUP, 'matematik'],
      [LEAD_TEACHERS, undefined],
    ]);
  });

  test('when Vera writes "målbild" then each development area lists its groups with kind and number of members, the areas without one are marked, and no member is named', async () => {
    const replies = await say(VERA, 'målbild');
    const text = cardText(replies[0]);
    expect(text).toContain('Utvecklingsområden och grupper');
    expect(text).toContain('Nätverk och utvecklingsgrupper över skolorna det här läsåret. Här syns bara antal medlemmar');
    expect(text).toContain(`Matematik\nBidrar till övergripande mål B\n\n${MATH_GROUP} · utvecklingsgrupp · 4 medlemmar`);
    expect(text).toContain('Språk- och kunskapsutvecklande arbetssätt (SKUA)\nBidrar till övergripande mål B\n\nIngen grupp det här läsåret.');
    expect(text).toContain(`Andra grupper över skolorna\n${LEAD_TEACHERS} · förstelärarnätverk · 3 medlemmar`);
    for (const name of [anna, erik, fatima].map((p) => p.name)) expect(JSON.stringify(replies)).not.toContain(name);
    // The card stays within its budget and the text fallback carries the groups too.
    expect(Buffer.byteLength(JSON.stringify(cardOf(replies[0])), 'utf8')).toBeLessThan(40 * 1024);
    expect(cardOf(replies[0])?.fallbackText).toContain(`${MATH_GROUP} · utvecklingsgrupp · 4 medlemmar`);
  });

  test('when the principal writes "målbild" then the school view lists the same areas and groups, in counts only', async () => {
    const text = cardText((await say(PRINCIPAL, 'målbild'))[0]);
    expect(text).toContain('Skolans målbild');
    expect(text).toContain(`${MATH_GROUP} · utvecklingsgrupp · 4 medlemmar`);
    expect(text).toContain(`${LEAD_TEACHERS} · förstelärarnätverk · 3 medlemmar`);
  });

  test('when a teacher’s goal serves overarching goal B then her map shows the groups of the areas that serve B only', async () => {
    await writeGoal(anna, '2', ANNA_GOAL);
    const text = cardText((await say(anna, 'målbild'))[0]);
    expect(text).toContain('Här drivs arbetet med dina övergripande mål över skolorna det här läsåret.');
    expect(text).toContain(`Matematik\nBidrar till övergripande mål B\n\n${MATH_GROUP} · utvecklingsgrupp · 4 medlemmar`);
    // An area without a group, and the groups of no area, are not hers to read here.
    expect(text).not.toContain('Ingen grupp det här läsåret.');
    expect(text).not.toContain(LEAD_TEACHERS);
    // Without goals there is no chain, and no groups.
    expect(cardText((await say(erik, 'målbild'))[0])).not.toContain('Utvecklingsområden och grupper');
  });

  test('when the map of another läsår is read then this läsår’s groups are not on it', async () => {
    const text = cardText((await say(VERA, 'målbild 2027-28'))[0]);
    expect(text).toContain('Utvecklingsområden och grupper');
    expect(text).not.toContain(MATH_GROUP);
    expect(text).not.toContain(LEAD_TEACHERS);
  });
});
