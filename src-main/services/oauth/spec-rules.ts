/**
 * The rules of the spec a flow can find broken, each in words with where it is written: a failed step shows them
 * (src-shared/oauth.ts AuthFailure), so the user sees which side broke which rule, not only that it failed.
 */
export const SPEC_RULES = {
  noAuthorizationServers: {
    rule: 'the protected resource metadata must list at least one authorization server in authorization_servers',
    reference: 'RFC 9728 §2; MCP Authorization, Authorization Server Location',
  },
  resourceMismatch: {
    rule: "the protected resource metadata's resource must identify this MCP server (same scheme, host and port, and a prefix of its path); a token for another resource is never asked for",
    reference: 'RFC 9728 §3.3; RFC 8707 §2; MCP Authorization, Resource Parameter Implementation',
  },
  noServerMetadata: {
    rule: 'an MCP authorization server must publish OAuth 2.0 Authorization Server Metadata or OpenID Connect Discovery at the well-known URLs derived from its issuer',
    reference: 'RFC 8414 §3.1; MCP Authorization, Authorization Server Metadata Discovery',
  },
  metadataIssuerMismatch: {
    rule: "the metadata's issuer must be identical to the authorization server identifier it was fetched for; a document that names another issuer is not used",
    reference: 'RFC 8414 §3.3; OpenID Connect Discovery §4.3',
  },
  noPkce: {
    rule: "the authorization server's metadata must list S256 in code_challenge_methods_supported; without it the client must refuse to proceed",
    reference: 'RFC 7636; MCP Authorization, Security Considerations (Authorization Code Protection)',
  },
  noCodeResponse: {
    rule: 'the authorization server must support the authorization code flow (response_types_supported lists code)',
    reference: 'OAuth 2.1 §4.1; RFC 8414 §2',
  },
  noRegistration: {
    rule: 'the client needs a client id: a Client ID Metadata Document (client_id_metadata_document_supported), credentials registered beforehand, or a registration_endpoint for Dynamic Client Registration',
    reference: 'MCP Authorization, Client Registration',
  },
  credentialsOfAnotherServer: {
    rule: 'client credentials belong to the authorization server that issued them and are never sent to another one',
    reference: 'MCP Authorization, Authorization Server Binding; RFC 6749 §2.2',
  },
  registrationRefused: {
    rule: 'Dynamic Client Registration must answer 201 with the client information, or an error saying why',
    reference: 'RFC 7591 §3.2',
  },
  stateMismatch: {
    rule: 'the authorization response must carry the state value the authorization request sent; any other response is discarded',
    reference: 'RFC 6749 §10.12; MCP Authorization, Security Considerations',
  },
  issMismatch: {
    rule: "the authorization response's iss must equal the issuer recorded from the metadata, by simple string comparison, before the code is redeemed",
    reference: 'RFC 9207 §2.4; MCP Authorization, Authorization Response Validation',
  },
  issMissing: {
    rule: 'an authorization server that advertises authorization_response_iss_parameter_supported must send iss in every authorization response; one without it is rejected',
    reference: 'RFC 9207 §2.4; MCP Authorization, Authorization Response Validation',
  },
  authorizationDenied: {
    rule: 'the authorization server answered the authorization request with an error instead of a code',
    reference: 'RFC 6749 §4.1.2.1',
  },
  noCode: {
    rule: 'a successful authorization response carries the authorization code in code',
    reference: 'RFC 6749 §4.1.2',
  },
  tokenRefused: {
    rule: 'the token endpoint must answer a valid request with an access token, or an error saying why',
    reference: 'RFC 6749 §5.1, §5.2',
  },
  stepUpLimit: {
    rule: 'a client retries a request with a step-up authorization no more than a few times, then treats it as a permanent authorization failure',
    reference: 'MCP Authorization, Step-Up Authorization Flow',
  },
} as const satisfies Record<string, { rule: string; reference: string }>;

export type SpecRule = (typeof SPEC_RULES)[keyof typeof SPEC_RULES];

/** A flow failed: what happened, and the rule broken when one was. */
export class AuthFlowError extends Error {
  override readonly name = 'AuthFlowError';
  constructor(
    message: string,
    readonly spec?: SpecRule,
  ) {
    super(message);
  }
}
