import type { ConnectorRule } from './connector';
import type { Person } from './activities';

/**
 * Answers Teams' roster calls on the connector stand-in the way Teams does:
 * the team's members a page at a time (pagedmembers with pageSize and
 * continuationToken) and single members by id.
 */
export function rosterRule(teamId: string, people: (Person & { upn?: string })[]): ConnectorRule {
  const account = (p: Person & { upn?: string }) => ({
    id: p.id,
    name: p.name,
    aadObjectId: p.aadObjectId,
    givenName: p.name.split(' ')[0],
    surname: p.name.split(' ').slice(1).join(' '),
    userPrincipalName: p.upn ?? `${p.name.toLowerCase().replace(/[^a-z]+/g, '.')}@exempelskolan.example`,
    tenantId: 'tenant',
    userRole: 'user',
  });
  return (call) => {
    if (call.method !== 'GET' || call.conversationId !== teamId) return undefined;
    if (call.path.endsWith('/pagedmembers')) {
      const pageSize = Number(call.query.pageSize ?? 100);
      const start = Number(call.query.continuationToken ?? 0);
      const members = people.slice(start, start + pageSize).map(account);
      const next = start + pageSize < people.length ? String(start + pageSize) : undefined;
      return { status: 200, body: { members, ...(next ? { continuationToken: next } : {}) } };
    }
    const member = /\/members\/([^/]+)$/.exec(call.path);
    if (member) {
      const found = people.find((p) => p.id === member[1]);
      return found ? { status: 200, body: account(found) } : { status: 404, body: { error: { code: 'MemberNotFound' } } };
    }
    return undefined;
  };
}
