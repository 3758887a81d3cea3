/**
 * A JSON Schema for Adaptive Cards 1.5, derived from Microsoft's own
 * renderer (npm `adaptivecards`), not typed by hand.
 *
 * Why derived: no npm package ships the published schema file
 * (adaptivecards.io/schemas/1.5.0/adaptive-card.json); `adaptivecards` and
 * `adaptivecards-designer` carry only TypeScript interfaces and a 1.0-era
 * schema. The renderer, however, declares every element and action it knows,
 * and for each property its kind (text, number, flag, enumeration with its
 * values, nested object) and the schema version it arrived in. From that this
 * module builds a draft-07 schema at the target version: a number given as a
 * string, an unknown enumeration value, a property or element newer than 1.5,
 * or an unknown element without a fallback are errors. Like the published
 * schema it allows unknown properties (Teams' `msteams`, `$schema`).
 *
 * The renderer parses a few children itself rather than through its property
 * table (a card's body and actions, a container's items, a column set's
 * columns, an action set's actions, fallbacks); those are spelled out below.
 */
import * as AC from 'adaptivecards';

type Schema = Record<string, unknown> | boolean;

const TARGET = AC.Versions.v1_5;
const isInTarget = (version: AC.Version | undefined) => !version || version.compareTo(TARGET) <= 0;

/** A pattern matching any of the values, case-insensitively (Adaptive Cards reads enumerations without regard to case). */
function anyCase(values: string[]): Schema {
  const letters = (value: string) =>
    [...value].map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return { type: 'string', pattern: `^(${values.map(letters).join('|')})$` };
}

class SchemaBuilder {
  readonly definitions: Record<string, Schema> = {};
  private readonly elementTypes: string[] = [];
  private readonly actionTypes: string[] = [];

  build(): Record<string, unknown> {
    for (const [registry, types] of [
      [AC.GlobalRegistry.elements, this.elementTypes],
      [AC.GlobalRegistry.actions, this.actionTypes],
    ] as const) {
      for (let i = 0; i < registry.getItemCount(); i++) {
        const { typeName, schemaVersion } = registry.getItemAt(i);
        const instance = isInTarget(schemaVersion) ? registry.createInstance(typeName, TARGET) : undefined;
        if (!instance) continue;
        types.push(typeName);
        this.definitions[typeName] = this.objectSchema(instance, { type: { const: typeName }, ...this.children(typeName) });
      }
    }
    this.definitions.Column = this.objectSchema(new AC.Column(), { items: this.listOf('Element') });
    this.definitions.Element = this.union(this.elementTypes, 'Element');
    this.definitions.Action = this.union(this.actionTypes, 'Action');
    const card = this.objectSchema(new AC.AdaptiveCard(), {
      type: { const: 'AdaptiveCard' },
      version: { type: 'string', pattern: '^1\\.[0-5]$' },
      body: this.listOf('Element'),
      actions: this.listOf('Action'),
    });
    this.definitions.AdaptiveCard = card;
    return {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: 'malbild:adaptive-card-1.5',
      $ref: '#/definitions/AdaptiveCard',
      definitions: this.definitions,
    };
  }

  /** The children the renderer parses outside its property table. */
  private children(typeName: string): Record<string, Schema> {
    const fallback = { anyOf: [{ const: 'drop' }, { $ref: `#/definitions/${typeName.startsWith('Action.') ? 'Action' : 'Element'}` }] };
    switch (typeName) {
      case 'Container':
        return { items: this.listOf('Element'), fallback };
      case 'ColumnSet':
        return { columns: this.listOf('Column'), fallback };
      case 'ActionSet':
        return { actions: this.listOf('Action'), fallback };
      case 'Action.ShowCard':
        return { card: { $ref: '#/definitions/AdaptiveCard' }, fallback };
      case 'Input.ChoiceSet':
        // Teams' dynamic typeahead: Teams takes `choices.data` on cards of any version (the cards in its
        // documentation and samples are 1.2 and 1.3); the renderer dates it 1.6, so it is allowed here by name.
        return {
          'choices.data': {
            type: 'object',
            required: ['type', 'dataset'],
            properties: { type: { const: 'Data.Query' }, dataset: { type: 'string', minLength: 1 }, count: { type: 'number' }, skip: { type: 'number' } },
          },
          fallback,
        };
      default:
        return { fallback };
    }
  }

  private listOf(definition: string): Schema {
    return { type: 'array', items: { $ref: `#/definitions/${definition}` } };
  }

  /** Known types by their own definition; an unknown type only with a fallback, as the format allows. */
  private union(types: string[], kind: string): Schema {
    return {
      type: 'object',
      required: ['type'],
      properties: { type: { type: 'string' } },
      allOf: [
        ...types.map((type) => ({ if: { properties: { type: { const: type } } }, then: { $ref: `#/definitions/${type}` } })),
        {
          if: { properties: { type: { not: { enum: types } } } },
          then: { required: ['fallback'], description: `an ${kind} type unknown in 1.5 needs a fallback` },
        },
      ],
    };
  }

  private objectSchema(instance: AC.SerializableObject, extra: Record<string, Schema>): Schema {
    const schema = instance.getSchema();
    const properties: Record<string, Schema> = {};
    for (let i = 0; i < schema.getCount(); i++) {
      const property = schema.getItemAt(i);
      properties[property.name] = isInTarget(property.targetVersion) ? this.propertySchema(property) : false;
    }
    return { type: 'object', properties: { ...properties, ...extra } };
  }

  private propertySchema(property: AC.PropertyDefinition): Schema {
    if (property instanceof AC.BoolProperty) return { type: 'boolean' };
    if (property instanceof AC.NumProperty) return { type: 'number' };
    if (property instanceof AC.PixelSizeProperty) return { type: 'string', pattern: '^[0-9]+px$' };
    if (property instanceof AC.StringProperty) return property.regEx ? { type: 'string', pattern: property.regEx.source } : { type: 'string' };
    if (property instanceof AC.EnumProperty) {
      const enumType = property.enumType as Record<number, string>;
      return anyCase(property.values.filter((v) => isInTarget(v.targetVersion)).map((v) => enumType[v.value]!));
    }
    if (property instanceof AC.ValueSetProperty) return anyCase(property.values.filter((v) => isInTarget(v.targetVersion)).map((v) => v.value));
    if (property instanceof AC.ActionProperty) return { $ref: '#/definitions/Action' };
    if (property instanceof AC.SerializableObjectProperty) return this.nested(property.objectType);
    if (property instanceof AC.SerializableObjectCollectionProperty) return { type: 'array', items: this.nested(property.objectType) };
    // Custom properties (ids of associated inputs, target elements, data) are parsed by hand in the renderer: anything goes.
    return true;
  }

  private nested(objectType: AC.SerializableObjectType): Schema {
    const name = `object:${objectType.name}`;
    if (!(name in this.definitions)) {
      this.definitions[name] = true; // a placeholder against recursion
      this.definitions[name] = this.objectSchema(new objectType(), {});
    }
    return { $ref: `#/definitions/${name}` };
  }
}

let built: Record<string, unknown> | undefined;

/** The schema for cards at version 1.5, built once. */
export function adaptiveCardSchema(): Record<string, unknown> {
  built ??= new SchemaBuilder().build();
  return built;
}
