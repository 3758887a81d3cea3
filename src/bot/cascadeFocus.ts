import type { Application, TurnState } from '@microsoft/teams-ai';
import { cascadeFocusFormCard, valuesOfProposal } from '../cards/cascadeFocus';
import type { AdaptiveCard } from '../cards/render';
import { VERBS } from '../cards/verbs';
import { goalIndexesOf, needsFocusArea, proposalOf } from '../domain/cascadeFocus';
import { AppError } from '../domain/errors';
import type { Dialogue, FlowReply, Participation } from '../domain/goalDialogue';
import { dialogueRefSchema } from '../domain/goalDialogueForms';
import type { FieldProblem, FocusAreaField } from '../domain/schoolFocus';
import { listOf } from '../i18n';
import { actionData, onCardAction } from './cardActions';
import type { BotDeps } from './deps';
import { cardForReply, confirmedCopy } from './goalDialogueReplies';
import type { Turn } from './turn';

/**
 * The school's fokusområde in the principal's målsamtal with the managers
 * (domain/cascadeFocus.ts), in the principal's 1:1 chat: once the goals are
 * written the flow shows its form, filled in with the school's current
 * fokusområde; the summary then shows the proposal with a button to change
 * it. Only the acting principal's own participation changes, whatever the
 * card's data says (GoalChainService.proposeFocusArea).
 */
export function registerCascadeFocus(app: Application<TurnState>, deps: BotDeps): void {
  onCardAction(
    app,
    VERBS.goalsFocusEdit,
    async (turn) => {
      const { dialogue, participation } = await ownStep(turn, deps);
      return { card: await cascadeFocusForm(turn, deps, dialogue, participation) };
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.goalsFocusSave,
    async (turn) => {
      const { dialogueId } = dialogueRefSchema.parse(actionData(turn.context));
      const me = turn.person();
      const result = await deps.chain.proposeFocusArea(me.tenantId, dialogueId, me.aadObjectId, { data: actionData(turn.context) });
      if ('problems' in result) {
        return { card: await cascadeFocusForm(turn, deps, result.dialogue, result.participation, { problems: result.problems, typed: result.typed }) };
      }
      const own = deps.chain.adoptsOnConfirm(result.dialogue);
      await turn.context.sendActivity(own ? turn.strings.network.focus.savedOwn : turn.strings.network.focus.saved);
      return { card: summaryOf(turn, result.dialogue, result.participation) };
    },
    deps,
  );

  onCardAction(
    app,
    VERBS.goalsFocusKeep,
    async (turn) => {
      const { dialogueId } = dialogueRefSchema.parse(actionData(turn.context));
      const me = turn.person();
      const result = await deps.chain.proposeFocusArea(me.tenantId, dialogueId, me.aadObjectId, { keep: true });
      return { card: summaryOf(turn, result.dialogue, result.participation) };
    },
    deps,
  );
}

/**
 * The card that answers a move of the principal's flow, when it is the
 * fokusområde's form: the goals are written and the fokusområde not yet
 * answered. Undefined otherwise (the flow's own card stands), also for a
 * participant the organisation file names as principal of no school.
 */
export async function cascadeFocusCardFor(
  turn: Turn,
  deps: BotDeps,
  dialogue: Dialogue,
  participation: Participation,
  reply: FlowReply,
): Promise<AdaptiveCard | undefined> {
  if (reply.kind !== 'summary' || !needsFocusArea(dialogue, participation)) return undefined;
  if (deps.organisation.schoolsLedBy({ aadObjectId: participation.aadObjectId }).length === 0) return undefined;
  return cascadeFocusForm(turn, deps, dialogue, participation);
}

async function ownStep(turn: Turn, deps: BotDeps): Promise<{ dialogue: Dialogue; participation: Participation }> {
  const me = turn.person();
  const { dialogueId } = dialogueRefSchema.parse(actionData(turn.context));
  const step = await deps.goals.teacherStep(me.tenantId, me.aadObjectId, { dialogueId });
  const participation = step?.participation?.value;
  if (!step || !participation) throw new AppError('NOT_FOUND', 'not a participant of that dialogue');
  return { dialogue: step.dialogue, participation };
}

/** The principal's summary after the fokusområde is answered (the copy they keep, once confirmed and closed). */
function summaryOf(turn: Turn, dialogue: Dialogue, participation: Participation): AdaptiveCard {
  if (dialogue.status === 'closed') return confirmedCopy(turn.strings, dialogue, participation);
  return cardForReply(turn.strings, dialogue, participation, { kind: 'summary' })!;
}

/**
 * The form, filled in with what the principal proposed, else the current
 * fokusområde of the (first) school they lead, its goals as the principal's
 * goals where this målsamtal made them; or as typed, with its problems.
 */
async function cascadeFocusForm(
  turn: Turn,
  deps: BotDeps,
  dialogue: Dialogue,
  participation: Participation,
  refused?: { problems: Partial<Record<FocusAreaField, FieldProblem>>; typed: Record<FocusAreaField, string> },
): Promise<AdaptiveCard> {
  const schools = deps.organisation.schoolsLedBy({ aadObjectId: participation.aadObjectId });
  const [first] = schools;
  const current = first ? (await deps.schoolFocus.focusArea(first)).focus?.value : undefined;
  const proposal = proposalOf(participation);
  const values =
    refused?.typed ??
    (proposal
      ? valuesOfProposal(proposal)
      : {
          title: current?.title ?? '',
          period: current?.period ?? '',
          why: current?.why ?? '',
          goals: goalIndexesOf(dialogue.id, current?.goalIds ?? [], participation.goals.length)
            .map((i) => String(i + 1))
            .join(','),
        });
  return cascadeFocusFormCard(turn.strings, {
    dialogueId: dialogue.id,
    schools: listOf(
      schools.map((school) => school.name),
      turn.language,
    ),
    goals: participation.goals,
    values,
    hasCurrent: current !== undefined,
    ...(refused ? { problems: refused.problems } : {}),
  });
}
