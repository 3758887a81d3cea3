import type { ConversationKind } from '../domain/conversations';
import { SCHOOL_YEAR_ARGUMENT } from '../domain/goalDialogueYears';
import type { Strings } from '../i18n';

/**
 * The text commands, one source of truth for routing and for the help card.
 * Patterns are anchored: "hjälp" must not fire on "hjälpsam".
 */
export type CommandId = keyof Strings['commands'];

export interface Command {
  id: CommandId;
  pattern: RegExp;
  scopes: readonly ConversationKind[];
  /**
   * Listed in the app's command menus (the manifest): `true` in every scope it
   * answers in, a list only in those scopes' menus (Teams shows at most ten per
   * scope); flow commands are only in help.
   */
  menu: boolean | readonly ConversationKind[];
}

const MY_GOALS_WORDS = 'mina mål|my goals';
const GOAL_MAP_WORDS = 'min målbild|målbild|min målkarta|målkarta|goal map|my goal map';

function withSchoolYear(words: string): RegExp {
  return new RegExp(`^(${words})\\s+${SCHOOL_YEAR_ARGUMENT.source}$`, 'i');
}

export const COMMANDS: readonly Command[] = [
  { id: 'help', pattern: /^(hjälp|help)$/i, scopes: ['personal', 'channel', 'groupChat'], menu: true },
  { id: 'startDialogue', pattern: /^(starta målsamtal|start goal dialogue)$/i, scopes: ['channel'], menu: true },
  { id: 'myGoals', pattern: /^(mina mål|my goals)$/i, scopes: ['personal'], menu: true },
  { id: 'showGoals', pattern: /^(visa mål|show goals)$/i, scopes: ['personal'], menu: true },
  { id: 'reopenDialogue', pattern: /^(öppna målsamtal igen|reopen goal dialogue)$/i, scopes: ['personal'], menu: false },
  { id: 'resume', pattern: /^(fortsätt|continue)$/i, scopes: ['personal'], menu: true },
  { id: 'schoolGoals', pattern: /^(skolans mål|school goals)$/i, scopes: ['channel', 'personal'], menu: true },
  { id: 'goalMap', pattern: /^(min målbild|målbild|min målkarta|målkarta|goal map|my goal map)$/i, scopes: ['personal'], menu: true },
  { id: 'newGroup', pattern: /^(ny lärgrupp|new learning group)$/i, scopes: ['channel', 'groupChat'], menu: true },
  { id: 'group', pattern: /^(lärgrupp|learning group)$/i, scopes: ['channel', 'groupChat'], menu: true },
  { id: 'checkIn', pattern: /^(incheckning|check in|check-in)$/i, scopes: ['channel', 'groupChat'], menu: true },
  { id: 'groupLog', pattern: /^(lärgrupp logg|learning group log)$/i, scopes: ['channel', 'groupChat'], menu: true },
  // `språk` alone offers the choice on a card; `språk engelska` chooses at once.
  { id: 'language', pattern: /^(språk|language)(\s+[\p{L}]+)?$/iu, scopes: ['personal', 'channel', 'groupChat'], menu: false },
  { id: 'pause', pattern: /^(paus|pausa|pause)$/i, scopes: ['personal'], menu: false },
  { id: 'back', pattern: /^(tillbaka|back)$/i, scopes: ['personal'], menu: false },
  { id: 'cancel', pattern: /^(avbryt|cancel)$/i, scopes: ['personal'], menu: false },
  { id: 'focusArea', pattern: /^(fokusområde|focus area)$/i, scopes: ['channel', 'personal'], menu: true },
  { id: 'processMap', pattern: /^(processkarta|process map)$/i, scopes: ['channel', 'personal'], menu: true },
  // A läsår after the command: `mina mål förra läsåret`, `målbild 2025-26` (the argument: goalDialogueYears.ts).
  { id: 'myGoalsOfYear', pattern: withSchoolYear(MY_GOALS_WORDS), scopes: ['personal'], menu: false },
  { id: 'goalMapOfYear', pattern: withSchoolYear(GOAL_MAP_WORDS), scopes: ['personal'], menu: false },
  { id: 'startFollowUp', pattern: /^(starta uppföljning|start follow-up|start follow up)$/i, scopes: ['channel', 'personal'], menu: ['channel'] },
  { id: 'analysis', pattern: /^(analys|analysis)$/i, scopes: ['personal'], menu: false },
  { id: 'myFollowUp', pattern: /^(min uppföljning|mina uppföljningar|my follow-up|my follow up)$/i, scopes: ['personal'], menu: true },
  { id: 'followUpRounds', pattern: /^(uppföljningar|follow-ups|follow ups)$/i, scopes: ['personal'], menu: false },
  // In the group chats' menu only (Teams lists at most ten per scope); the help card lists them everywhere.
  { id: 'newNudge', pattern: /^(ny puff|new nudge)$/i, scopes: ['channel', 'groupChat', 'personal'], menu: ['groupChat'] },
  { id: 'nudges', pattern: /^(puffar|nudges)$/i, scopes: ['channel', 'groupChat', 'personal'], menu: ['groupChat'] },
  // In the personal menu only (Teams lists at most ten per scope); in help.
  { id: 'results', pattern: /^(resultat|results)$/i, scopes: ['channel', 'personal'], menu: ['personal'] },
  { id: 'recordResult', pattern: /^(registrera resultat|record result)$/i, scopes: ['personal'], menu: false },
  { id: 'resultDialogue', pattern: /^(resultatdialog|result dialogue)$/i, scopes: ['personal'], menu: false },
];

/** The läsår a command of a läsår names (after its words), e.g. "förra läsåret" of "mina mål förra läsåret". */
export function schoolYearArgument(text: string): string {
  return commandWords(text).replace(new RegExp(`^(${MY_GOALS_WORDS}|${GOAL_MAP_WORDS})\\s+`, 'i'), '');
}

export function menuCommandsIn(kind: ConversationKind): Command[] {
  return commandsIn(kind).filter((command) => (typeof command.menu === 'boolean' ? command.menu : command.menu.includes(kind)));
}

export function commandsIn(kind: ConversationKind): Command[] {
  return COMMANDS.filter((command) => command.scopes.includes(kind));
}

export function matchCommand(text: string, kind: ConversationKind): Command | undefined {
  const words = commandWords(text);
  return commandsIn(kind).find((command) => command.pattern.test(words));
}

/**
 * A message's words as a command reads them: emoji, symbols and punctuation
 * before the first letter or digit and after the last are ignored, as case
 * and spaces are ("👋 hjälp", "» mina mål", "fortsätt 🙂"). Only the ends:
 * "hjälp, jag förstår inte" is no command.
 */
export function commandWords(text: string): string {
  return text.normalize('NFC').replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}
