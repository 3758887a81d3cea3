/**
 * Groups across schools (nätverk, utvecklingsgrupper, förstelärarnätverk
 * with members from several schools) and the school's fokusområde as part
 * of the principal's målsamtal with the managers.
 */
export const networkSv = {
  unitQuestion: 'Vad har du gjort på din enhet sedan förra träffen?',
  unitPick: 'Vilken enhet (skola) kommer du från? Du väljer bara en gång.',
  /** The unit picker, as a problem names it. */
  unitLabel: 'Din enhet',
  unitUnknown: 'Enhet inte angiven',
  acrossSchools: 'över skolorna',
  form: {
    crossSchoolLabel: 'Över skolorna',
    crossSchool: 'Gruppen hör till organisationen och har medlemmar från flera skolor (nätverk, utvecklingsgrupp, förstelärarnätverk)',
    area: 'Utvecklingsområde (krävs för en utvecklingsgrupp eller ett nätverk över skolorna)',
    noArea: 'Inget utvecklingsområde',
    areaProblem: 'Välj ett av organisationens utvecklingsområden. En utvecklingsgrupp eller ett nätverk över skolorna behöver ett.',
  },
  onlyLeaders:
    'Bara verksamhetschefer, rektorer och administratörer kan skapa en grupp över skolorna. Ingenting har skapats. En lärgrupp för din egen skola skapar du utan valet ”Över skolorna”.',
  inStaffTeam:
    'En grupp över skolorna skapas utanför skolornas personalteam, till exempel i rektorernas team eller i en egen gruppchatt. Ingenting har skapats.',
  created: (name: string, n: number) =>
    `${name} är skapad med ${n} träffar. Incheckningarna läggs ut här före och efter varje träff, och före varje träff får alla frågan vad de har gjort på sin enhet.`,
  /** The shared card of a group across schools in a channel, where more than the group reads it. */
  countsOnly: 'Kanalen når fler än gruppen, så här visas bara antal. Samtalsledaren får svaren i sin chatt med Målbild.',
  unitCounts: (parts: string) => `Svar per enhet: ${parts}`,
  unitCount: (unit: string, answered: number, members: number) => `${unit} ${answered} av ${members}`,
  summaryIntro: (question: string) => `${question} Svaren per enhet:`,
  summaryUnit: (unit: string, answered: number, members: number) => `${unit}: ${answered} av ${members} svarade`,
  /** The fokusområde in the principal's målsamtal with the managers. */
  focus: {
    title: 'Skolans fokusområde',
    intro: (schools: string) =>
      `Vilket fokusområde väljer ni på ${schools} för den kommande perioden? Formuläret är ifyllt med skolans nuvarande fokusområde: ändra det som behövs. När målen godkänns blir det skolans fokusområde.`,
    introNone: (schools: string) => `Vilket fokusområde väljer ni på ${schools} för den kommande perioden? När målen godkänns blir det skolans fokusområde.`,
    goals: 'Vilka av målen du just skrev hör fokusområdet till?',
    goal: (n: number, text: string) => `Mål ${n}: ${text}`,
    save: 'Spara fokusområdet',
    keep: 'Behåll det nuvarande',
    skip: 'Hoppa över',
    heading: 'Skolans fokusområde',
    proposed: (title: string) => `**${title}**`,
    period: (period: string) => `Period: ${period}`,
    why: (why: string) => `Varför: ${why}`,
    serves: (goals: string) => `Hör till mål ${goals}`,
    kept: (current: string) => `oförändrat, ${current} gäller även i fortsättningen.`,
    keptCurrent: 'skolans nuvarande',
    keptNone: 'Inget fokusområde ännu.',
    change: 'Ändra fokusområdet',
    saved: 'Fokusområdet är sparat. Det blir skolans när målen godkänns.',
    savedOwn: 'Fokusområdet är sparat. Det blir skolans när du bekräftar målen.',
    /** In the manager's view of a principal. */
    forManager: (title: string) => `Föreslaget fokusområde: ${title}`,
    adopted: (schools: string) => `Fokusområdet är nu ${schools} fokusområde.`,
  },
};

export const networkEn: typeof networkSv = {
  unitQuestion: 'What have you done at your unit since the last meeting?',
  unitPick: 'Which unit (school) do you come from? You choose only once.',
  unitLabel: 'Your unit',
  unitUnknown: 'Unit not given',
  acrossSchools: 'across the schools',
  form: {
    crossSchoolLabel: 'Across the schools',
    crossSchool: 'The group belongs to the organisation and has members from several schools (network, development group, lead teachers’ network)',
    area: 'Development area (needed for a development group or network across the schools)',
    noArea: 'No development area',
    areaProblem: "Choose one of the organisation's development areas. A development group or network across the schools needs one.",
  },
  onlyLeaders:
    'Only heads of operations, principals and administrators can create a group across the schools. Nothing was created. You create a learning group for your own school without the choice “Across the schools”.',
  inStaffTeam:
    "A group across the schools is created outside the schools' staff teams, for example in the principals' team or in a group chat of its own. Nothing was created.",
  created: (name: string, n: number) =>
    `${name} is created with ${n} meetings. The check-ins are posted here before and after each meeting, and before each meeting everyone is asked what they have done at their unit.`,
  countsOnly: 'The channel reaches more people than the group, so only counts are shown here. The facilitator gets the answers in their chat with Målbild.',
  unitCounts: (parts: string) => `Answers per unit: ${parts}`,
  unitCount: (unit: string, answered: number, members: number) => `${unit} ${answered} of ${members}`,
  summaryIntro: (question: string) => `${question} The answers per unit:`,
  summaryUnit: (unit: string, answered: number, members: number) => `${unit}: ${answered} of ${members} answered`,
  focus: {
    title: "The school's focus area",
    intro: (schools: string) =>
      `Which focus area do you choose at ${schools} for the coming period? The form shows the school's current focus area: change what you need. When the goals are approved, it becomes the school's focus area.`,
    introNone: (schools: string) =>
      `Which focus area do you choose at ${schools} for the coming period? When the goals are approved, it becomes the school's focus area.`,
    goals: 'Which of the goals you just wrote does the focus area belong to?',
    goal: (n: number, text: string) => `Goal ${n}: ${text}`,
    save: 'Save the focus area',
    keep: 'Keep the current one',
    skip: 'Skip',
    heading: "The school's focus area",
    proposed: (title: string) => `**${title}**`,
    period: (period: string) => `Period: ${period}`,
    why: (why: string) => `Why: ${why}`,
    serves: (goals: string) => `Belongs to goal ${goals}`,
    kept: (current: string) => `unchanged, ${current} stays.`,
    keptCurrent: "the school's current one",
    keptNone: 'No focus area yet.',
    change: 'Change the focus area',
    saved: "The focus area is saved. It becomes the school's when the goals are approved.",
    savedOwn: "The focus area is saved. It becomes the school's when you confirm the goals.",
    forManager: (title: string) => `Proposed focus area: ${title}`,
    adopted: (schools: string) => `The focus area is now the focus area of ${schools}.`,
  },
};
