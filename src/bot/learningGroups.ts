import type { TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import {
  type CheckInCount,
  type CheckInViewer,
  checkInCard,
  formOfGroup,
  groupCard,
  groupChoiceCard,
  groupFormCard,
  learningLogCard,
  type MeetingCounts,
  questionEditorCard,
} from '../cards/groupViews';
import type { AdaptiveCard } from '../cards/render';
import { VERBS } from '../cards/verbs';
import { AppError } from '../domain/errors';
import { type CheckIn, checkInId, type Group, MAX_QUESTIONS, meetingsInOrder, type Phase, type Question } from '../domain/learningGroup';
import { type CheckInView, DEFAULT_END, DEFAULT_START, type GroupConversation, type GroupForm, groupFormSchema, type Person } from '../domain/learningGroupService';
import { postCheckIn as postGroupCheckIn } from '../effects/learningGroups';
import { baseConversationId, conversationKindOf, languageOfTurn, tenantIdOf } from './activity';
import { actionData, type CardActionResult, onCardAction } from './cardActions';
import { cardMessage } from './cards';
import type { BotDeps } from './deps';
import { isCommand, personOf, replyWithExpectedErrors, turnStrings } from './goalDialogues';

/**
 * Lärgrupper in Teams: created and shown in the group's conversation (a
 * channel, a group chat or a meeting chat), check-ins answered in the card
 * (each member sees their own view through Universal Actions refresh) or in
 * the 1:1 reminder.
 */
export function registerLearningGroups(app: Application<TurnState>, deps: BotDeps): void {
  const on = (verb: Parameters<typeof onCardAction>[1], handler: (context: TurnContext) => Promise<CardActionResult>) =>
    onCardAction(app, verb, handler, deps);

  app.message(isCommand('newGroup'), (context) =>
    replyWithExpectedErrors(context, deps, async () => {
      const strings = turnStrings(context, deps);
      const people = await peopleHere(context, deps);
      const me = meOf(context);
      const count = deps.groups.defaultMeetingCount('lärgrupp');
      const dates = deps.groups.spreadMeetings(count);
      const form: GroupForm = {
        ...groupFormSchema.parse({}),
        facilitator: me.aadObjectId,
        members: people.map((p) => p.aadObjectId).join(','),
        meetingCount: String(count),
        startTime: DEFAULT_START,
        endTime: DEFAULT_END,
        dates,
        privacy: 'totals',
      };
      await context.sendActivity(cardMessage(groupFormCard(strings, form, withMe(people, me), { noSchoolDays: dates.length === 0 })));
    }),
  );

  // A group command in a conversation with several groups asks which one, with a button per group.
  const withGroup = (command: 'group' | 'checkIn' | 'groupLog', verb: string, act: (context: TurnContext, group: Group) => Promise<void>) =>
    app.message(isCommand(command), (context) =>
      replyWithExpectedErrors(context, deps, async () => {
        const strings = turnStrings(context, deps);
        const { tenantId, conversationId } = whereOf(context);
        const groups = await deps.groups.groupsIn(tenantId, conversationId);
        if (groups.length === 0) await context.sendActivity(strings.groups.none);
        else if (groups.length === 1) await act(context, groups[0]!);
        else await context.sendActivity(cardMessage(groupChoiceCard(strings, groups, verb)));
      }),
    );
  withGroup('group', VERBS.groupShow, async (context, group) => {
    await context.sendActivity(cardMessage(await groupCardOf(context, deps, group)));
  });
  withGroup('checkIn', VERBS.groupCheckInNow, async (context, group) => {
    if (!(await postNextCheckIn(context, deps, group))) await context.sendActivity(turnStrings(context, deps).groups.checkIn.nothingDue);
  });
  withGroup('groupLog', VERBS.groupLog, async (context, group) => {
    await context.sendActivity(cardMessage(await logCardOf(context, deps, group)));
  });

  on(VERBS.groupShow, async (context) => ({ card: await groupCardOf(context, deps, await groupHere(context, deps)) }));

  on(VERBS.groupCheckInNow, async (context) => {
    const group = await groupHere(context, deps);
    const strings = turnStrings(context, deps);
    return { message: (await postNextCheckIn(context, deps, group)) ? strings.groups.checkIn.posted : strings.groups.checkIn.nothingDue };
  });

  on(VERBS.groupLog, async (context) => {
    const group = await groupHere(context, deps);
    await context.sendActivity(cardMessage(await logCardOf(context, deps, group)));
    return { card: await groupCardOf(context, deps, group) };
  });

  on(VERBS.groupEdit, async (context) => {
    const group = await groupHere(context, deps);
    if (!deps.groups.mayEdit(group, meOf(context))) throw new AppError('NOT_ALLOWED', 'not the facilitator', { action: 'editGroup' });
    const people = await peopleHere(context, deps);
    return { card: groupFormCard(turnStrings(context, deps), formOfGroup(group), mergePeople(group, people), { groupName: group.name }) };
  });

  on(VERBS.groupSpread, async (context) => {
    const strings = turnStrings(context, deps);
    const form = formOf(context);
    const count = Math.max(1, Math.min(20, Number(form.meetingCount) || deps.groups.defaultMeetingCount(form.kind)));
    const dates = deps.groups.spreadMeetings(count);
    const people = await peopleHere(context, deps);
    const existing = form.groupId ? await deps.groups.group(whereOf(context).tenantId, form.groupId) : undefined;
    return {
      card: groupFormCard(strings, { ...form, meetingCount: String(count), dates }, existing ? mergePeople(existing, people) : withMe(people, meOf(context)), {
        groupName: existing?.name,
        noSchoolDays: dates.length === 0,
      }),
    };
  });

  on(VERBS.groupSave, async (context) => {
    const strings = turnStrings(context, deps);
    const form = formOf(context);
    const me = meOf(context);
    const people = withMe(await peopleHere(context, deps), me);
    const where = whereOf(context);
    if (form.groupId) {
      const result = await deps.groups.updateGroup(where.tenantId, form.groupId, me, form, people);
      if ('problems' in result) {
        const existing = await deps.groups.group(where.tenantId, form.groupId);
        return { card: groupFormCard(strings, form, existing ? mergePeople(existing, people) : people, { groupName: existing?.name, problems: result.problems }) };
      }
      await context.sendActivity(strings.groups.saved(result.group.name));
      return { card: await groupCardOf(context, deps, result.group) };
    }
    const result = await deps.groups.createGroup(conversationOf(context, deps), me, form, people);
    if ('problems' in result) return { card: groupFormCard(strings, form, people, { problems: result.problems }) };
    const card = await groupCardOf(context, deps, result.group);
    // The form becomes the group's card for everyone in the conversation.
    if (context.activity.replyToId) await context.updateActivity({ ...cardMessage(card), id: context.activity.replyToId });
    await context.sendActivity(strings.groups.created(result.group.name, result.group.meetings.length));
    deps.logger.info({ groupId: result.group.id, members: result.group.members.length, meetings: result.group.meetings.length }, 'learning group created');
    return { card };
  });

  on(VERBS.groupQuestions, async (context) => {
    const group = await groupHere(context, deps);
    if (!deps.groups.mayEdit(group, meOf(context))) throw new AppError('NOT_ALLOWED', 'not the facilitator', { action: 'editGroup' });
    const data = editorChoiceSchema.parse(actionData(context));
    return { card: questionEditorCard(turnStrings(context, deps), languageOfTurn(context, deps.defaultLocale), group, data.scope, data.phase) };
  });

  on(VERBS.groupSaveQuestions, async (context) => {
    const strings = turnStrings(context, deps);
    const language = languageOfTurn(context, deps.defaultLocale);
    const group = await groupHere(context, deps);
    const data = actionData(context);
    const [scope = 'all', phaseText = 'before'] = String(data.shown ?? '').split('|');
    const phase: Phase = phaseText === 'after' ? 'after' : 'before';
    const meeting = scope === 'all' ? undefined : group.meetings.find((m) => m.id === scope);
    const current = meeting?.questions[phase] ?? group.questions[phase];
    const questions = editedQuestions(current, data);
    if (!questions) return { card: questionEditorCard(strings, language, group, scope, phase, strings.groups.editor.invalid) };
    const saved = await deps.groups.updateQuestions(group.tenantId, group.id, meOf(context), phase, meeting?.id, questions);
    await context.sendActivity(strings.groups.editor.saved);
    return { card: questionEditorCard(strings, language, saved, scope, phase) };
  });

  // --- Check-ins ---

  on(VERBS.checkInView, async (context) => ({ card: await personalCheckInCard(context, deps, {}) }));
  on(VERBS.checkInEdit, async (context) => ({ card: await personalCheckInCard(context, deps, { editing: true }) }));

  on(VERBS.checkInAnswer, async (context) => {
    const strings = turnStrings(context, deps);
    const language = languageOfTurn(context, deps.defaultLocale);
    const { checkInId: id, ...input } = actionData(context);
    const me = meOf(context);
    const goalChoices = await goalChoicesOf(deps, me);
    const via = conversationKindOf(context.activity) === 'personal' ? 'personal' : 'group';
    const result = await deps.groups.answer(me.tenantId, checkInIdSchema.parse(id), me, input, via, new Set(goalChoices.map((c) => c.value)));
    const viewer: CheckInViewer = { mode: 'person', aadObjectId: me.aadObjectId, goalChoices };
    if ('problems' in result) return { card: checkInCard(strings, language, deps.timeZone, result.view, { ...viewer, input, problems: result.problems }) };
    if ('closed' in result) return { card: checkInCard(strings, language, deps.timeZone, result.view, viewer) };
    return { card: checkInCard(strings, language, deps.timeZone, result.view, { ...viewer, notice: strings.groups.checkIn.thanks }) };
  });

  // --- Teams meetings: the start and end of a meeting in whose chat a group lives ---

  app.meetings.start(async (context) => {
    await meetingEvent(context, deps, 'before');
  });
  app.meetings.end(async (context) => {
    await meetingEvent(context, deps, 'after');
  });
}

// --- Parsing ---

const checkInIdSchema = z.string().min(1).max(300);
const groupRefSchema = z.object({ groupId: z.string().min(1) });
const editorChoiceSchema = z.object({
  scope: z.string().default('all'),
  phase: z.enum(['before', 'after']).default('before'),
});

/** The group form's values: Input.Date values arrive as date0 … dateN. */
function formOf(context: TurnContext): GroupForm {
  const data = actionData(context);
  const dates = Object.keys(data)
    .filter((key) => /^date\d+$/.test(key))
    .sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)))
    .map((key) => String(data[key] ?? ''));
  const text = (key: string) => (data[key] === undefined || data[key] === null ? undefined : String(data[key]));
  return groupFormSchema.parse({
    groupId: text('groupId') || undefined,
    name: text('name'),
    kind: text('kind'),
    subject: text('subject'),
    grades: text('grades'),
    facilitator: text('facilitator'),
    members: text('members'),
    studentHealth: text('studentHealth'),
    treatment: text('treatment'),
    meetingCount: text('meetingCount'),
    startTime: text('startTime'),
    endTime: text('endTime'),
    dates,
    privacy: text('privacy'),
    beforeLeadHours: text('beforeLeadHours'),
    reminderLeadHours: text('reminderLeadHours'),
  });
}

/** The questions after an edit: labels by position (empty removes), required toggles, one new text question. */
function editedQuestions(current: Question[], data: Record<string, unknown>): Question[] | undefined {
  const edited: Question[] = [];
  current.forEach((question, index) => {
    const label = String(data[`q${index}Label`] ?? question.label).trim();
    if (!label) return;
    const required = data[`q${index}Required`] === undefined ? question.required : String(data[`q${index}Required`]) === 'true';
    edited.push({ ...question, label, required });
  });
  const added = String(data.newLabel ?? '').trim();
  if (added) {
    let n = 1;
    while (edited.some((q) => q.id === `custom${n}`)) n++;
    edited.push({ id: `custom${n}`, kind: 'text', label: added, required: false });
  }
  if (edited.length === 0 || edited.length > MAX_QUESTIONS || edited.some((q) => q.label.length > 300)) return undefined;
  return edited;
}

// --- Where and who ---

function meOf(context: TurnContext): Person & { tenantId: string } {
  const { tenantId, aadObjectId } = personOf(context);
  return { tenantId, aadObjectId, userId: context.activity.from.id, name: context.activity.from.name ?? '' };
}

function whereOf(context: TurnContext): { tenantId: string; conversationId: string } {
  const tenantId = tenantIdOf(context.activity);
  if (!tenantId) throw new AppError('NOT_ALLOWED', 'no tenant', { action: 'editGroup' });
  return { tenantId, conversationId: baseConversationId(context.activity.conversation?.id ?? '') };
}

function conversationOf(context: TurnContext, deps: BotDeps): GroupConversation {
  const kind = conversationKindOf(context.activity);
  if (kind === 'personal') throw new AppError('INVALID_INPUT', 'not in a group conversation', { reason: 'notGroupConversation' });
  const meeting = (context.activity.channelData as { meeting?: { id?: string } } | undefined)?.meeting?.id;
  return {
    ...whereOf(context),
    serviceUrl: context.activity.serviceUrl,
    kind: kind === 'channel' ? 'channel' : meeting ? 'meeting' : 'groupChat',
    botId: context.activity.recipient.id,
    language: languageOfTurn(context, deps.defaultLocale),
  };
}

/** The group named by a card's data, if it lives in this conversation (whatever a crafted card claims). */
async function groupHere(context: TurnContext, deps: BotDeps): Promise<Group> {
  const { groupId } = groupRefSchema.parse(actionData(context));
  const where = whereOf(context);
  const group = await deps.groups.group(where.tenantId, groupId);
  if (!group || group.conversation.conversationId !== where.conversationId) throw new AppError('NOT_FOUND', 'no such group here');
  return group;
}

async function peopleHere(context: TurnContext, deps: BotDeps): Promise<Person[]> {
  if (conversationKindOf(context.activity) === 'personal') throw new AppError('INVALID_INPUT', 'not in a group conversation', { reason: 'notGroupConversation' });
  return (await deps.roster.members(context)).map(({ aadObjectId, userId, name }) => ({ aadObjectId, userId, name }));
}

function withMe(people: Person[], me: Person): Person[] {
  return people.some((p) => p.aadObjectId === me.aadObjectId) ? people : [me, ...people];
}

/** The conversation's people and the group's own members (someone may have left the chat). */
function mergePeople(group: Group, people: Person[]): Person[] {
  const byId = new Map(group.members.map((m) => [m.aadObjectId, { aadObjectId: m.aadObjectId, userId: m.userId, name: m.name }]));
  for (const p of people) byId.set(p.aadObjectId, p);
  return [...byId.values()];
}

async function goalChoicesOf(deps: BotDeps, me: { tenantId: string; aadObjectId: string }) {
  return (await deps.goals.confirmedGoals(me.tenantId, me.aadObjectId)).map((goal) => ({ title: goal.text, value: goal.id }));
}

// --- Cards ---

async function groupCardOf(context: TurnContext, deps: BotDeps, group: Group): Promise<AdaptiveCard> {
  const history = await deps.groups.history(group);
  const counts = (view?: CheckInView): CheckInCount | undefined =>
    !view ? undefined : view.aggregate.visible ? { answered: view.aggregate.answered, members: view.aggregate.members } : { hidden: true };
  const now = deps.now().getTime();
  const meetings: MeetingCounts[] = meetingsInOrder(group).map((meeting) => ({
    date: meeting.date,
    past: deps.groups.meetingTimes(group, meeting).end.getTime() <= now,
    before: counts(history.find((v) => v.checkIn.id === checkInId(group.id, meeting.id, 'before'))),
    after: counts(history.find((v) => v.checkIn.id === checkInId(group.id, meeting.id, 'after'))),
  }));
  return groupCard(turnStrings(context, deps), languageOfTurn(context, deps.defaultLocale), group, meetings);
}

async function logCardOf(context: TurnContext, deps: BotDeps, group: Group): Promise<AdaptiveCard> {
  const history = await deps.groups.history(group);
  return learningLogCard(turnStrings(context, deps), languageOfTurn(context, deps.defaultLocale), group, deps.organisation.file.schoolYear.name, history);
}

async function personalCheckInCard(context: TurnContext, deps: BotDeps, extra: Partial<CheckInViewer>): Promise<AdaptiveCard> {
  const strings = turnStrings(context, deps);
  const language = languageOfTurn(context, deps.defaultLocale);
  const me = meOf(context);
  const id = checkInIdSchema.parse(actionData(context).checkInId);
  const view = await deps.groups.view(me.tenantId, id);
  const isMember = view.checkIn.members.some((m) => m.aadObjectId === me.aadObjectId);
  if (!isMember) {
    // Someone outside the group sees, in the group's own conversation, what the group's card shows there anyway;
    // anywhere else (a crafted card in another chat) nothing: a named group's card carries names and answers.
    if (whereOf(context).conversationId !== view.group.conversation.conversationId) throw new AppError('NOT_ALLOWED', 'not a member', { action: 'checkIn' });
    return checkInCard(strings, language, deps.timeZone, view, { mode: 'person', aadObjectId: me.aadObjectId });
  }
  const goalChoices = await goalChoicesOf(deps, me);
  return checkInCard(strings, language, deps.timeZone, view, { mode: 'person', aadObjectId: me.aadObjectId, goalChoices, ...extra });
}

/** The group's card for a check-in just opened, posted in this turn. */
async function postCheckIn(context: TurnContext, deps: BotDeps, group: Group, meetingId: string, phase: Phase): Promise<CheckIn | undefined> {
  return postGroupCheckIn(deps.groups, deps.timeZone, group, meetingId, phase, async (card) => (await context.sendActivity(cardMessage(card)))?.id);
}

/** Posts the group's next check-in here; false when every one is posted already. */
async function postNextCheckIn(context: TurnContext, deps: BotDeps, group: Group): Promise<boolean> {
  const next = await deps.groups.nextDueCheckIn(group);
  if (!next) return false;
  await postCheckIn(context, deps, group, next.meeting.id, next.phase);
  return true;
}

async function meetingEvent(context: TurnContext, deps: BotDeps, phase: Phase): Promise<void> {
  const tenantId = tenantIdOf(context.activity);
  if (!tenantId) return;
  const conversationId = baseConversationId(context.activity.conversation?.id ?? '');
  const today = deps.groups.today();
  for (const group of await deps.groups.groupsIn(tenantId, conversationId)) {
    const meeting = deps.groups.meetingOn(group, today);
    if (meeting) await postCheckIn(context, deps, group, meeting.id, phase);
  }
}
