import type { Person, TeamRef } from './activities';

/** The people and teams of the demo organisation the end-to-end tests share (src/organisation/exempelskolan.yaml). */

/** The municipality's principals' team, led by the manager. */
export const PRINCIPALS_TEAM: TeamRef = { id: '19:exempelkommun-rektorer@thread.tacv2', name: 'Rektorer' };

/** The second school's staff team. */
export const NORR_TEAM: TeamRef = { id: '19:norrskolan-personal@thread.tacv2', name: 'Norrskolan personal' };

/** The manager over both schools. */
export const VERA: Person = { id: '29:vera', aadObjectId: '00000000-0000-4000-8000-00000000d001', name: 'Vera Verksamhetschef' };

/** Exempelskolan's principal, as she writes in the principals' team (the same person as PRINCIPAL, another Teams id). */
export const RUT: Person = { id: '29:rut', aadObjectId: '00000000-0000-4000-8000-00000000a000', name: 'Rut Rektorsson' };

/** Norrskolan's principal. */
export const NILS: Person = { id: '29:nils', aadObjectId: '00000000-0000-4000-8000-00000000d002', name: 'Nils Norberg' };
