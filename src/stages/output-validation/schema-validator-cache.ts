import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { JsonSchema } from '../../core/model/index.ts';

/**
 * Compiled JSON Schemas, so that a schema sent with every request is compiled once, not per request.
 *
 * Two levels: a WeakMap by schema object (retries and re-asks of one request reuse its object without
 * serialising it again), then a bounded LRU by the schema's JSON text (every request decodes its own copy
 * of the same schema). Evicting an entry also removes it from ajv's own cache, which is keyed by schema
 * object and would otherwise grow with every distinct schema ever compiled.
 *
 * Schemas come from callers. ajv does not let a schema inject code, but a `pattern` can be slow on
 * some inputs (ajv's documented caveat for untrusted schemas); the request body limit bounds the input.
 */
export interface SchemaValidatorCache {
  /** The validator for `schema`, or undefined when ajv cannot compile it (then nothing is checked). */
  validatorFor(schema: JsonSchema): ValidateFunction | undefined;
  readonly size: number;
}

/** `strict: false`: callers' schemas carry keywords ajv does not know (OpenAI's, vendor extensions). */
const ajvOptions = { strict: false, allErrors: false, logger: false, addUsedSchema: false } as const;

/** A cached compilation; `validate` is undefined for a schema ajv could not compile (not tried again). */
interface Compiled {
  validate: ValidateFunction | undefined;
  ajv: Ajv | Ajv2020;
  /** The object ajv compiled, the key of ajv's own cache. */
  compiledSchema: JsonSchema;
}

const olderDraft = /draft-0[4-7]\/schema/;

export const createSchemaValidatorCache = (maxEntries = 256): SchemaValidatorCache => {
  const draft2020 = new Ajv2020(ajvOptions);
  const draft7 = new Ajv(ajvOptions);
  const byObject = new WeakMap<JsonSchema, Compiled>();
  const byText = new Map<string, Compiled>();

  const compile = (schema: JsonSchema): Compiled => {
    // `$schema` picks the dialect and is then dropped: ajv refuses meta-schemas it has not loaded
    // (draft-04, 2019-09), and the keywords of those are close enough to validate the model's output.
    const { $schema: dialect, ...compiledSchema } = schema;
    const ajv = typeof dialect === 'string' && olderDraft.test(dialect) ? draft7 : draft2020;
    try {
      return { validate: ajv.compile(compiledSchema), ajv, compiledSchema };
    } catch {
      return { validate: undefined, ajv, compiledSchema };
    }
  };

  const remember = (text: string, entry: Compiled): void => {
    byText.set(text, entry);
    if (byText.size <= maxEntries) return;
    const oldest = byText.entries().next().value;
    if (oldest === undefined) return;
    byText.delete(oldest[0]);
    if (oldest[1].validate !== undefined) oldest[1].ajv.removeSchema(oldest[1].compiledSchema);
  };

  return {
    validatorFor(schema) {
      const known = byObject.get(schema);
      if (known !== undefined) return known.validate;
      const text = JSON.stringify(schema);
      let entry = byText.get(text);
      if (entry === undefined) {
        entry = compile(schema);
        remember(text, entry);
      } else {
        // Most recently used goes last: Map keeps insertion order.
        byText.delete(text);
        byText.set(text, entry);
      }
      byObject.set(schema, entry);
      return entry.validate;
    },
    get size() {
      return byText.size;
    },
  };
};

/** The process-wide cache that validation uses unless given another (tests give their own). */
export const sharedSchemaValidatorCache = createSchemaValidatorCache();
