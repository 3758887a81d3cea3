import { Application, type TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import type { Storage } from 'botbuilder';
import type { BotDeps } from './deps';
import { conversationRefOf, turnOf } from './turn';
import { isUninstall, registerWelcome } from './welcome';
import { registerHelp } from './help';
import { registerGoalDialoguePrincipal } from './goalDialoguePrincipal';
import { registerGoalDialogueTeacher } from './goalDialogueTeacher';
import { registerSchoolGoals } from './schoolGoals';
import { registerLearningGroups } from './learningGroups';
import { registerLearningGroupFacilitator } from './learningGroupFacilitator';
import { registerLearningGroupCheckIns } from './learningGroupCheckIns';

export interface BotAppOptions {
  storage: Storage;
  adapter?: TeamsAdapter;
  botAppId?: string;
}

/** The Teams application: turn state on Table Storage, one register call per feature. */
export function createBotApp(deps: BotDeps, options: BotAppOptions): Application<TurnState> {
  const app = new Application<TurnState>({
    storage: options.storage,
    adapter: options.adapter,
    botAppId: options.botAppId,
    removeRecipientMention: true,
    // teams-ai keeps its typing timer on the application object, shared by
    // concurrent turns; replies here are quick, so it stays off.
    startTypingTimer: false,
    longRunningMessages: false,
  });

  app.turn('beforeTurn', async (context) => {
    const log = deps.logger.child({ activityId: context.activity.id, conversationId: context.activity.conversation?.id });
    const tenantId = turnOf(context, deps).who.tenantId?.toLowerCase();
    if (deps.allowedTenants.length > 0 && (!tenantId || !deps.allowedTenants.includes(tenantId))) {
      log.warn({ tenantId }, 'activity from a tenant that is not allowed; ignored');
      return false;
    }
    // Every incoming activity refreshes the stored reference (service URLs move).
    const ref = conversationRefOf(context.activity, deps.now());
    if (ref && !(await isUninstall(context))) await deps.conversations.save(ref);
    return true;
  });

  registerWelcome(app, deps);
  registerHelp(app, deps);
  registerGoalDialoguePrincipal(app, deps);
  registerGoalDialogueTeacher(app, deps);
  registerSchoolGoals(app, deps);
  registerLearningGroups(app, deps);
  registerLearningGroupFacilitator(app, deps);
  registerLearningGroupCheckIns(app, deps);
  return app;
}
