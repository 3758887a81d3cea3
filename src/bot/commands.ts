import type { ConversationKind } from '../domain/conversations';
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
}

export const COMMANDS: readonly Command[] = [
  { id: 'help', pattern: /^(hjälp|help)$/i, scopes: ['personal', 'channel', 'groupChat'] },
];

export function commandsIn(kind: ConversationKind): Command[] {
  return COMMANDS.filter((command) => command.scopes.includes(kind));
}

export function matchCommand(text: string, kind: ConversationKind): Command | undefined {
  return commandsIn(kind).find((command) => command.pattern.test(text));
}
