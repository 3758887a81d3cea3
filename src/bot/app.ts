import type { TeamsAdapter, TurnState } from '@microsoft/teams-ai';
// Its own module, not the index, for the reason given in adapter.ts.
import { Application } from '@microsoft/teams-ai/lib/Application';
import type { TurnContext } from 'botbuilder';
import type { BotDeps } from './deps';
import { ConversationRefs } from './conversationRefs';
import { answerRedelivery, claimActivity, deferClaim, releaseActivity } from './once';
import { registerUnknownCardActions, verbOf } from './cardActions';
import { VERBS } from '../cards/verbs';
import { conversationKindOf, isCommand, isUnknownText, conversationRefOf, turnOf } from './turn';
import { isInstall, isUninstall, registerWelcome } from './welcome';
import { registerHelp } from './help';
import { registerGoalChain } from './goalChain';
import { registerCascadeFocus } from './cascadeFocus';
import { loadChosenLanguage, registerLanguage } from './language';
import { registerGoalDialoguePrincipal } from './goalDialoguePrincipal';
import { readGoalStepAhead, registerGoalDialogueTeacher, settleGoalStepAhead } from './goalDialogueTeacher';
import { registerSchoolGoals } from './schoolGoals';
import { registerSchoolFocus } from './schoolFocus';
import { registerLearningGroups } from './learningGroups';
import { registerLearningGroupFacilitator } from './learningGroupFacilitator';
import { deferCheckInAnswerClaim, isCheckInAnswer, registerLearningGroupCheckIns } from './learningGroupCheckIns';
import { registerGoalMap } from './goalMap';
import { registerFollowUps } from './followUps';
import { registerFollowUpTeacher } from './followUpTeacher';
import { registerFollowUpRounds } from './followUpRounds';
import { registerNudges } from './nudges';
import { registerIndicators } from './indicators';
import { registerResultDialogue } from './resultDialogue';

export interface BotAppOptions {
  adapter?: TeamsAdapter;
  botAppId?: string;
}

/**
 * The Teams application, one register call per feature. It runs without
 * teams-ai's turn-state storage: no route reads or writes `state`, Målbild
 * keeps what it needs in its own tables, and loading and saving the
 * conversation and user scopes cost two reads on every turn for nothing.
 * A turn that fails with an unexpected error gives back its claim on the
 * activity, so that Teams' redelivery runs it again (see once.ts).
 */
export function createBotApp(deps: BotDeps, options: BotAppOptions = {}): Application<TurnState> {
  const app = new (class extends Application<TurnState> {
    override async run(context: TurnContext): Promise<boolean> {
      let ran: boolean;
      try {
        ran = await super.run(context);
      } catch (error) {
        await settleGoalStepAhead(context, deps);
        await releaseActivity(context, deps);
        throw error;
      }
      await settleGoalStepAhead(context, deps);
      return ran;
    }
  })({
    adapter: options.adapter,
    botAppId: options.botAppId,
    removeRecipientMention: true,
    // teams-ai keeps its typing timer on the application object, shared by
    // concurrent turns; replies here are quick, so it stays off.
    startTypingTimer: false,
    longRunningMessages: false,
  });
  const references = new ConversationRefs(deps.conversations);

  app.turn('beforeTurn', async (context) => {
    const log = deps.logger.child({ activityId: context.activity.id, conversationId: context.activity.conversation?.id });
    const tenantId = turnOf(context, deps).who.tenantId?.toLowerCase();
    if (deps.allowedTenants.length > 0 && (!tenantId || !deps.allowedTenants.includes(tenantId))) {
      log.warn({ tenantId }, 'activity from a tenant that is not allowed; ignored');
      return false;
    }
    // The person's chosen language, read while the claim is written (from memory on most turns).
    const chosenLanguage = loadChosenLanguage(context, deps);
    chosenLanguage.catch(() => undefined);
    if (await mayBeGoalStep(context)) {
      // A teacher's step reads her active pointer: start it now (the turn keeps it). Its claim is the save of her goals (once.ts).
      const turn = turnOf(context, deps);
      turn.activeDialogueId().catch(() => undefined);
      await readGoalStepAhead(context, deps);
      const activityId = context.activity.id;
      const handledBefore = async () => {
        // A save ahead that her step did not take is undone first; the id it wrote is this turn's own.
        const own = await settleGoalStepAhead(context, deps);
        return (await turn.teacherDialogues()).some(
          ({ dialogue, participation }) => dialogue.id !== own && activityId !== undefined && participation.handledActivities?.includes(activityId),
        );
      };
      deferClaim(context, deps, handledBefore);
    } else if (isCheckInAnswer(context)) {
      // A check-in answer's claim is the save of the answer (learningGroupCheckIns.ts).
      deferCheckInAnswerClaim(context, deps);
    } else if (!(await claimActivity(context, deps))) {
      log.info('activity delivered again; it was processed already');
      await answerRedelivery(context);
      return false;
    }
    await chosenLanguage;
    // The stored reference follows the activities (service URLs move), written when it changed.
    const ref = conversationRefOf(context.activity, deps.now());
    if (await isUninstall(context)) {
      if (ref) references.forget(ref.tenantId, ref.conversationId);
    } else if (ref) {
      await references.refresh(ref, deps.now(), await isInstall(context));
    }
    return true;
  });

  registerWelcome(app, deps);
  registerLanguage(app, deps);
  registerHelp(app, deps);
  registerGoalDialoguePrincipal(app, deps);
  registerGoalChain(app, deps);
  registerCascadeFocus(app, deps);
  registerGoalDialogueTeacher(app, deps);
  registerSchoolGoals(app, deps);
  registerSchoolFocus(app, deps);
  registerLearningGroups(app, deps);
  registerLearningGroupFacilitator(app, deps);
  registerLearningGroupCheckIns(app, deps);
  registerGoalMap(app, deps);
  registerFollowUps(app, deps);
  registerFollowUpTeacher(app, deps);
  registerFollowUpRounds(app, deps);
  registerNudges(app, deps);
  registerIndicators(app, deps);
  registerResultDialogue(app, deps);
  // Last: it answers every card action no route above has taken.
  registerUnknownCardActions(app, deps);
  return app;
}

const TEACHER_COMMANDS = [isCommand('resume'), isCommand('pause'), isCommand('back'), isCommand('cancel')];
const TEACHER_VERBS: ReadonlySet<string> = new Set([
  VERBS.goalsBegin,
  VERBS.goalsAnswer,
  VERBS.goalsBack,
  VERBS.goalsPause,
  VERBS.goalsEdit,
  VERBS.goalsRemove,
  VERBS.goalsAdd,
  VERBS.goalsConfirm,
]);

/**
 * What in a 1:1 chat a teacher's goal step may take: typed text (an answer,
 * or text that turns out to be none), a step command, her card's action.
 * Only activities with an id and a conversation (a claim needs both).
 */
async function mayBeGoalStep(context: TurnContext): Promise<boolean> {
  const { activity } = context;
  if (conversationKindOf(activity) !== 'personal' || !activity.id || !activity.conversation?.id) return false;
  if (TEACHER_VERBS.has(verbOf(context) ?? '')) return true;
  if (await isUnknownText(context)) return true;
  for (const command of TEACHER_COMMANDS) if (await command(context)) return true;
  return false;
}
