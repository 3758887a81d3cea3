import { type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { languageChoiceCard } from '../cards/language';
import { VERBS } from '../cards/verbs';
import { chooseLanguage, type ChosenLanguage, LANGUAGES, parseLanguageChoice } from '../domain/languageChoice';
import { z } from 'zod';
import { stringsFor } from '../i18n';
import { actionData, onCardAction } from './cardActions';
import { cardMessage } from './cards';
import type { BotDeps } from './deps';
import { isInstall } from './welcome';
import { commandWords } from './commands';
import { commandText, isCommand, tenantIdOf, turnOf } from './turn';

/**
 * `språk` / `language`: a person chooses Swedish or English for Målbild,
 * whatever their Teams speaks. The choice is read once per turn, before the
 * routes (loadChosenLanguage), and the turn's language follows it
 * (turn.ts). Proactive messages to the person follow it too (src/effects).
 */

const CHOSEN = Symbol('målbild.chosenLanguage');

/**
 * Reads the acting person's choice into the turn. The preferences are
 * remembered in memory (storage/languagePreferenceTable.ts), so most turns
 * make no request here. An installation is greeted without waiting for
 * storage: it uses what memory knows, else the language of Teams.
 */
export async function loadChosenLanguage(context: TurnContext, deps: BotDeps): Promise<void> {
  const tenantId = tenantIdOf(context.activity);
  const aadObjectId = context.activity.from?.aadObjectId;
  if (!tenantId || !aadObjectId) return;
  const chosen = (await isInstall(context))
    ? (deps.languages.knownLanguage(tenantId, aadObjectId) ?? undefined)
    : await deps.languages.chosenLanguage(tenantId, aadObjectId);
  if (chosen) context.turnState.set(CHOSEN, chosen);
}

/** The language the person chose, when loadChosenLanguage found one for this turn. */
export function chosenLanguageOf(context: TurnContext): ChosenLanguage | undefined {
  return context.turnState.get<ChosenLanguage | undefined>(CHOSEN);
}

const choiceSchema = z.object({ language: z.enum(LANGUAGES) });

export function registerLanguage(app: Application<TurnState>, deps: BotDeps): void {
  app.message(isCommand('language'), async (context) => {
    const turn = turnOf(context, deps);
    await turn.replyWithExpectedErrors(async () => {
      const argument = commandWords(commandText(context.activity)).replace(/^\S+\s*/, '');
      const language = parseLanguageChoice(argument);
      if (!language) {
        await context.sendActivity(cardMessage(languageChoiceCard(turn.language)));
        return;
      }
      await choose(context, deps, language);
      await context.sendActivity(stringsFor(language).language.chosen);
    });
  });

  onCardAction(
    app,
    VERBS.languageChoose,
    async (turn) => {
      const { language } = choiceSchema.parse(actionData(turn.context));
      await choose(turn.context, deps, language);
      return { card: languageChoiceCard(language, language) };
    },
    deps,
  );
}

async function choose(context: TurnContext, deps: BotDeps, language: ChosenLanguage): Promise<void> {
  const turn = turnOf(context, deps);
  await chooseLanguage(deps.languages, turn.person(), language, deps.now());
  // The rest of this turn speaks the new language too.
  context.turnState.set(CHOSEN, language);
}
