import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { schemaDocument, schemaRef, type SESSION_CONTRACT_SCHEMAS } from './schema.js';

// ajv-formats is CommonJS: under Node ESM its default import is the function itself.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** Validates a value against one schema of the contract; returns readable problems (empty when valid). */
export type ContractValidator = (value: unknown) => string[];

let compiled: Map<string, ValidateFunction> | undefined;

function validatorFor(name: keyof typeof SESSION_CONTRACT_SCHEMAS): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(schemaDocument());
    compiled = new Map();
    for (const schema of ['SessionAnswer', 'ErrorBody', 'SessionActionRequest'] as const) {
      const validate = ajv.getSchema(schemaRef(schema));
      if (!validate) throw new Error(`schema ${schema} did not compile`);
      compiled.set(schema, validate);
    }
  }
  const validate = compiled.get(name);
  if (!validate) throw new Error(`no validator for ${name}`);
  return validate;
}

/** `/me/id must be string` — one ajv error as a sentence, anyOf noise dropped by the caller. */
function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'the body' : error.instancePath;
  if (error.keyword === 'required') return `${where} lacks "${String(error.params.missingProperty)}"`;
  return `${where} ${error.message ?? 'is invalid'}`;
}

function validateWith(name: keyof typeof SESSION_CONTRACT_SCHEMAS): ContractValidator {
  return (value) => {
    const validate = validatorFor(name);
    if (validate(value)) return [];
    const errors = validate.errors ?? [];
    // `anyOf` reports every branch; the branch errors already say what is wrong.
    const useful = errors.filter((error) => error.keyword !== 'anyOf');
    return [...new Set((useful.length > 0 ? useful : errors).map(describe))];
  };
}

/** Problems of a session answer against `SessionAnswer`. */
export const validateSessionAnswer: ContractValidator = validateWith('SessionAnswer');

/** Problems of an error body against `ErrorBody`. */
export const validateErrorBody: ContractValidator = validateWith('ErrorBody');
