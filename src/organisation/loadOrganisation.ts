import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { Organisation, organisationSchema } from '../domain/organisation';

/** What is wrong with an organisation file, each problem with its line and field. */
export class OrganisationFileError extends Error {
  readonly code = 'ORGANISATION_FILE_INVALID';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`The organisation file ${file} is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'OrganisationFileError';
  }
}

/** Reads and validates an organisation file (YAML, or JSON, which is YAML too). */
export function loadOrganisation(path: string): Organisation {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new OrganisationFileError(path, [`cannot be read: ${(error as Error).message}`]);
  }
  return parseOrganisation(text, path);
}

export function parseOrganisation(text: string, name = 'organisation file'): Organisation {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new OrganisationFileError(
      name,
      document.errors.map((error) => `line ${lines.linePos(error.pos[0]).line}: ${error.message.split('\n')[0]}`),
    );
  }
  const parsed = organisationSchema.safeParse(document.toJS());
  if (!parsed.success) {
    throw new OrganisationFileError(
      name,
      parsed.error.issues.map((issue) => {
        const line = lineOf(document, lines, issue.path);
        const field = issue.path.length > 0 ? issue.path.join('.') : '(the whole file)';
        return `${line ? `line ${line}, ` : ''}${field}: ${issue.message}`;
      }),
    );
  }
  return new Organisation(parsed.data);
}

/** The line of the deepest node on the path that exists (a missing field points at its parent). */
function lineOf(document: Document, lines: LineCounter, path: (string | number)[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}
