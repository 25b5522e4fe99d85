/**
 * The JSON Schemas (2020-12, as used by OpenAPI 3.1) of the session contract.
 *
 * They are a verbatim copy of `components.schemas` in the repository's
 * `docs/openapi.yaml`: a test asserts deep equality, so the published document
 * and the checks of this kit cannot drift apart. `$ref`s point into
 * `#/components/schemas/…`, exactly as in the OpenAPI document; use
 * {@link SCHEMA_DOCUMENT_ID} and {@link schemaRef} to compile them.
 */

import { SESSION_STATUSES } from '@whatsapp-connector/client/contract';

/** A JSON Schema object (kept structural: the kit never reads it by key). */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * Statuses a backend may send by name: the client's, with WAHA's spelling
 * `SCAN_QR_CODE` beside `SCAN_QR` (`UNKNOWN` is the client's name for the rest).
 */
export const KNOWN_WIRE_STATUSES: readonly string[] = Object.freeze(
  SESSION_STATUSES.flatMap((status) => (status === 'UNKNOWN' ? [] : status === 'SCAN_QR' ? [status, 'SCAN_QR_CODE'] : [status])),
);

/** Error codes backends should put in `error.code`, with the HTTP status each goes with. */
export const KNOWN_ERROR_CODES = {
  invalid_json: 400,
  invalid_body: 400,
  invalid_action: 400,
  invalid_phone_number: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  invalid_state: 409,
  busy: 409,
  waha_single_session: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  store_error: 503,
  auth_timeout: 503,
  waha_unreachable: 502,
  waha_error: 502,
  waha_unauthorized: 502,
  waha_not_configured: 500,
  waha_timeout: 504,
} as const satisfies Record<string, number>;

/** The `$id` under which {@link SESSION_CONTRACT_SCHEMAS} are registered for `$ref` resolution. */
export const SCHEMA_DOCUMENT_ID = 'https://whatsapp-connector.dev/schemas/session-contract.json';

/**
 * The absolute `$ref` of one named schema, for `ajv.getSchema()`.
 *
 * @example
 * ```ts
 * ajv.addSchema(schemaDocument());
 * const validate = ajv.getSchema(schemaRef('SessionAnswer'));
 * ```
 */
export function schemaRef(name: keyof typeof SESSION_CONTRACT_SCHEMAS): string {
  return `${SCHEMA_DOCUMENT_ID}#/components/schemas/${name}`;
}

/** A schema resource holding {@link SESSION_CONTRACT_SCHEMAS} where their `$ref`s expect them. */
export function schemaDocument(schemas: Readonly<Record<string, JsonSchema>> = SESSION_CONTRACT_SCHEMAS): JsonSchema {
  return { $id: SCHEMA_DOCUMENT_ID, components: { schemas } };
}

/** The named schemas of the session contract (`components.schemas` of `docs/openapi.yaml`). */
export const SESSION_CONTRACT_SCHEMAS = {
  KnownSessionStatus: {
    type: 'string',
    description:
      'The statuses this version of the contract names. `SCAN_QR_CODE` is WAHA\'s spelling of `SCAN_QR`; both are accepted.',
    enum: [...KNOWN_WIRE_STATUSES],
  },
  SessionStatus: {
    description:
      'The session status. Clients accept any string (an unknown one shows a neutral "checking" state and polling continues), but backends should send one of `KnownSessionStatus`.',
    anyOf: [{ $ref: '#/components/schemas/KnownSessionStatus' }, { type: 'string', minLength: 1 }],
    examples: ['SCAN_QR'],
  },
  SessionMe: {
    type: 'object',
    description: 'The linked phone account, sent while `WORKING`.',
    required: ['id'],
    properties: {
      id: {
        type: 'string',
        minLength: 1,
        description: 'The WhatsApp id, e.g. `5215512345678@c.us`.',
      },
      pushName: {
        type: ['string', 'null'],
        description: 'The name the user set in WhatsApp.',
      },
      phone: {
        type: ['string', 'null'],
        description: 'The phone number in international digits, e.g. `5215512345678`.',
      },
    },
    additionalProperties: true,
    examples: [{ id: '5215512345678@c.us', pushName: 'Ana', phone: '5215512345678' }],
  },
  SessionAnswer: {
    type: 'object',
    description:
      'The session of the caller\'s organization, answered by `GET` and by every successful `POST`. Unknown extra fields are allowed and ignored by clients.',
    required: ['status', 'sessionName', 'connected'],
    properties: {
      status: { $ref: '#/components/schemas/SessionStatus' },
      sessionName: {
        type: 'string',
        minLength: 1,
        description: 'The WAHA session name, `<prefix>_<organizationId>`, e.g. `eagles_42`.',
      },
      connected: {
        type: 'boolean',
        description: 'The backend\'s persisted "linked" flag.',
      },
      qr: {
        type: ['string', 'null'],
        description: 'The raw QR payload while `SCAN_QR`; the client renders it locally.',
      },
      qrImage: {
        type: ['string', 'null'],
        description: 'A ready QR image as a base64 `data:` URL (PNG or SVG), an alternative to `qr`.',
        pattern: '^data:image/(png|svg\\+xml);base64,[A-Za-z0-9+/]+={0,2}$',
      },
      me: {
        description: 'The linked account while `WORKING`.',
        anyOf: [{ $ref: '#/components/schemas/SessionMe' }, { type: 'null' }],
      },
      error: {
        type: ['string', 'null'],
        description: 'A human-readable reason for `FAILED` / `ERROR` (plain text, never HTML).',
      },
      reason: {
        type: ['string', 'null'],
        description:
          'Optional extension: a machine-readable reason for `FAILED` / `ERROR`. `qr_expired` means the QR expired unscanned: the widget shows "the code expired — show a new code" even on a page that never saw the QR. Clients ignore values they do not know.',
      },
      pairingCode: {
        type: ['string', 'null'],
        description: 'Optional extension: the pairing code answered to `request_code`, e.g. `ABCD-EFGH`.',
      },
      stream: {
        type: ['string', 'null'],
        format: 'uri-reference',
        description:
          'Optional extension: the URL (absolute, or relative to the endpoint) of a Server-Sent Events stream of this session.',
      },
    },
    additionalProperties: true,
    examples: [
      {
        status: 'SCAN_QR',
        sessionName: 'eagles_42',
        connected: false,
        qr: '2@hQb4sV0bC1pV7w==,Vg3u+K2vQ1cE8x==,m1p0Zr5cQ9s=',
      },
    ],
  },
  SessionActionRequest: {
    type: 'object',
    description: 'The body of `POST <endpoint>`.',
    required: ['action'],
    properties: {
      action: {
        type: 'string',
        enum: ['reconnect', 'logout', 'change_number', 'request_code'],
        description: '`request_code` is an optional extension; a backend without it answers `400 invalid_action`.',
      },
      phoneNumber: {
        type: 'string',
        pattern: '^[1-9][0-9]{6,14}$',
        description: 'With `request_code` only: the phone number in international digits, without `+`.',
      },
    },
    if: { properties: { action: { const: 'request_code' } } },
    then: { required: ['phoneNumber'] },
    additionalProperties: true,
    examples: [{ action: 'reconnect' }, { action: 'request_code', phoneNumber: '5215512345678' }],
  },
  ErrorCode: {
    description:
      'A stable, machine-readable error code. Backends should use the known codes; clients accept any string.',
    anyOf: [
      { type: 'string', enum: Object.keys(KNOWN_ERROR_CODES) },
      { type: 'string', minLength: 1 },
    ],
  },
  ErrorBody: {
    type: 'object',
    description: 'The body of every non-2xx answer, whenever the backend can produce one.',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { $ref: '#/components/schemas/ErrorCode' },
          message: {
            type: 'string',
            minLength: 1,
            description: 'A human-readable message, safe to show to the user (plain text, never HTML).',
          },
        },
        additionalProperties: true,
      },
    },
    additionalProperties: true,
    examples: [{ error: { code: 'invalid_action', message: 'Unknown action "self_destruct".' } }],
  },
} as const satisfies Record<string, JsonSchema>;
