/** Resultatdialog: the principals' answers per indicator of their school, and the manager's side-by-side view. Swedish first; English has the same shape. */

export const resultDialogueSv = {
  startToggle: 'Resultatdialog: rektorerna kommenterar också sin skolas resultat, indikator för indikator (gäller bara målsamtalet med rektorerna)',
  startToggleShort: 'Resultatdialog',
  notAllowed: 'Bara rektorerna i resultatdialogen kan svara, och bara för sin egen skola.',
  /** `resultatdialog` asked by someone other than the manager: where a principal answers instead. */
  notOwner:
    'Skolornas svar i resultatdialogen sida vid sida ser verksamhetschefen. Som rektor svarar du för din skola på kortet du får här i chatten när en resultatdialog startar.',
  card: {
    heading: (school: string, number: number, of: number) => `Resultatdialog · ${school} · indikator ${number} av ${of}`,
    serves: (goal: string) => `→ ${goal}`,
    intro: (owner: string, title: string, lastDay: string) =>
      `${owner} har gjort **${title}** till en resultatdialog. Skriv för varje indikator vad resultaten visar, troliga orsaker och vilka åtgärder skolan tar, senast ${lastDay}. Utkast sparas tills du bekräftar, och du kan ändra till dess uppföljningen avslutas.`,
    greeting: (name: string) => `Hej ${name}! Dags för resultatdialog.`,
    showsLabel: 'Vad visar resultaten?',
    causesLabel: 'Troliga orsaker',
    actionsLabel: 'Åtgärder',
    save: 'Spara utkast',
    confirm: 'Bekräfta',
    saved: 'Utkastet är sparat.',
    confirmed: 'Tack! Skolans svar om indikatorn är bekräftat. Du kan ändra det tills uppföljningen avslutas.',
    closed: 'Uppföljningen är avslutad. Så här svarade skolan:',
    notAnswered: 'Inte besvarat.',
    problemsIntro: 'Ingenting är sparat. Rätta det som är markerat:',
    problems: {
      shows: 'Skriv vad resultaten visar.',
      causes: 'Skriv de troliga orsakerna.',
      actions: 'Skriv vilka åtgärder skolan tar.',
      tooLong: 'Varje svar får vara högst 2 000 tecken.',
    },
    noIndicators: (school: string) => `${school} har inga egna indikatorer att kommentera i resultatdialogen.`,
  },
  view: {
    title: (title: string) => `Resultatdialog: ${title}`,
    page: (page: number, of: number) => `Del ${page} av ${of}`,
    answered: (answered: number, total: number) => `${answered} av ${total} skolor har svarat på alla sina indikatorer.`,
    notAnswered: (entries: string) => `Har inte svarat: ${entries}`,
    schoolWithPrincipals: (school: string, principals: string) => `${school} (${principals})`,
    target: (target: string, date: string, direction: 'higher' | 'lower') =>
      `Mål ${target} till ${date} (${direction === 'higher' ? 'högre är bättre' : 'lägre är bättre'})`,
    noAnswer: 'Inget bekräftat svar än.',
    writtenBy: (name: string) => `Skrivet av ${name}`,
    none: 'Det finns ingen resultatdialog än. Starta en med **starta uppföljning** i rektorernas team och välj Resultatdialog.',
    summary: (title: string) => `Resultatdialog: ${title}`,
  },
  status: (done: number, total: number) => `Resultatdialog: ${done} av ${total} skolor har svarat på alla sina indikatorer`,
};

export const resultDialogueEn: typeof resultDialogueSv = {
  startToggle:
    'Result dialogue: the principals also comment on their school’s results, indicator by indicator (only for the goal dialogue with the principals)',
  startToggleShort: 'Result dialogue',
  notAllowed: 'Only the principals in the result dialogue can answer, and only for their own school.',
  notOwner:
    "The schools' answers in the result dialogue side by side are for the manager. As a principal you answer for your school on the card you get here in the chat when a result dialogue starts.",
  card: {
    heading: (school: string, number: number, of: number) => `Result dialogue · ${school} · indicator ${number} of ${of}`,
    serves: (goal: string) => `→ ${goal}`,
    intro: (owner: string, title: string, lastDay: string) =>
      `${owner} has made **${title}** a result dialogue. For each indicator, write what the results show, the likely causes and the school’s actions, by ${lastDay}. Drafts are kept until you confirm, and you can change them until the follow-up closes.`,
    greeting: (name: string) => `Hi ${name}! Time for the result dialogue.`,
    showsLabel: 'What do the results show?',
    causesLabel: 'Likely causes',
    actionsLabel: 'Actions',
    save: 'Save draft',
    confirm: 'Confirm',
    saved: 'The draft is saved.',
    confirmed: 'Thank you! The school’s answer on the indicator is confirmed. You can change it until the follow-up closes.',
    closed: 'The follow-up is closed. This is what the school answered:',
    notAnswered: 'Not answered.',
    problemsIntro: 'Nothing is saved. Correct what is marked:',
    problems: {
      shows: 'Write what the results show.',
      causes: 'Write the likely causes.',
      actions: 'Write the actions the school takes.',
      tooLong: 'Each answer may be at most 2,000 characters.',
    },
    noIndicators: (school: string) => `${school} has no indicators of its own to comment on in the result dialogue.`,
  },
  view: {
    title: (title: string) => `Result dialogue: ${title}`,
    page: (page: number, of: number) => `Part ${page} of ${of}`,
    answered: (answered: number, total: number) => `${answered} of ${total} schools have answered on all their indicators.`,
    notAnswered: (entries: string) => `Not answered: ${entries}`,
    schoolWithPrincipals: (school: string, principals: string) => `${school} (${principals})`,
    target: (target: string, date: string, direction: 'higher' | 'lower') =>
      `Target ${target} by ${date} (${direction === 'higher' ? 'higher is better' : 'lower is better'})`,
    noAnswer: 'No confirmed answer yet.',
    writtenBy: (name: string) => `Written by ${name}`,
    none: 'There is no result dialogue yet. Start one with **start follow-up** in the principals’ team and choose Result dialogue.',
    summary: (title: string) => `Result dialogue: ${title}`,
  },
  status: (done: number, total: number) => `Result dialogue: ${done} of ${total} schools have answered on all their indicators`,
};
