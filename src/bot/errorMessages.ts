import type { AppError } from '../domain/errors';
import { type Language, stringsFor, stringsForLevel } from '../i18n';

/** The one mapping from expected failures to what the user reads. */
export function appErrorMessage(error: AppError, language: Language): string {
  const strings = stringsFor(language);
  const details = error.details ?? {};
  switch (error.code) {
    case 'NOT_ALLOWED': {
      if (details.action === 'editGroup') return strings.groups.onlyFacilitator;
      if (details.action === 'checkIn') return strings.groups.notMemberOf;
      if (details.action === 'postCheckIn') return strings.groups.onlyMembersPost;
      if (details.action === 'goalMap') return strings.goalMap.notAllowed;
      if (details.action === 'followUp') return strings.followUp.notOwner;
      if (details.action === 'createCrossSchool') return strings.network.onlyLeaders;
      if (details.action === 'recordResult') return strings.indicators.notAllowedRecord;
      if (details.action === 'defineIndicator') return strings.indicators.notAllowedDefine;
      if (details.action === 'resultDialogue') return strings.resultDialogue.notAllowed;
      if (details.action === 'resultDialogueView') return strings.resultDialogue.notOwner;
      // One level up (the principals' målsamtal) it is the managers who may.
      const goals = stringsForLevel(strings, details.level === 'organisation' ? 'organisation' : 'school').goals;
      const action = goals.actions[(details.action as keyof typeof goals.actions) ?? 'manage'] ?? goals.actions.manage;
      return goals.onlyPrincipal(action);
    }
    case 'NOT_FOUND':
      if (details.reason === 'unknownSchool') return strings.goals.unknownSchool;
      return strings.errors.notFound;
    case 'INVALID_INPUT':
      if (details.reason === 'notInTeam') return strings.goals.notInTeam;
      if (details.reason === 'notGroupConversation') return strings.groups.notHere;
      if (details.reason === 'crossSchoolInStaffTeam') return strings.network.inStaffTeam;
      return strings.errors.invalidInput;
    case 'STALE':
    case 'CONFLICT':
      return strings.errors.stale;
    case 'TENANT_NOT_ALLOWED':
      return strings.errors.notAllowedTenant;
  }
}
