/**
 * The JSON Schema of the workspace format (`chujing schema`, GET /v1/schema), for editors, CI checks and
 * the web forms. The zod schema
 * is the source; what only the rule packs know is added here, so editors complete and check it: the
 * known facts with their types (an unknown fact is an error), the scenarios, and each scenario's data
 * types.
 */

type JsonObject = Record<string, unknown>;

export async function workspaceJsonSchema(): Promise<JsonObject> {
  const [{ z }, { workspaceSchema }, { FACTS, CUSTOM_FACT, OTHER_SCENARIO, knownScenarios }] = await Promise.all([
    import('zod'),
    import('../model/workspace.js'),
    import('../rules/index.js'),
  ]);
  const schema = z.toJSONSchema(workspaceSchema, { io: 'input', unrepresentable: 'any' }) as JsonObject;
  const dataset = ((schema.properties as JsonObject).datasets as JsonObject).items as JsonObject;
  const props = dataset.properties as JsonObject;

  const factProps: JsonObject = {};
  for (const [name, def] of Object.entries(FACTS)) {
    if ('derived' in def && def.derived) continue;
    factProps[name] = def.type === 'number' ? { type: 'number', minimum: 0, ...('unit' in def ? { description: `unit: ${def.unit}` } : {}) } : { type: 'boolean' };
  }
  const facts = props.facts as JsonObject;
  props.facts = {
    ...facts,
    type: 'object',
    properties: factProps,
    patternProperties: { [CUSTOM_FACT.source]: { type: ['number', 'boolean'] } },
    additionalProperties: false,
  };

  const scenarios = knownScenarios();
  props.scenario = { ...(props.scenario as JsonObject), enum: [...scenarios.keys(), OTHER_SCENARIO] };
  // Each catalogue scenario lists its data types; `other` takes any data type.
  dataset.allOf = [...scenarios].map(([scenario, types]) => ({
    if: { properties: { scenario: { const: scenario } }, required: ['scenario'] },
    then: { properties: { dataType: { enum: [...types] } } },
  }));
  return { $id: 'https://chujing.dev/schema/workspace-v1.json', title: 'chujing workspace (version 1)', ...schema };
}
