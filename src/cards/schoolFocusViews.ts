import {
  FOCUS_LIMITS,
  type FieldProblem,
  type FocusArea,
  type FocusAreaField,
  MAX_PROCESS_STEPS,
  type ProcessStep,
  type SchoolFocusVersion,
  type StepField,
} from '../domain/schoolFocus';
import type { SchoolGoal } from '../domain/schoolGoals';
import type { Language, Strings } from '../i18n';
import { formatDate } from './goalViews';
import { noAccidentalList, numbered } from './markdown';
import type { AdaptiveCard } from './render';
import {
  MAX_REFRESH_USERS,
  renderFocusAreaCard,
  renderFocusAreaFormCard,
  renderProcessMapCard,
  renderProcessMapEditorCard,
  renderProcessStepFormCard,
} from './schoolFocus';

/**
 * From the domain to the fokusområde and processkarta cards, in one
 * language. Nothing here is a teacher's goal: these cards may be shown in
 * the staff channel.
 */

export interface Notice {
  text: string;
  good: boolean;
}

/** Who sees what: whether the viewer may edit, and who in a channel fetches their own view. */
export interface Viewer {
  canEdit: boolean;
  /** Teams user ids; only the first MAX_REFRESH_USERS are used. */
  refreshUserIds: string[];
}

type School = { id: string; name: string };

function versionText(strings: Strings, language: Language, entry: { version: number; updatedAt: string }): string {
  return strings.focus.version(entry.version, formatDate(entry.updatedAt.slice(0, 10), language));
}

function fieldMessage(strings: Strings, field: string, problem: FieldProblem | undefined): string {
  if (!problem) return '';
  const messages = strings.focus.problems;
  if (problem === 'unknownGoal') return messages.unknownGoal;
  if (problem === 'tooLong') return messages.tooLong(FOCUS_LIMITS[field as keyof typeof FOCUS_LIMITS]);
  return messages.required[field] ?? messages.heading;
}

function messagesFor<F extends string>(strings: Strings, fields: readonly F[], problems: Partial<Record<F, FieldProblem>>): Record<F, string> {
  return Object.fromEntries(fields.map((field) => [field, fieldMessage(strings, field, problems[field])])) as Record<F, string>;
}

/** The fokusområde form's messages per field and its labels, shared by the school's form and the one in the principals' målsamtal. */
export function focusAreaFormProblems(strings: Strings, problems: Partial<Record<FocusAreaField, FieldProblem>>): Record<FocusAreaField, string> {
  return messagesFor(strings, ['title', 'period', 'why', 'goals'] as const, problems);
}

export function focusAreaFormLabels(strings: Strings): {
  title: string;
  titlePlaceholder: string;
  titleRequired: string;
  period: string;
  periodPlaceholder: string;
  why: string;
} {
  const form = strings.focus.form;
  return {
    title: form.titleLabel,
    titlePlaceholder: form.titlePlaceholder,
    titleRequired: strings.focus.problems.required.title ?? '',
    period: form.periodLabel,
    periodPlaceholder: form.periodPlaceholder,
    why: form.whyLabel,
  };
}

export function focusAreaCard(
  strings: Strings,
  language: Language,
  school: School,
  focus: SchoolFocusVersion<'focusArea'> | undefined,
  goals: SchoolGoal[],
  viewer: Viewer,
  notice?: Notice,
): AdaptiveCard {
  const area = strings.focus.area;
  const active = goals.filter((goal) => goal.status === 'active');
  const linked = (focus?.value.goalIds ?? []).flatMap((id) => {
    const index = active.findIndex((goal) => goal.id === id);
    if (index >= 0) return [numbered(index + 1, active[index]!.title)];
    const retired = goals.find((goal) => goal.id === id);
    return retired ? [noAccidentalList(retired.title)] : [];
  });
  return renderFocusAreaCard({
    title: area.title(school.name),
    notice: notice?.text ?? '',
    noticeGood: notice?.good ?? true,
    hasFocus: focus !== undefined,
    focusTitle: noAccidentalList(focus?.value.title ?? ''),
    period: noAccidentalList(focus?.value.period ?? ''),
    why: noAccidentalList(focus?.value.why ?? ''),
    goals: linked,
    versionText: focus ? versionText(strings, language, focus) : '',
    canEdit: viewer.canEdit,
    editLabel: focus ? area.edit : area.add,
    labels: { none: area.none, why: area.why, goals: area.goals, show: area.show },
    schoolId: school.id,
    refreshUserIds: viewer.refreshUserIds.slice(0, MAX_REFRESH_USERS),
  });
}

/** The fokusområde form: the stored values, or what was typed when the form comes back refused. */
export function focusAreaFormCard(
  strings: Strings,
  school: School,
  values: { title: string; period: string; why: string; goals: string },
  version: number,
  activeGoals: SchoolGoal[],
  problems: Partial<Record<FocusAreaField, FieldProblem>> = {},
  notice = '',
): AdaptiveCard {
  const form = strings.focus.form;
  const hasProblems = Object.keys(problems).length > 0;
  return renderFocusAreaFormCard({
    title: form.title(school.name),
    intro: form.intro,
    notice: notice || (hasProblems ? strings.focus.problems.heading : ''),
    values,
    problems: focusAreaFormProblems(strings, problems),
    limits: { title: FOCUS_LIMITS.title, period: FOCUS_LIMITS.period, why: FOCUS_LIMITS.why },
    goals: activeGoals.map((goal, index) => ({ title: `${index + 1}. ${goal.title}`, value: goal.id })),
    labels: {
      ...focusAreaFormLabels(strings),
      goals: form.goalsLabel,
      save: form.save,
      cancel: form.cancel,
    },
    schoolId: school.id,
    version,
  });
}

/** The form's values from a stored fokusområde (empty before there is one). */
export function focusAreaFormValues(focus: FocusArea | undefined): { title: string; period: string; why: string; goals: string } {
  return { title: focus?.title ?? '', period: focus?.period ?? '', why: focus?.why ?? '', goals: (focus?.goalIds ?? []).join(',') };
}

export function processMapCard(
  strings: Strings,
  language: Language,
  school: School,
  map: SchoolFocusVersion<'processMap'> | undefined,
  viewer: Viewer,
  notice = '',
): AdaptiveCard {
  const labels = strings.focus.map;
  const line = (label: string, value: string) => `**${label}:** ${noAccidentalList(value)}`;
  return renderProcessMapCard({
    title: labels.title(school.name),
    intro: labels.intro,
    notice,
    steps: (map?.value ?? []).map((step, index) => ({
      heading: numbered(index + 1, step.what),
      who: line(labels.who, step.who),
      when: line(labels.when, step.when),
      withWhom: step.withWhom ? line(labels.withWhom, step.withWhom) : '',
    })),
    versionText: map ? versionText(strings, language, map) : '',
    canEdit: viewer.canEdit,
    labels: { none: labels.none, edit: labels.edit, show: strings.focus.area.show },
    schoolId: school.id,
    refreshUserIds: viewer.refreshUserIds.slice(0, MAX_REFRESH_USERS),
  });
}

export function processMapEditorCard(strings: Strings, school: School, map: SchoolFocusVersion<'processMap'> | undefined, notice?: Notice): AdaptiveCard {
  const editor = strings.focus.editor;
  const steps = map?.value ?? [];
  return renderProcessMapEditorCard({
    title: editor.title(school.name),
    intro: editor.intro,
    notice: notice?.text ?? '',
    noticeGood: notice?.good ?? true,
    steps: steps.map((step, index) => ({
      index,
      heading: numbered(index + 1, step.what),
      details: noAccidentalList([step.who, step.when, step.withWhom].filter(Boolean).join(' · ')),
    })),
    full: steps.length >= MAX_PROCESS_STEPS ? editor.full(MAX_PROCESS_STEPS) : '',
    labels: {
      none: strings.focus.map.none,
      editStep: editor.editStep,
      remove: editor.remove,
      moveUp: editor.moveUp,
      add: editor.add,
      done: editor.done,
    },
    schoolId: school.id,
    version: map?.version ?? 0,
  });
}

/** One step's form: `index` -1 adds a step. */
export function processStepFormCard(
  strings: Strings,
  school: School,
  version: number,
  index: number,
  values: ProcessStep,
  problems: Partial<Record<StepField, FieldProblem>> = {},
): AdaptiveCard {
  const form = strings.focus.stepForm;
  const required = strings.focus.problems.required;
  return renderProcessStepFormCard({
    title: index >= 0 ? form.title(index + 1) : form.newTitle,
    subtitle: strings.focus.map.title(school.name),
    notice: Object.keys(problems).length > 0 ? strings.focus.problems.heading : '',
    values,
    problems: messagesFor(strings, ['what', 'who', 'when', 'withWhom'] as const, problems),
    limits: { what: FOCUS_LIMITS.what, who: FOCUS_LIMITS.who, when: FOCUS_LIMITS.when, withWhom: FOCUS_LIMITS.withWhom },
    labels: {
      what: form.whatLabel,
      whatPlaceholder: form.whatPlaceholder,
      whatRequired: required.what ?? '',
      who: form.whoLabel,
      whoRequired: required.who ?? '',
      when: form.whenLabel,
      whenRequired: required.when ?? '',
      withWhom: form.withWhomLabel,
      save: form.save,
      cancel: form.cancel,
    },
    schoolId: school.id,
    version,
    index,
  });
}
