import type { ConnectionLike } from '@temporalio/client';
import type { Logger } from '@temporalio/common';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { registerSearchAttributeCommand, SEARCH_ATTRIBUTE_CLI_TYPES, SEARCH_ATTRIBUTES } from '../domain/search-attributes';

/**
 * The worker's start-up check that its namespace has the search attributes the workflows set. A
 * workflow that upserts an attribute the namespace lacks fails its workflow task, and Temporal
 * retries it, until an operator registers the attribute (docs.temporal.io/search-attribute): the
 * check names what is missing, and the command that registers it, before a remediation gets
 * stuck. One registered with another type is named too: the server takes the value, but
 * visibility keeps it as the registered type, so `list` cannot read it. It only warns: the worker
 * starts either way, and a call the server refuses (the Operator API is not open to Temporal
 * Cloud namespaces, whose answer is an authorization error; a key without the permission) only
 * gets a warning that it could not check (docs/deploying.md, "New search attributes").
 */

type SearchAttribute = (typeof SEARCH_ATTRIBUTES)[number];

export type SearchAttributeCheck =
  | { outcome: 'ok' }
  /** `missing`: not registered; `mistyped`: registered with another type (`registeredAs`: its CLI type name). */
  | { outcome: 'missing'; missing: SearchAttribute[]; mistyped: { key: SearchAttribute; registeredAs: string }[] }
  /** The call itself failed or was refused. */
  | { outcome: 'unchecked'; reason: string };

/** How long the check may hold up the worker's start. */
const CHECK_TIMEOUT_MS = 10_000;

/** IndexedValueType (what the server answers) → the CLI's type name, from the project's one table. */
const CLI_TYPE_OF_INDEXED = new Map(
  Object.entries(SEARCH_ATTRIBUTE_CLI_TYPES).map(([type, name]) => [encodeSearchAttributeIndexedValueType(type as SearchAttribute['type']), name]),
);

/** Asks the namespace for its search attributes (OperatorService ListSearchAttributes) and compares. */
export async function checkSearchAttributes(
  connection: Pick<ConnectionLike, 'operatorService' | 'withDeadline'>,
  namespace: string,
): Promise<SearchAttributeCheck> {
  let registered: Record<string, number>;
  try {
    const response = await connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () => connection.operatorService.listSearchAttributes({ namespace }));
    registered = (response.customAttributes ?? {}) as Record<string, number>;
  } catch (err) {
    return { outcome: 'unchecked', reason: (err as Error).message ?? String(err) };
  }
  const missing = SEARCH_ATTRIBUTES.filter((key) => registered[key.name] === undefined);
  const mistyped = SEARCH_ATTRIBUTES.flatMap((key) => {
    const type = registered[key.name];
    if (type === undefined || type === encodeSearchAttributeIndexedValueType(key.type)) return [];
    return [{ key, registeredAs: CLI_TYPE_OF_INDEXED.get(type) ?? `type ${type}` }];
  });
  return missing.length === 0 && mistyped.length === 0 ? { outcome: 'ok' } : { outcome: 'missing', missing, mistyped };
}

const describe = (key: SearchAttribute) => `${key.name} (${SEARCH_ATTRIBUTE_CLI_TYPES[key.type]})`;

/** The log line for a check's outcome: undefined when all is well. */
export function searchAttributeWarning(check: SearchAttributeCheck, namespace: string): string | undefined {
  switch (check.outcome) {
    case 'ok':
      return undefined;
    case 'unchecked':
      return (
        `could not check the search attributes of namespace ${namespace} (${check.reason}); ` +
        `remediations need ${SEARCH_ATTRIBUTES.map(describe).join(', ')} registered, or their workflow tasks fail (docs/deploying.md)`
      );
    case 'missing': {
      const parts = [
        ...(check.missing.length > 0
          ? [
              `namespace ${namespace} lacks the search attribute(s) ${check.missing.map(describe).join(', ')}: remediations that set them fail their ` +
                `workflow tasks until they are registered; register them with: ${check.missing.map((key) => registerSearchAttributeCommand(key, namespace)).join(' && ')}`,
            ]
          : []),
        ...check.mistyped.map(
          ({ key, registeredAs }) =>
            `namespace ${namespace} has ${key.name} as ${registeredAs}, but remediations set it as ${SEARCH_ATTRIBUTE_CLI_TYPES[key.type]}: ` +
            `visibility keeps it as ${registeredAs}, so the list cannot read it; remove it (temporal operator search-attribute remove --namespace ${namespace} --name ${key.name}) ` +
            `and register it again: ${registerSearchAttributeCommand(key, namespace)}`,
        ),
      ];
      return `${parts.join('; ')} (docs/deploying.md)`;
    }
  }
}

/** Runs the check and logs its outcome: a warning when something is missing or it could not check. */
export async function warnOnMissingSearchAttributes(
  connection: Pick<ConnectionLike, 'operatorService' | 'withDeadline'>,
  namespace: string,
  logger: Pick<Logger, 'info' | 'warn'>,
): Promise<SearchAttributeCheck> {
  const check = await checkSearchAttributes(connection, namespace);
  const warning = searchAttributeWarning(check, namespace);
  if (warning === undefined) logger.info(`namespace ${namespace} has the search attributes remediations set: ${SEARCH_ATTRIBUTES.map(describe).join(', ')}`, { namespace });
  else logger.warn(warning, { namespace, searchAttributeCheck: check.outcome, ...(check.outcome === 'missing' && { missing: check.missing.map((key) => key.name), mistyped: check.mistyped.map(({ key }) => key.name) }) });
  return check;
}
