import type { Application, TurnState } from '@microsoft/teams-ai';
import { formatDate, participantGoalsCard } from '../cards/goalViews';
import { VERBS } from '../cards/verbs';
import type { Dialogue, Participation } from '../domain/goalDialogue';
import { teacherRefSchema } from '../domain/goalDialogueForms';
import { isOrganisationUnit } from '../domain/organisation';
import { proposalOf } from '../domain/cascadeFocus';
import { participantState } from '../domain/goalDialogue';
import { actionData, onCardAction } from './cardActions';
import type { BotDeps } from './deps';
import type { Turn } from './turn';
import { type Language, listOf } from '../i18n';

/**
 * The cascade in the manager's view of one principal: whether the
 * principal's goals are their school's goals yet, and the button that
 * makes them so. The approval itself is checked in the domain (only the
 * managers, only confirmed goals).
 */
export function registerGoalChain(app: Application<TurnState>, deps: BotDeps): void {
  onCardAction(
    app,
    VERBS.schoolGoalsApprove,
    async (turn) => {
      const { dialogueId, teacher } = teacherRefSchema.parse(actionData(turn.context));
      const me = turn.person();
      const actor = await turn.actor();
      const view = await deps.goals.teacherGoalsForPrincipal(me.tenantId, dialogueId, teacher, actor);
      if (!isOrganisationUnit(view.dialogue.schoolId)) return { message: turn.strings.errors.invalidInput };
      const schools = schoolNames(deps, teacher, turn.language);
      if (!schools) return { message: turn.strings.cascade.noSchool };
      if (view.participation.status !== 'done') return { message: turn.strings.cascade.notConfirmed };
      const adoption = await deps.chain.approve(me.tenantId, dialogueId, teacher, actor);
      if (adoption.changed) deps.logger.info({ dialogueId, schools: adoption.schools.length }, 'school goals adopted from the principals’ dialogue');
      await turn.context.sendActivity(adoption.changed ? turn.strings.cascade.adoptedNow(schools) : turn.strings.cascade.unchanged(schools));
      const unreachable = await deps.delivery.unreachable(view.dialogue);
      const state = participantState(view.participation, !unreachable.has(teacher));
      const cascade = await cascadeOf(turn, deps, view.dialogue, view.participation);
      return { card: participantGoalsCard(turn.strings, view.dialogue, view.participation, state, view.confirmed?.goals, view.notes, false, cascade) };
    },
    deps,
  );
}

/** What the manager's view of one principal says of the cascade; nothing for a school's own målsamtal. */
export async function cascadeOf(
  turn: Turn,
  deps: BotDeps,
  dialogue: Dialogue,
  participation: Participation,
): Promise<{ text: string; canApprove: boolean } | undefined> {
  if (!isOrganisationUnit(dialogue.schoolId)) return undefined;
  const cascade = await cascadeTextOf(turn, deps, dialogue, participation);
  // The fokusområde the principal proposes for the school goes with the goals (cascadeFocus.ts).
  const proposal = proposalOf(participation);
  return cascade && proposal ? { ...cascade, text: `${cascade.text}\n\n${turn.strings.network.focus.forManager(proposal.title)}` } : cascade;
}

async function cascadeTextOf(
  turn: Turn,
  deps: BotDeps,
  dialogue: Dialogue,
  participation: Participation,
): Promise<{ text: string; canApprove: boolean } | undefined> {
  const strings = turn.strings.cascade;
  const schools = schoolNames(deps, participation.aadObjectId, turn.language);
  if (!schools) return { text: strings.noSchool, canApprove: false };
  const adopted = (await deps.chain.adoptedGoals(dialogue, participation.aadObjectId)).filter((goal) => goal.status === 'active');
  const confirmed = participation.status === 'done';
  if (deps.chain.adoptsOnConfirm(dialogue)) return { text: strings.ownConfirm(schools), canApprove: false };
  if (adopted.length > 0) {
    const latest = adopted
      .map((goal) => goal.updatedAt)
      .sort()
      .at(-1)!;
    // Confirmed again since: the new version may be approved too.
    const newer = confirmed && (participation.confirmedAt ?? '') > latest;
    return { text: strings.adopted(schools, formatDate(latest.slice(0, 10), turn.language)), canApprove: newer };
  }
  return { text: strings.willBecome(schools), canApprove: confirmed };
}

/** The schools a principal leads, as one phrase ("Norrskolan", "A och B"); undefined when none. */
function schoolNames(deps: BotDeps, principalAad: string, language: Language): string | undefined {
  const names = deps.organisation.schoolsLedBy({ aadObjectId: principalAad }).map((school) => school.name);
  return names.length > 0 ? listOf(names, language) : undefined;
}
