/**
 * Läsår: what is said when a person names one (`mina mål förra läsåret`,
 * `målbild 2025-26`), and the offer to start a new läsår's goals from last
 * läsår's. Swedish first; English with the same shape.
 */

const sv = {
  /** A läsår the organisation file does not list; `known` lists those it does. */
  unknown: (asked: string, known: string) =>
    known ? `Läsåret ”${asked}” finns inte i organisationsfilen. Läsår du kan välja: ${known}.` : `Läsåret ”${asked}” finns inte i organisationsfilen.`,
  /** One läsår in the list of known ones: its id and its name. */
  knownYear: (id: string, name: string) => `**${id}** (${name})`,
  /** A läsår where it is shown (a title, a subtitle): its name from the organisation file. */
  yearName: (year: { id: string; name: string }) => year.name,
  myGoals: {
    /** The title of `mina mål` for an earlier läsår. */
    title: (year: string) => `Mina mål · ${year}`,
    /** `year`: the läsår's id. */
    none: (year: string) => `Du har inga mål från läsåret ${year}.`,
    readOnly: 'Mål från ett tidigare läsår kan läsas men inte ändras. Skriv **mina mål** för årets mål.',
    /** Under this läsår's goals, when she has goals from earlier läsår. */
    earlier: (year: string, example: string) =>
      `${year}. Dina mål från tidigare läsår: skriv **mina mål förra läsåret** eller till exempel **mina mål ${example}**.`,
  },
  carryOver: {
    title: 'Förra läsårets mål',
    /** `year`: last läsår's id. */
    body: (year: string, n: number) =>
      `Förra läsåret, ${year}, bekräftade du ${n === 1 ? 'ett mål' : `${n} mål`}. Vill du utgå från ${n === 1 ? 'det' : 'dem'}? ${n === 1 ? 'Det kopieras' : 'De kopieras'} till ditt utkast i det här målsamtalet, och du kan ändra allt innan du bekräftar.`,
    action: 'Utgå från förra läsårets mål',
    orFresh: 'Vill du hellre börja från början? Svara då på frågan ovan.',
    done: (n: number) =>
      `Klart! ${n === 1 ? 'Ditt mål' : `Dina ${n} mål`} från förra läsåret är nu ditt utkast. Läs igenom, ändra det som behövs och bekräfta när du är nöjd.`,
    dropped: (titles: string) =>
      `Kopplingen till skolans mål ${titles} följde inte med: det finns inte i det här målsamtalet. Välj ett av skolans mål i stället.`,
    already: 'Förra läsårets mål är redan kopierade hit. Här är ditt utkast.',
    refused: 'Du har redan börjat skriva mål i det här målsamtalet, så förra läsårets mål kopieras inte över dem. Här är det du har skrivit.',
    nothing: 'Du har inga bekräftade mål från förra läsåret att utgå från.',
  },
  goalMap: {
    /** Above the buttons to the map of another läsår. */
    otherYears: 'Andra läsår',
  },
};

export const schoolYearSv = sv;

export const schoolYearEn: typeof sv = {
  unknown: (asked: string, known: string) =>
    known
      ? `The school year “${asked}” is not in the organisation file. School years you can choose: ${known}.`
      : `The school year “${asked}” is not in the organisation file.`,
  // The organisation file names its läsår in Swedish ("Läsåret 2026/27"): in English the id says it.
  knownYear: (id: string) => `**${id}**`,
  yearName: (year: { id: string; name: string }) => `School year ${year.id}`,
  myGoals: {
    title: (year: string) => `My goals · ${year}`,
    none: (year: string) => `You have no goals from the school year ${year}.`,
    readOnly: 'Goals from an earlier school year can be read but not changed. Write **my goals** for this year’s goals.',
    earlier: (year: string, example: string) =>
      `${year}. Your goals from earlier school years: write **my goals last year** or, for example, **my goals ${example}**.`,
  },
  carryOver: {
    title: 'Last year’s goals',
    body: (year: string, n: number) =>
      `Last school year, ${year}, you confirmed ${n === 1 ? 'one goal' : `${n} goals`}. Would you like to start from ${n === 1 ? 'it' : 'them'}? ${n === 1 ? 'It is' : 'They are'} copied into your draft in this goal dialogue, and you can change everything before you confirm.`,
    action: 'Start from last year’s goals',
    orFresh: 'Would you rather start afresh? Then answer the question above.',
    done: (n: number) =>
      `Done! ${n === 1 ? 'Your goal' : `Your ${n} goals`} from last year ${n === 1 ? 'is' : 'are'} now your draft. Read through, change what needs changing and confirm when you are happy.`,
    dropped: (titles: string) =>
      `The link to the school goal ${titles} was not carried over: it is not part of this goal dialogue. Choose one of the school’s goals instead.`,
    already: 'Last year’s goals are copied here already. Here is your draft.',
    refused: 'You have started writing goals in this goal dialogue already, so last year’s goals are not copied over them. Here is what you have written.',
    nothing: 'You have no confirmed goals from last year to start from.',
  },
  goalMap: {
    otherYears: 'Other school years',
  },
};
