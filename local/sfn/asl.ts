import * as z from '../../shared/zod.js';

// Amazon States Language as plain JSON. Only the fields the local runtime reads are typed; the
// rest passes through untouched to the interpreter.
export const AslState = z.looseObject({
  Type: z.string(),
  Resource: z.optional(z.string()),
  Parameters: z.optional(z.unknown()),
  TimeoutSeconds: z.optional(z.number()),
  TimeoutSecondsPath: z.optional(z.string()),
  HeartbeatSeconds: z.optional(z.number()),
  HeartbeatSecondsPath: z.optional(z.string()),
});
export type AslState = z.infer<typeof AslState>;

export const AslDefinition = z.looseObject({
  StartAt: z.string(),
  States: z.record(z.string(), AslState),
  TimeoutSeconds: z.optional(z.number()),
  QueryLanguage: z.optional(z.string()),
});
export type AslDefinition = z.infer<typeof AslDefinition>;

export interface VisitedState {
  name: string;
  state: AslState;
  /** Enclosing Parallel/Map states, outermost first ("GatherFacts[0]" is branch 0). */
  scope: string[];
}

function childDefinitions(state: AslState): Array<{ label: string; definition: unknown }> {
  if (state.Type === 'Parallel' && Array.isArray(state['Branches'])) {
    return state['Branches'].map((definition, i) => ({ label: `[${i}]`, definition }));
  }
  if (state.Type === 'Map') {
    const processor = state['ItemProcessor'] ?? state['Iterator'];
    return processor ? [{ label: '', definition: processor }] : [];
  }
  return [];
}

/** Every state of the machine, nested Parallel branches and Map processors included. */
export function* walkStates(definition: unknown, scope: string[] = []): Generator<VisitedState> {
  const parsed = AslDefinition.safeParse(definition);
  if (!parsed.success) return;
  for (const [name, state] of Object.entries(parsed.data.States)) {
    yield { name, state, scope };
    for (const child of childDefinitions(state)) {
      yield* walkStates(child.definition, [...scope, `${name}${child.label}`]);
    }
  }
}

/** A deep copy where `edit` may replace each state (nested ones too); the input is untouched. */
export function mapStates(definition: AslDefinition, edit: (name: string, state: AslState) => AslState): AslDefinition {
  const copy = structuredClone(definition);
  const visit = (def: { States: Record<string, AslState> }): void => {
    for (const [name, state] of Object.entries(def.States)) {
      const edited = edit(name, state);
      def.States[name] = edited;
      if (edited.Type === 'Parallel' && Array.isArray(edited['Branches'])) {
        for (const branch of edited['Branches'] as Array<{ States: Record<string, AslState> }>) visit(branch);
      }
      const processor = (edited['ItemProcessor'] ?? edited['Iterator']) as { States: Record<string, AslState> } | undefined;
      if (edited.Type === 'Map' && processor) visit(processor);
    }
  };
  visit(copy);
  return copy;
}
