import type { Application, TurnState } from '@microsoft/teams-ai';
import { formOfGroup, groupFormCard, type GroupFormNetwork, LISTED_PEOPLE_MAX, questionEditorCard } from '../cards/groupViews';
import { PEOPLE_DATASET } from '../cards/groups';
import { VERBS } from '../cards/verbs';
import { AppError } from '../domain/errors';
import { newFormId } from '../domain/formIds';
import type { Group } from '../domain/learningGroup';
import {
  editedQuestions,
  editorChoiceSchema,
  groupFormOf,
  MAX_PEOPLE_RESULTS,
  meetingCountOf,
  searchPeople,
  shownQuestionsSchema,
} from '../domain/learningGroupForms';
import { DEFAULT_END, DEFAULT_START, type GroupForm, groupFormSchema } from '../domain/learningGroupFormRules';
import type { GroupConversation, Person } from '../domain/learningGroupService';
import { actionData, onCardAction } from './cardActions';
import { cardMessage } from './cards';
import type { BotDeps } from './deps';
import { groupAccess, groupCardOf, groupCardsOf, groupHere, groupPlace } from './learningGroupReplies';
import { isCommand, type Turn, turnOf } from './turn';

/** Lärgrupper for the facilitator: a new group from the conversation's people, its dates, members and questions. */
export function registerLearningGroupFacilitator(app: Application<TurnState>, deps: BotDeps): void {
  app.message(isCommand('newGroup'), (context) => {
    const turn = turnOf(context, deps);
    return turn.replyWithExpectedErrors(async () => {
      const people = await peopleHere(turn, deps);
      const me = turn.person();
      const network = await networkOf(turn, deps);
      // In the principals' team every group is the organisation's: an utvecklingsgrupp to begin with.
      const acrossSchools = deps.organisation.isPrincipalsTeam(turn.where.team);
      const kind = acrossSchools ? 'utvecklingsgrupp' : 'lärgrupp';
      const count = deps.groups.defaultMeetingCount(kind);
      const dates = deps.groups.spreadMeetings(count);
      // A small chat is usually the group itself; in a channel (a whole staff team) the group is chosen, starting from its creator.
      const everyone = turn.where.kind === 'groupChat' && people.length <= LISTED_PEOPLE_MAX;
      const form: GroupForm = {
        ...groupFormSchema.parse({}),
        kind,
        crossSchool: acrossSchools ? 'true' : '',
        facilitator: me.aadObjectId,
        members: everyone ? people.map((p) => p.aadObjectId).join(',') : me.aadObjectId,
        meetingCount: String(count),
        startTime: DEFAULT_START,
        endTime: DEFAULT_END,
        dates,
        privacy: 'totals',
        formId: newFormId(deps.now()),
      };
      await context.sendActivity(cardMessage(groupFormCard(turn.strings, form, withMe(people, me), { noSchoolDays: dates.length === 0, network })));
    });
  });

  // The form's pickers, searched as someone types (Teams' dynamic typeahead, Data.Query): the conversation's people by name.
  app.adaptiveCards.search(PEOPLE_DATASET, async (context, _state, query) => {
    const turn = turnOf(context, deps);
    if (turn.where.kind === 'personal') return [];
    try {
      const found = searchPeople(await peopleHere(turn, deps), query.parameters.queryText, {
        skip: query.skip,
        top: Math.min(query.count, MAX_PEOPLE_RESULTS),
      });
      return found.map((p) => ({ title: p.name, value: p.aadObjectId }));
    } catch (error) {
      // Teams shows an empty list; the choices already on the card still work.
      deps.logger.warn({ err: error, activityId: context.activity.id }, 'could not search the roster for the group form');
      return [];
    }
  });

  onCardAction(
    app,
    VERBS.groupEdit,
    async (turn) => {
      const group = await groupHere(turn, deps, 'edit');
      const people = await peopleHere(turn, deps);
      return {
        card: groupFormCard(turn.strings, formOfGroup(group), mergePeople(group, people), {
          groupName: group.name,
          network: await networkOf(turn, deps, group),
        }),
      };
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.groupSpread,
    async (turn) => {
      const form = groupFormOf(actionData(turn.context));
      // The edit form of a group shows its members: only its facilitator, in its conversation, gets it back.
      const existing = form.groupId ? await deps.groups.groupFor(groupAccess(turn), form.groupId, 'edit') : undefined;
      const count = meetingCountOf(form, deps.groups.defaultMeetingCount(form.kind));
      const dates = deps.groups.spreadMeetings(count);
      const people = await peopleHere(turn, deps);
      return {
        card: groupFormCard(
          turn.strings,
          { ...form, meetingCount: String(count), dates },
          existing ? mergePeople(existing, people) : withMe(people, turn.person()),
          {
            groupName: existing?.name,
            noSchoolDays: dates.length === 0,
            network: await networkOf(turn, deps, existing),
          },
        ),
      };
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.groupSave,
    async (turn) => {
      const { context, strings } = turn;
      const form = groupFormOf(actionData(context));
      const me = turn.person();
      const people = withMe(await peopleHere(turn, deps), me);
      if (form.groupId) {
        const access = groupAccess(turn);
        const result = await deps.groups.updateGroup(access, form.groupId, form, people);
        if ('problems' in result) {
          const existing = await deps.groups.groupFor(access, form.groupId, 'edit');
          return {
            card: groupFormCard(strings, form, existing ? mergePeople(existing, people) : people, {
              groupName: existing?.name,
              problems: result.problems,
              network: await networkOf(turn, deps, existing),
            }),
          };
        }
        await context.sendActivity(strings.groups.saved(result.group.name));
        return { card: await groupCardOf(turn, deps, result.group, 'me') };
      }
      // A group across schools: who creates it, and where, are checked on the server (learningGroupNetwork.ts).
      const team = turn.where.team;
      const where = deps.groups.isCrossSchool(form, team) ? { actor: await turn.actor(), team } : { team };
      const result = await deps.groups.createGroup(conversationOf(turn), me, form, people, where);
      if ('problems' in result) return { card: groupFormCard(strings, form, people, { problems: result.problems, network: await networkOf(turn, deps) }) };
      const cardFor = await groupCardsOf(turn, deps, result.group);
      const card = cardFor('me');
      // The form became this group already (submitted twice): its card, nothing created or announced again.
      if (result.existing) return { card };
      // The form becomes the group's card for everyone in the conversation (without the editing buttons).
      if (context.activity.replyToId) await context.updateActivity({ ...cardMessage(cardFor('everyone')), id: context.activity.replyToId });
      const created = result.group.crossSchool ? strings.network.created : strings.groups.created;
      await context.sendActivity(created(result.group.name, result.group.meetings.length));
      deps.logger.info(
        {
          groupId: result.group.id,
          members: result.group.members.length,
          meetings: result.group.meetings.length,
          crossSchool: Boolean(result.group.crossSchool),
        },
        'learning group created',
      );
      return { card };
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.groupQuestions,
    async (turn) => {
      const group = await groupHere(turn, deps, 'edit');
      const data = editorChoiceSchema.parse(actionData(turn.context));
      return { card: questionEditorCard(turn.strings, turn.language, group, data.scope, data.phase) };
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.groupSaveQuestions,
    async (turn) => {
      const { strings, language } = turn;
      const group = await groupHere(turn, deps, 'edit');
      const data = actionData(turn.context);
      const { scope, phase } = shownQuestionsSchema.parse(data.shown);
      // The choice lists may have been changed without loading: saving would put the shown questions where they were not chosen.
      const chosen = editorChoiceSchema.safeParse(data);
      if (chosen.success && (chosen.data.scope !== scope || chosen.data.phase !== phase)) {
        return { card: questionEditorCard(strings, language, group, scope, phase, strings.groups.editor.notShown) };
      }
      const meeting = scope === 'all' ? undefined : group.meetings.find((m) => m.id === scope);
      const current = meeting?.questions[phase] ?? group.questions[phase];
      const questions = editedQuestions(current, data);
      if (!questions) return { card: questionEditorCard(strings, language, group, scope, phase, strings.groups.editor.invalid) };
      const saved = await deps.groups.updateQuestions(groupAccess(turn), group.id, phase, meeting?.id, questions);
      await turn.context.sendActivity(strings.groups.editor.saved);
      return { card: questionEditorCard(strings, language, saved, scope, phase) };
    },
    deps,
  );
}

/** Where a new group will live: this conversation, which must be a channel, a group chat or a meeting's chat. */
function conversationOf(turn: Turn): GroupConversation {
  const { place } = turn.where;
  if (place === 'personal') throw new AppError('INVALID_INPUT', 'not in a group conversation', { reason: 'notGroupConversation' });
  return {
    ...groupPlace(turn),
    serviceUrl: turn.context.activity.serviceUrl,
    kind: place,
    botId: turn.context.activity.recipient.id,
    language: turn.language,
  };
}

/**
 * The conversation's people, as Teams lists them: read at most a minute ago,
 * so that the form, its searches and its saving see the same people quickly.
 */
async function peopleHere(turn: Turn, deps: BotDeps): Promise<Person[]> {
  if (turn.where.kind === 'personal') throw new AppError('INVALID_INPUT', 'not in a group conversation', { reason: 'notGroupConversation' });
  const members = await (deps.roster.recentMembers ?? deps.roster.members).call(deps.roster, turn.context);
  return members.map(({ aadObjectId, userId, name }) => ({ aadObjectId, userId, name }));
}

/**
 * What the group form offers of a group across schools: for a new group,
 * outside the schools' staff teams, the choice and the development area to
 * those who may create one (a manager, a principal, an admin); for a group
 * that is one, its area. Only what is shown: the server checks the submit.
 */
async function networkOf(turn: Turn, deps: BotDeps, group?: Group): Promise<GroupFormNetwork> {
  const areas = deps.groups.developmentAreas();
  if (group) return { choice: false, area: group.crossSchool !== undefined, areas };
  if (deps.organisation.schoolByTeam(turn.where.team)) return { choice: false, area: false, areas };
  const may = deps.groups.mayCreateAcrossSchools(await turn.actor());
  return { choice: may, area: may, areas };
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
