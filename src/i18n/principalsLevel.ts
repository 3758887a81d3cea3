import type { Language, Strings } from './index';

/**
 * What the målsamtal says differently one level up, where a manager holds it
 * with the principals: the principals write their school's goals and link
 * them to the overarching goals. Everything not named here reads as at the
 * school level.
 */

type DeepPartial<T> = { [K in keyof T]?: T[K] extends (...args: never[]) => unknown ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };
type GoalStrings = DeepPartial<Strings['goals']>;

const sv: GoalStrings = {
  onlyPrincipal: (action: string) => `Bara verksamhetschefen kan ${action}. Ingenting har ändrats.`,
  actions: { start: 'starta målsamtal med rektorerna', manage: 'hantera målsamtalet med rektorerna', approveGoals: 'godkänna rektorernas mål som skolans mål' },
  defaultTitle: (term: string, year: number) => `Målsamtal med rektorerna ${term} ${year}`,
  startForm: {
    title: 'Starta målsamtal med rektorerna',
    intro: () =>
      'Varje rektor får en inbjudan i sin egen chatt med Målbild och skriver där skolans mål: hur skolan ska bidra till de övergripande målen. När du godkänner målen blir de skolans mål. Ingens mål visas i kanalen.',
    goalsLabel: 'Vilka av de övergripande målen ska rektorerna utgå från?',
    everyone: 'Hela teamet utom du',
    noGoals: 'Organisationsfilen har inga övergripande mål.',
    invitationsGoing: (n: number) => `Klart! Inbjudan skickas nu till ${n} ${n === 1 ? 'rektor' : 'rektorer'} i deras egen chatt med Målbild.`,
  },
  validation: { goals: 'Välj minst ett av de övergripande målen.' },
  status: {
    privacy: 'Ingens mål visas här. Den som startade målsamtalet följer målen i sin chatt med Målbild: skriv **visa mål** där.',
  },
  prompt: {
    body: (manager: string, title: string, deadline: string) =>
      `${manager} har startat **${title}**. Inför ert samtal skriver du ett till tre mål för din skola och hur de bidrar till de övergripande målen. Skriv dem senast **${deadline}**. När målen är godkända blir de skolans mål.`,
    schoolGoals: 'De övergripande målen',
  },
  reminder: {
    body: (manager: string, deadline: string, days: number) =>
      `${manager} vill gärna läsa skolans mål inför ert samtal. Sista dag är **${deadline}**, om ${days} ${days === 1 ? 'dag' : 'dagar'}.`,
  },
  steps: {
    schoolGoals: 'Vilket eller vilka av de övergripande målen ska skolans mål bidra till?',
    goal: 'Vilket mål sätter du för skolan? Vad ska eleverna kunna eller uppleva när ni har nått det?',
    how: 'Hur ska du som rektor leda arbetet dit?',
    evidence: 'Hur märker ni att skolan är på väg? Vilka tecken, resultat eller data följer ni?',
    support: 'Vilket stöd behöver du från förvaltningen? (Valfritt: skriv **nej** om du inte behöver något.)',
  },
  followUps: {
    schoolGoals: 'Välj minst ett av de övergripande målen.',
    goal: 'Kan du beskriva lite mer konkret vad eleverna ska kunna eller uppleva?',
    how: 'Kan du beskriva vad du gör som rektor, och vad lärarna gör?',
  },
  required: { schoolGoals: 'Välj minst ett av de övergripande målen.' },
  keptAsGoal: 'Jag sparade det du skrev som skolans mål. Välj först vilket av de övergripande målen det hör till.',
  invalidGoals: 'Det svaret känner jag inte igen som ett av de övergripande målen. Svara med siffran, till exempel **1** eller **1 och 2**.',
  summary: {
    title: 'Skolans mål',
    labels: { schoolGoals: 'Övergripande mål', how: 'Så leder jag arbetet', support: 'Stöd jag behöver från förvaltningen' },
    confirm: 'Bekräfta skolans mål',
  },
};

const en: GoalStrings = {
  onlyPrincipal: (action: string) => `Only the head of operations can ${action}. Nothing has changed.`,
  actions: {
    start: 'start a goal dialogue with the principals',
    manage: 'manage the goal dialogue with the principals',
    approveGoals: "approve the principals' goals as the school's goals",
  },
  defaultTitle: (term: string, year: number) => `Goal dialogue with the principals ${term} ${year}`,
  startForm: {
    title: 'Start a goal dialogue with the principals',
    intro: () =>
      "Each principal gets an invitation in their own chat with Målbild and writes the school's goals there: how the school will contribute to the overarching goals. When you approve them, they become the school's goals. No one's goals are shown in the channel.",
    goalsLabel: 'Which of the overarching goals should the principals start from?',
    everyone: 'The whole team except you',
    noGoals: 'The organisation file has no overarching goals.',
    invitationsGoing: (n: number) => `Done! Invitations are going to ${n} ${n === 1 ? 'principal' : 'principals'} in their own chat with Målbild.`,
  },
  validation: { goals: 'Choose at least one of the overarching goals.' },
  status: {
    privacy: "No one's goals are shown here. Whoever started the goal dialogue follows the goals in their own chat with Målbild: type **show goals** there.",
  },
  prompt: {
    body: (manager: string, title: string, deadline: string) =>
      `${manager} has started **${title}**. Before your talk, write one to three goals for your school and how they contribute to the overarching goals. Write them by **${deadline}**. Once approved, they become the school's goals.`,
    schoolGoals: 'The overarching goals',
  },
  reminder: {
    body: (manager: string, deadline: string, days: number) =>
      `${manager} would like to read the school's goals before your talk. The last day is **${deadline}**, in ${days} ${days === 1 ? 'day' : 'days'}.`,
  },
  steps: {
    schoolGoals: 'Which of the overarching goals will the school’s goal contribute to?',
    goal: 'What goal do you set for the school? What will the students be able to do or experience when you have reached it?',
    how: 'How will you, as principal, lead the work to get there?',
    evidence: 'How will you know the school is on the way? Which signs, results or data will you follow?',
    support: "What support do you need from the administration? (Optional: type **no** if you don't need any.)",
  },
  followUps: {
    schoolGoals: 'Choose at least one of the overarching goals.',
    goal: 'Can you describe a little more concretely what the students will be able to do or experience?',
    how: 'Can you describe what you do as principal, and what the teachers do?',
  },
  required: { schoolGoals: 'Choose at least one of the overarching goals.' },
  keptAsGoal: "I kept what you wrote as the school's goal. First choose which of the overarching goals it belongs to.",
  invalidGoals: "I don't recognise that as one of the overarching goals. Answer with the number, for example **1** or **1 and 2**.",
  summary: {
    title: "The school's goals",
    labels: { schoolGoals: 'Overarching goals', how: 'How I will lead the work', support: 'Support I need from the administration' },
    confirm: "Confirm the school's goals",
  },
};

export const principalsLevelGoals: Record<Language, GoalStrings> = { sv, en };

/** `base` with every value `override` names replaced, at any depth. */
export function overlay<T>(base: T, override: DeepPartial<T> | undefined): T {
  if (!override) return base;
  const result: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(override)) {
    const current = result[key];
    result[key] = value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' ? overlay(current, value) : value;
  }
  return result as T;
}
