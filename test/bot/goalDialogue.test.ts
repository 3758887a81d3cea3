import { VERBS } from '../../src/cards/verbs';
import { cardAction, channelMention, person, personalMessage, PRINCIPAL, TENANT_ID } from '../helpers/activities';
import { cardOf, cardText, invokeText } from '../helpers/cards';
import { longAnswer, rosterOf, START_FORM_VALUES } from '../helpers/goalDialogue';
import { conversationHarness, type ConversationHarness } from '../helpers/conversation';

const serviceUrl = 'https://smba.trafficmanager.net/emea/';
const now = new Date('2026-09-01T08:00:00Z');
const teachers = [person('Anna Lindqvist', 1), person('Erik Johansson', 2), person('Fatima Hassan', 3)];
const roster = rosterOf([PRINCIPAL, ...teachers]);

async function startDialogue(bot: ConversationHarness, form = START_FORM_VALUES) {
  return bot.send(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueStart, data: form, where: 'channel', replyToId: 'form-1' }));
}

describe('a principal starts a goal dialogue in the staff channel', () => {
  let bot: ConversationHarness;
  beforeEach(async () => {
    bot = await conversationHarness({ members: roster, clock: () => now });
  });

  test('when the principal writes "@Målbild starta målsamtal" then the start form lists the school goals, preselected, and the team without her', async () => {
    const replies = await bot.send(channelMention({ serviceUrl, from: PRINCIPAL, text: 'starta målsamtal' }));
    const card = cardOf(replies[0]);
    expect(cardText(replies[0])).toContain('Starta målsamtal');
    expect(JSON.stringify(card)).toContain('"value":"studiero,las-och-skriv,formativ-bedomning"');
    expect(JSON.stringify(card)).toContain('Målsamtal HT 2026');
    expect(JSON.stringify(card)).toContain('Anna Lindqvist');
    expect(JSON.stringify(card)).not.toContain('"title":"Rut Rektorsson"');
  });

  test('when a teacher writes "@Målbild starta målsamtal" then she is told only the principal can, and nothing is created', async () => {
    const replies = await bot.send(channelMention({ serviceUrl, from: teachers[0]!, text: 'starta målsamtal' }));
    expect(replies[0]?.text).toBe('Bara skolans rektor kan starta målsamtal. Ingenting har ändrats.');
    expect(await bot.stores.goalDialogues.dialoguesOfSchool(TENANT_ID, 'exempelskolan')).toEqual([]);
  });

  test('when a teacher crafts the start form submission then it is refused on the server and nothing is created', async () => {
    const replies = await bot.send(cardAction({ serviceUrl, from: teachers[0]!, verb: VERBS.dialogueStart, data: START_FORM_VALUES, where: 'channel' }));
    expect(invokeText(replies)).toContain('Bara skolans rektor');
    expect(await bot.stores.goalDialogues.dialoguesOfSchool(TENANT_ID, 'exempelskolan')).toEqual([]);
  });

  test('when the form has a past deadline, no goal and no participants then every problem comes back in the form and nothing is created', async () => {
    const replies = await startDialogue(bot, { ...START_FORM_VALUES, deadline: '2026-08-01', goalIds: '', participantMode: 'chosen', participantIds: '' });
    const text = invokeText(replies);
    expect(text).toContain('Välj ett datum efter i dag.');
    expect(text).toContain('Välj minst ett av skolans mål.');
    expect(text).toContain('Välj minst en deltagare.');
    expect(await bot.stores.goalDialogues.dialoguesOfSchool(TENANT_ID, 'exempelskolan')).toEqual([]);
    expect(bot.effects.started).toEqual([]);
  });

  test('when a valid form is submitted then the dialogue is created for the whole team except the principal and the form says its status card is a post of its own', async () => {
    const replies = await startDialogue(bot);
    const text = invokeText(replies);
    expect(text).toContain('Målsamtalet är startat. Hur det går visas i ett eget inlägg i kanalen.');
    expect(text).toContain('Ingens mål visas här');
    expect(bot.updates).toHaveLength(1);
    expect(bot.updates[0]?.id).toBe('form-1');
    expect(cardText(bot.updates[0])).toContain('eget inlägg i kanalen');
    const [summary] = await bot.stores.goalDialogues.dialoguesOfSchool(TENANT_ID, 'exempelskolan');
    const dialogue = (await bot.stores.goalDialogues.getDialogue(TENANT_ID, summary!.dialogueId))!.value;
    expect(dialogue.participants.map((p) => p.name)).toEqual(['Anna Lindqvist', 'Erik Johansson', 'Fatima Hassan']);
    // The status card is posted in the background (test/effects); the thread and its form are kept for a channel that refuses new posts.
    expect(dialogue.channel.statusActivityId).toBeUndefined();
    expect(dialogue.channel.thread).toEqual({ conversationId: dialogue.channel.conversationId, formActivityId: 'form-1' });
    expect(dialogue.schoolGoals.map((g) => g.id)).toEqual(['studiero', 'las-och-skriv']);
    expect(bot.effects.started.map((d) => d.id)).toEqual([dialogue.id]);
  });

  test('when the principal chooses people then only they take part', async () => {
    await startDialogue(bot, { ...START_FORM_VALUES, participantMode: 'chosen', participantIds: `${teachers[1]!.aadObjectId}` });
    const dialogue = bot.effects.started[0]!;
    expect(dialogue.participants.map((p) => p.name)).toEqual(['Erik Johansson']);
  });

  test('when a valid form is submitted then the principal is told how many the invitation goes to', async () => {
    const replies = await startDialogue(bot);
    expect(replies.filter((r) => r.type === 'message' && r.text).map((r) => r.text)).toEqual([
      'Klart! Inbjudan skickas nu till 3 lärare i deras egen chatt med Målbild.',
    ]);
  });

  test('when a form is submitted twice then the invitation count is told once', async () => {
    const once = { ...START_FORM_VALUES, formId: '20260901-0123456789' };
    await startDialogue(bot, once);
    const again = await startDialogue(bot, once);
    expect(invokeText(again)).toContain('Målsamtalet är startat.');
    expect(again.filter((r) => r.type === 'message' && r.text?.includes('Inbjudan'))).toHaveLength(0);
  });

  test('when a dialogue is already open for the team then the start form warns before another is started', async () => {
    const first = await bot.send(channelMention({ serviceUrl, from: PRINCIPAL, text: 'starta målsamtal' }));
    expect(cardText(first[0])).not.toContain('pågår redan');
    await startDialogue(bot);
    const replies = await bot.send(channelMention({ serviceUrl, from: PRINCIPAL, text: 'starta målsamtal' }));
    expect(cardText(replies[0])).toContain('Obs! Målsamtal HT 2026 pågår redan för teamet. Startar du ett till får lärarna en inbjudan till.');
  });
});

describe('a teacher writes goals in the 1:1 chat', () => {
  let bot: ConversationHarness;
  let dialogueId: string;
  const anna = teachers[0]!;
  const say = (text: string, locale = 'sv-SE') => bot.send(personalMessage({ serviceUrl, from: anna, text, locale }));
  const press = (verb: string, data: Record<string, unknown>) =>
    bot.send(cardAction({ serviceUrl, from: anna, verb, data: { dialogueId, ...data }, where: 'personal' }));

  beforeEach(async () => {
    bot = await conversationHarness({ members: roster, clock: () => now });
    await startDialogue(bot);
    dialogueId = bot.effects.started[0]!.id;
  });

  test('when she presses "Börja nu" then the first question asks which school goals, numbered', async () => {
    const replies = await press(VERBS.goalsBegin, {});
    const text = invokeText(replies);
    expect(text).toContain('Vilket eller vilka av skolans mål');
    expect(text).toContain('1. Alla elever upplever studiero');
  });

  test('when she types every answer then each step follows, is saved at once, and the summary comes last', async () => {
    await press(VERBS.goalsBegin, {});
    expect(cardText((await say('1'))[0])).toContain('Vad ska eleverna kunna');
    let stored = await bot.stores.goalDialogues.getParticipation(dialogueId, anna.aadObjectId);
    expect(stored?.value.goals[0]?.schoolGoalIds).toEqual(['studiero']);
    expect(cardText((await say(longAnswer('Mål')))[0])).toContain('Hur kommer du att arbeta');
    stored = await bot.stores.goalDialogues.getParticipation(dialogueId, anna.aadObjectId);
    expect(stored?.value.goals[0]?.goal).toBe(longAnswer('Mål'));
    expect(cardText((await say(longAnswer('Arbete')))[0])).toContain('Hur märker du att ni är på väg');
    expect(cardText((await say(longAnswer('Tecken')))[0])).toContain('Vilket stöd behöver du');
    const summary = await say('nej');
    expect(cardText(summary[0])).toContain('Dina mål');
    expect(cardText(summary[0])).toContain(longAnswer('Arbete'));
  });

  test('when an answer is too short then a gentle follow-up question comes, not a rejection', async () => {
    await press(VERBS.goalsBegin, {});
    await say('1');
    const replies = await say('Läsa');
    expect(cardText(replies[0])).toContain('Kan du beskriva lite mer konkret');
    const stored = await bot.stores.goalDialogues.getParticipation(dialogueId, anna.aadObjectId);
    expect(stored?.value.goals[0]?.goal).toBe('Läsa');
  });

  test('when an answer is over 4,000 characters then she is told the limit and nothing is saved', async () => {
    await press(VERBS.goalsBegin, {});
    await say('1');
    const replies = await say('a'.repeat(4500));
    expect(replies[0]?.text).toContain(`${(4500).toLocaleString('sv-SE')} tecken`);
    expect(replies[0]?.text).toContain((4000).toLocaleString('sv-SE'));
    const stored = await bot.stores.goalDialogues.getParticipation(dialogueId, anna.aadObjectId);
    expect(stored?.value.goals[0]?.goal).toBeUndefined();
  });

  test('when she pauses, types other text, and continues later then she resumes at the first unanswered step', async () => {
    await press(VERBS.goalsBegin, {});
    await say('1');
    await say(longAnswer('Mål'));
    expect((await say('paus'))[0]?.text).toContain('Pausat');
    expect((await say('vad händer nu'))[0]?.text).toContain('Skriv **hjälp**');
    const resumed = await say('fortsätt');
    expect(cardText(resumed[0])).toContain('Hur kommer du att arbeta');
  });

  test('when she goes back then the previous question is asked again', async () => {
    await press(VERBS.goalsBegin, {});
    await say('1');
    expect(cardText((await say('tillbaka'))[0])).toContain('Vilket eller vilka av skolans mål');
  });

  test('when she cancels then the draft is kept and "fortsätt" brings her back', async () => {
    await press(VERBS.goalsBegin, {});
    await say('1 och 2');
    expect((await say('avbryt'))[0]?.text).toContain('utkast är sparat');
    expect((await bot.stores.goalDialogues.getParticipation(dialogueId, anna.aadObjectId))?.value.goals[0]?.schoolGoalIds).toEqual([
      'studiero',
      'las-och-skriv',
    ]);
    expect(cardText((await say('fortsätt'))[0])).toContain('Vad ska eleverna kunna');
  });

  test('when she answers in the cards and confirms then she gets a copy, the principal is told, and "mina mål" shows them', async () => {
    await press(VERBS.goalsBegin, {});
    await press(VERBS.goalsAnswer, { goalIndex: 0, step: 'schoolGoals', goalIds: 'las-och-skriv' });
    await press(VERBS.goalsAnswer, { goalIndex: 0, step: 'goal', answer: longAnswer('Mål') });
    await press(VERBS.goalsAnswer, { goalIndex: 0, step: 'how', answer: longAnswer('Arbete') });
    await press(VERBS.goalsAnswer, { goalIndex: 0, step: 'evidence', answer: longAnswer('Tecken') });
    const summary = await press(VERBS.goalsAnswer, { goalIndex: 0, step: 'support', answer: '' });
    expect(invokeText(summary)).toContain('Bekräfta mina mål');
    const confirmed = await press(VERBS.goalsConfirm, {});
    expect(confirmed.find((r) => r.type === 'message' && r.text)?.text).toContain('Tack! Dina mål är sparade och Rut Rektorsson kan läsa dem');
    expect(invokeText(confirmed)).toContain(longAnswer('Tecken'));
    expect(bot.effects.confirmed.map((p) => p.aadObjectId)).toEqual([anna.aadObjectId]);
    const mine = await say('mina mål');
    expect(cardText(mine[0])).toContain('Bekräftat');
    expect(cardText(mine[0])).toContain(longAnswer('Mål'));
  });

  test('when she presses an old card from an earlier step then she sees where she really is and nothing changes', async () => {
    await press(VERBS.goalsBegin, {});
    await say('1');
    const replies = await press(VERBS.goalsAnswer, { goalIndex: 0, step: 'schoolGoals', goalIds: 'las-och-skriv' });
    expect(invokeText(replies)).toContain('Vad ska eleverna kunna');
    expect((await bot.stores.goalDialogues.getParticipation(dialogueId, anna.aadObjectId))?.value.goals[0]?.schoolGoalIds).toEqual(['studiero']);
  });

  test('when another teacher crafts a submission with her dialogue id then it touches only his own goals', async () => {
    const erik = teachers[1]!;
    await bot.send(cardAction({ serviceUrl, from: erik, verb: VERBS.goalsBegin, data: { dialogueId }, where: 'personal' }));
    await bot.send(
      cardAction({
        serviceUrl,
        from: erik,
        verb: VERBS.goalsAnswer,
        data: { dialogueId, goalIndex: 0, step: 'schoolGoals', goalIds: 'studiero' },
        where: 'personal',
      }),
    );
    expect((await bot.stores.goalDialogues.getParticipation(dialogueId, anna.aadObjectId))?.value.goals).toEqual([]);
    expect((await bot.stores.goalDialogues.getParticipation(dialogueId, erik.aadObjectId))?.value.goals[0]?.schoolGoalIds).toEqual(['studiero']);
  });

  test('when someone outside the dialogue presses its card then they are told it is not there and nothing is created', async () => {
    const outsider = person('Olle Utanför', 99);
    const replies = await bot.send(cardAction({ serviceUrl, from: outsider, verb: VERBS.goalsBegin, data: { dialogueId }, where: 'personal' }));
    expect(invokeText(replies)).toContain('finns inte');
    expect(await bot.stores.goalDialogues.getParticipation(dialogueId, outsider.aadObjectId)).toBeUndefined();
  });

  test('when she writes in English then the questions are in English', async () => {
    await bot.send(cardAction({ serviceUrl, from: anna, verb: VERBS.goalsBegin, data: { dialogueId }, where: 'personal', locale: 'en-US' }));
    expect(cardText((await say('1', 'en-US'))[0])).toContain('What will the students be able to do');
  });
});

describe('the principal follows the dialogue in her 1:1 chat', () => {
  let bot: ConversationHarness;
  let dialogueId: string;
  const anna = teachers[0]!;
  const principalSays = (text: string) => bot.send(personalMessage({ serviceUrl, from: PRINCIPAL, text }));
  const principalPresses = (verb: string, data: Record<string, unknown>) =>
    bot.send(cardAction({ serviceUrl, from: PRINCIPAL, verb, data: { dialogueId, ...data }, where: 'personal' }));
  const annaPresses = (verb: string, data: Record<string, unknown>) =>
    bot.send(cardAction({ serviceUrl, from: anna, verb, data: { dialogueId, ...data }, where: 'personal' }));

  async function annaWritesAndConfirms() {
    await annaPresses(VERBS.goalsBegin, {});
    await annaPresses(VERBS.goalsAnswer, { goalIndex: 0, step: 'schoolGoals', goalIds: 'studiero' });
    await annaPresses(VERBS.goalsAnswer, { goalIndex: 0, step: 'goal', answer: longAnswer('Annas mål') });
    await annaPresses(VERBS.goalsAnswer, { goalIndex: 0, step: 'how', answer: longAnswer('Arbete') });
    await annaPresses(VERBS.goalsAnswer, { goalIndex: 0, step: 'evidence', answer: longAnswer('Tecken') });
    await annaPresses(VERBS.goalsAnswer, { goalIndex: 0, step: 'support', answer: 'Handledning i formativ bedömning' });
    await annaPresses(VERBS.goalsConfirm, {});
  }

  beforeEach(async () => {
    bot = await conversationHarness({ members: roster, clock: () => now });
    await startDialogue(bot);
    dialogueId = bot.effects.started[0]!.id;
  });

  test('when she writes "visa mål" then each participant is listed with their state and no goal text', async () => {
    await annaWritesAndConfirms();
    await bot.send(cardAction({ serviceUrl, from: teachers[1]!, verb: VERBS.goalsBegin, data: { dialogueId }, where: 'personal' }));
    const text = cardText((await principalSays('visa mål'))[0]);
    expect(text).toContain('Målsamtal HT 2026');
    expect(text).toContain('1 av 3 har skrivit sina mål');
    expect(text).toMatch(/Anna Lindqvist\nKlart/);
    expect(text).toMatch(/Erik Johansson\nPåbörjat/);
    expect(text).toMatch(/Fatima Hassan\nInte påbörjat/);
    expect(text).not.toContain('Annas mål');
  });

  test('when she opens a teacher then the confirmed goals show, and her private notes and talk date are saved', async () => {
    await annaWritesAndConfirms();
    expect(invokeText(await principalPresses(VERBS.principalOpen, { teacher: anna.aadObjectId }))).toContain(longAnswer('Annas mål'));
    const saved = await principalPresses(VERBS.principalNotes, { teacher: anna.aadObjectId, notes: 'Vill prova exit tickets', talkHeldOn: '2026-10-02' });
    expect(invokeText(saved)).toContain('Sparat.');
    expect(await bot.stores.goalDialogues.getNotes(dialogueId, anna.aadObjectId)).toMatchObject({ notes: 'Vill prova exit tickets', talkHeldOn: '2026-10-02' });
  });

  test("when a teacher crafts the principal actions then she can neither read another teacher's goals nor write notes", async () => {
    await annaWritesAndConfirms();
    const erik = teachers[1]!;
    const read = await bot.send(
      cardAction({ serviceUrl, from: erik, verb: VERBS.principalOpen, data: { dialogueId, teacher: anna.aadObjectId }, where: 'personal' }),
    );
    expect(invokeText(read)).toContain('Bara skolans rektor');
    expect(invokeText(read)).not.toContain('Annas mål');
    await bot.send(
      cardAction({ serviceUrl, from: erik, verb: VERBS.principalNotes, data: { dialogueId, teacher: anna.aadObjectId, notes: 'x' }, where: 'personal' }),
    );
    expect(await bot.stores.goalDialogues.getNotes(dialogueId, anna.aadObjectId)).toBeUndefined();
  });

  test('when she closes the dialogue then the teacher can read her goals but not change them', async () => {
    await annaWritesAndConfirms();
    await principalPresses(VERBS.dialogueClose, {});
    const closed = await principalPresses(VERBS.dialogueCloseConfirm, {});
    expect(closed.find((r) => r.type === 'message')?.text).toContain('är avslutat');
    const edit = await annaPresses(VERBS.goalsEdit, { goalIndex: 0, step: 'goal' });
    expect(invokeText(edit)).toContain('avslutat');
    expect((await bot.stores.goalDialogues.getParticipation(dialogueId, anna.aadObjectId))?.value.goals[0]?.goal).toBe(longAnswer('Annas mål'));
    const mine = cardText((await bot.send(personalMessage({ serviceUrl, from: anna, text: 'mina mål' })))[0]);
    expect(mine).toContain(longAnswer('Annas mål'));
    expect(mine).toContain('Avslutat');
  });

  test('when a teacher writes "visa mål" then she sees her own goals, not the overview', async () => {
    await annaWritesAndConfirms();
    const text = cardText((await bot.send(personalMessage({ serviceUrl, from: anna, text: 'visa mål' })))[0]);
    expect(text).toContain('Mina mål');
    expect(text).toContain(longAnswer('Annas mål'));
  });
});

describe('the principal keeps the school goals', () => {
  let bot: ConversationHarness;
  beforeEach(async () => {
    bot = await conversationHarness({ members: roster, clock: () => now });
  });
  const press = (from: typeof PRINCIPAL, verb: string, data: Record<string, unknown>) =>
    bot.send(cardAction({ serviceUrl, from, verb, data: { schoolId: 'exempelskolan', ...data }, where: 'channel' }));

  test('when she writes "@Målbild skolans mål" then the goals are listed for editing', async () => {
    const text = cardText((await bot.send(channelMention({ serviceUrl, from: PRINCIPAL, text: 'skolans mål' })))[0]);
    expect(text).toContain('Mål för Exempelskolan');
    expect(text).toContain('Alla elever upplever studiero och trygghet i klassrummet');
  });

  test('when she edits a goal then a new version is stored and a dialogue started earlier keeps the old wording', async () => {
    await startDialogue(bot);
    const dialogue = bot.effects.started[0]!;
    const result = await press(PRINCIPAL, VERBS.schoolGoalSave, {
      goalId: 'studiero',
      version: 1,
      title_studiero: 'Studiero i varje lektion',
      serves_studiero: 'trygghet',
    });
    expect(invokeText(result)).toContain('Sparat.');
    expect((await bot.stores.schoolGoals.history('exempelskolan', 'studiero')).map((g) => g.title)).toEqual([
      'Alla elever upplever studiero och trygghet i klassrummet',
      'Studiero i varje lektion',
    ]);
    expect((await bot.stores.goalDialogues.getDialogue(TENANT_ID, dialogue.id))?.value.schoolGoals[0]?.title).toBe(
      'Alla elever upplever studiero och trygghet i klassrummet',
    );
  });

  test('when she adds a goal without text or retires one then the card says so and the list follows', async () => {
    expect(invokeText(await press(PRINCIPAL, VERBS.schoolGoalSave, { goalId: '', version: 0, title_new: 'x', serves_new: 'trygghet' }))).toContain(
      '3–200 tecken',
    );
    const added = await press(PRINCIPAL, VERBS.schoolGoalSave, { goalId: '', version: 0, title_new: 'Fler elever läser på fritiden', serves_new: 'resultat' });
    expect(invokeText(added)).toContain('Målet är tillagt.');
    expect(invokeText(await press(PRINCIPAL, VERBS.schoolGoalRetire, { goalId: 'studiero', version: 1 }))).toContain('Vill du avveckla det?');
    const retired = await press(PRINCIPAL, VERBS.schoolGoalRetireConfirm, { goalId: 'studiero', version: 1 });
    expect(invokeText(retired)).toContain('Avvecklade mål');
    const active = (await bot.stores.schoolGoals.list('exempelskolan')).filter((g) => g.status === 'active').map((g) => g.title);
    expect(active).toEqual([
      'Fler elever når kunskapskraven i svenska och matematik i åk 6',
      'Eleverna vet var de befinner sig och hur de tar nästa steg i sitt lärande',
      'Fler elever läser på fritiden',
    ]);
  });

  test('when a stale card saves over a newer version then it is refused and nothing changes', async () => {
    await press(PRINCIPAL, VERBS.schoolGoalSave, { goalId: 'studiero', version: 1, title_studiero: 'Version två', serves_studiero: 'trygghet' });
    const stale = await press(PRINCIPAL, VERBS.schoolGoalSave, {
      goalId: 'studiero',
      version: 1,
      title_studiero: 'Från ett gammalt kort',
      serves_studiero: 'trygghet',
    });
    expect(invokeText(stale)).toContain('Någon annan ändrade samtidigt');
    expect((await bot.stores.schoolGoals.list('exempelskolan')).find((g) => g.id === 'studiero')?.title).toBe('Version två');
  });

  test('when a teacher tries to change the school goals then she is refused', async () => {
    const replies = await press(teachers[0]!, VERBS.schoolGoalSave, {
      goalId: 'studiero',
      version: 1,
      title_studiero: 'Mitt mål',
      serves_studiero: 'trygghet',
    });
    expect(invokeText(replies)).toContain('Bara skolans rektor kan ändra skolans mål');
    expect((await bot.stores.schoolGoals.list('exempelskolan')).find((g) => g.id === 'studiero')?.version).toBe(1);
  });
});
