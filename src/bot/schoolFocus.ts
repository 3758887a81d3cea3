import type { Application, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import {
  focusAreaCard,
  focusAreaFormCard,
  focusAreaFormValues,
  type Notice,
  processMapCard,
  processMapEditorCard,
  processStepFormCard,
} from '../cards/schoolFocusViews';
import { MAX_REFRESH_USERS } from '../cards/schoolFocus';
import type { AdaptiveCard } from '../cards/render';
import { VERBS } from '../cards/verbs';
import { isAppError } from '../domain/errors';
import type { Actor, School } from '../domain/organisation';
import type { ProcessMapChange, SchoolFocusKind } from '../domain/schoolFocus';
import { actionData, type CardActionResult, onCardAction } from './cardActions';
import { cardMessage } from './cards';
import type { BotDeps } from './deps';
import { isCommand, type Turn, turnOf } from './turn';

/**
 * `fokusområde` and `processkarta`: the school's fokusområde and
 * processkarta, shown in the staff channel to everyone (they hold no
 * teacher's goals) and in the principal's 1:1 chat. In the channel the card
 * carries a Universal Actions refresh for the school's principals, whose
 * own view has "Ändra"; every edit is checked on the server, whoever sends it.
 */
export function registerSchoolFocus(app: Application<TurnState>, deps: BotDeps): void {
  for (const kind of ['focusArea', 'processMap'] as const) {
    app.message(isCommand(kind), (context) => {
      const turn = turnOf(context, deps);
      return turn.replyWithExpectedErrors(() => showCommand(turn, deps, kind));
    });
  }

  onCardAction(app, VERBS.focusAreaShow, async (turn) => ({ card: await focusAreaView(turn, deps, schoolOf(turn, deps)) }), deps);

  onCardAction(
    app,
    VERBS.focusAreaEdit,
    async (turn) => {
      const school = deps.schoolFocus.editable(schoolOf(turn, deps).id, await turn.actor(), 'focusArea');
      return { card: await focusAreaForm(turn, deps, school) };
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.focusAreaSave,
    async (turn) => {
      const data = actionData(turn.context);
      const { schoolId, version } = versionedRef.parse(data);
      const actor = await turn.actor();
      try {
        const result = await deps.schoolFocus.saveFocusArea(schoolId, actor, data, version);
        const school = deps.schoolFocus.school(schoolId);
        if ('saved' in result) {
          deps.logger.info({ schoolId, version: result.saved.version }, 'fokusområde saved');
          return { card: await focusAreaView(turn, deps, school, { text: turn.strings.focus.area.saved, good: true }) };
        }
        const { goals } = await deps.schoolFocus.focusArea(school);
        const active = goals.filter((goal) => goal.status === 'active');
        return { card: focusAreaFormCard(turn.strings, school, result.typed, version, active, result.problems) };
      } catch (error) {
        if (!isAppError(error, 'STALE')) throw error;
        return { card: await focusAreaForm(turn, deps, deps.schoolFocus.school(schoolId), turn.strings.focus.area.stale) };
      }
    },
    deps,
  );

  onCardAction(app, VERBS.processMapShow, async (turn) => ({ card: await processMapView(turn, deps, schoolOf(turn, deps)) }), deps);

  onCardAction(
    app,
    VERBS.processMapEdit,
    async (turn) => {
      const school = deps.schoolFocus.editable(schoolOf(turn, deps).id, await turn.actor(), 'processMap');
      return { card: await editor(deps, turn, school) };
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.processMapStep,
    async (turn) => {
      const { schoolId, version, index } = stepRef.parse(actionData(turn.context));
      const school = deps.schoolFocus.editable(schoolId, await turn.actor(), 'processMap');
      const map = await deps.schoolFocus.processMap(school);
      if ((map?.version ?? 0) !== version) return { card: await editor(deps, turn, school, { text: turn.strings.focus.map.stale, good: false }) };
      const step = index >= 0 ? map?.value[index] : { what: '', who: '', when: '', withWhom: '' };
      if (!step) return { card: await editor(deps, turn, school) };
      return { card: processStepFormCard(turn.strings, school, version, index, step) };
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.processMapSaveStep,
    async (turn) => {
      const data = actionData(turn.context);
      const { index } = stepRef.parse(data);
      return changeMap(turn, deps, { kind: 'save', data, ...(index >= 0 ? { index } : {}) }, turn.strings.focus.editor.saved);
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.processMapRemove,
    async (turn) => changeMap(turn, deps, { kind: 'remove', index: stepRef.parse(actionData(turn.context)).index }, turn.strings.focus.editor.removed),
    deps,
  );

  onCardAction(
    app,
    VERBS.processMapMoveUp,
    async (turn) => changeMap(turn, deps, { kind: 'moveUp', index: stepRef.parse(actionData(turn.context)).index }, turn.strings.focus.editor.moved),
    deps,
  );
}

const schoolRef = z.object({ schoolId: z.string().min(1) });
const versionedRef = schoolRef.extend({ version: z.coerce.number().int().min(0) });
const stepRef = versionedRef.extend({ index: z.coerce.number().int().min(-1) });

function schoolOf(turn: Turn, deps: BotDeps): School {
  return deps.schoolFocus.school(schoolRef.parse(actionData(turn.context)).schoolId);
}

/** The command: in a channel the team's school for everyone; in 1:1 the schools the person leads. */
async function showCommand(turn: Turn, deps: BotDeps, kind: SchoolFocusKind): Promise<void> {
  if (turn.where.kind === 'channel') {
    const school = deps.schoolFocus.schoolOfTeam(turn.where.team);
    // The channel's card is the same for everyone; the principals' clients fetch their view with "Ändra".
    const viewer = { canEdit: false, refreshUserIds: await editorsInTeam(turn, deps, school) };
    await turn.context.sendActivity(cardMessage(await cardOf(turn, deps, school, kind, viewer)));
    return;
  }
  const schools = deps.organisation.schoolsManagedBy(await turn.actor());
  if (schools.length === 0) {
    await turn.context.sendActivity(turn.strings.focus.onlyInTeam);
    return;
  }
  for (const school of schools) await turn.context.sendActivity(cardMessage(await cardOf(turn, deps, school, kind, { canEdit: true, refreshUserIds: [] })));
}

function cardOf(turn: Turn, deps: BotDeps, school: School, kind: SchoolFocusKind, viewer: { canEdit: boolean; refreshUserIds: string[] }) {
  return kind === 'focusArea' ? focusAreaView(turn, deps, school, undefined, viewer) : processMapView(turn, deps, school, viewer);
}

/**
 * The Teams user ids of the school's principals in this team: the one who
 * asked, when it is them, and the others from the team's roster (read only
 * when a principal is still missing). A roster that cannot be read leaves
 * the card refreshing for those found so far.
 */
async function editorsInTeam(turn: Turn, deps: BotDeps, school: School): Promise<string[]> {
  const ids = new Set<string>();
  const { who } = turn;
  const asker = { aadObjectId: who.aadObjectId };
  // An organisation admin who asks sees Ändra too; the school's other principals are looked up unless the asker is its only one.
  if (who.aadObjectId && deps.schoolFocus.mayEdit(school, asker)) ids.add(who.userId);
  if (who.aadObjectId && school.principals.length === 1 && deps.organisation.isPrincipalOf(school, asker)) return [...ids];
  try {
    for (const member of await deps.roster.members(turn.context)) {
      if (deps.organisation.isPrincipalOf(school, member)) ids.add(member.userId);
    }
  } catch (error) {
    deps.logger.warn({ err: error, activityId: turn.context.activity.id }, 'the team roster could not be read; the card refreshes for those found');
  }
  return [...ids].slice(0, MAX_REFRESH_USERS);
}

/**
 * Whoever views: the principal (or an admin) may edit. In a channel the
 * viewer's own copy keeps refreshing for them, so it follows later edits.
 */
async function viewerOf(turn: Turn, deps: BotDeps, school: School): Promise<{ canEdit: boolean; refreshUserIds: string[] }> {
  const actor: Actor = await turn.actor();
  return { canEdit: deps.schoolFocus.mayEdit(school, actor), refreshUserIds: turn.where.kind === 'channel' ? [turn.who.userId] : [] };
}

async function focusAreaView(
  turn: Turn,
  deps: BotDeps,
  school: School,
  notice?: Notice,
  viewer?: { canEdit: boolean; refreshUserIds: string[] },
): Promise<AdaptiveCard> {
  const { focus, goals } = await deps.schoolFocus.focusArea(school);
  return focusAreaCard(turn.strings, turn.language, school, focus, goals, viewer ?? (await viewerOf(turn, deps, school)), notice);
}

async function focusAreaForm(turn: Turn, deps: BotDeps, school: School, notice?: string): Promise<AdaptiveCard> {
  const { focus, goals } = await deps.schoolFocus.focusArea(school);
  const active = goals.filter((goal) => goal.status === 'active');
  return focusAreaFormCard(turn.strings, school, focusAreaFormValues(focus?.value), focus?.version ?? 0, active, {}, notice);
}

async function processMapView(turn: Turn, deps: BotDeps, school: School, viewer?: { canEdit: boolean; refreshUserIds: string[] }): Promise<AdaptiveCard> {
  const map = await deps.schoolFocus.processMap(school);
  return processMapCard(turn.strings, turn.language, school, map, viewer ?? (await viewerOf(turn, deps, school)));
}

async function editor(deps: BotDeps, turn: Turn, school: School, notice?: Notice): Promise<AdaptiveCard> {
  return processMapEditorCard(turn.strings, school, await deps.schoolFocus.processMap(school), notice);
}

/** One change from the editor: the editor again with what happened, the step form with its problems, or the current map when the card was old. */
async function changeMap(turn: Turn, deps: BotDeps, change: ProcessMapChange, done: string): Promise<CardActionResult> {
  const { schoolId, version, index } = stepRef.parse(actionData(turn.context));
  const actor = await turn.actor();
  try {
    const result = await deps.schoolFocus.changeProcessMap(schoolId, actor, change, version);
    const school = deps.schoolFocus.school(schoolId);
    if ('saved' in result) {
      deps.logger.info({ schoolId, version: result.saved.version, change: change.kind }, 'processkarta saved');
      return { card: await editor(deps, turn, school, { text: done, good: true }) };
    }
    return { card: processStepFormCard(turn.strings, school, version, index, result.typed, result.problems) };
  } catch (error) {
    if (isAppError(error, 'STALE'))
      return { card: await editor(deps, turn, deps.schoolFocus.school(schoolId), { text: turn.strings.focus.map.stale, good: false }) };
    if (isAppError(error, 'INVALID_INPUT') && error.details?.reason === 'tooManySteps') {
      return { card: await editor(deps, turn, deps.schoolFocus.school(schoolId)) };
    }
    throw error;
  }
}
